import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noteChunk, photoRow, tempDir } from '../indexing/testing/fixtures.ts';
import { Library } from '../library/library.ts';
import { dot, normalize } from '../model/vectors.ts';
import type { Calibration } from './calibration.ts';
import { Relevance } from './relevance.ts';

const DIM = 64;
const model = { id: 'likely-test', dim: DIM };

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
}
const next = random(7);
const noise = () => normalize(Float32Array.from({ length: DIM }, next));
/** `share` of `direction` plus the rest in a random direction, unit length. */
const near = (direction: Float32Array, share: number) => {
  const r = noise();
  return normalize(direction.map((x, k) => share * x + Math.sqrt(1 - share * share) * r[k]!));
};

const calibration: Calibration = {
  modelId: model.id,
  modelFiles: {},
  dataset: 'synthetic',
  matching: 1,
  nonMatching: 1,
  logistic: { a: 10, b: -3 },
  suggestThreshold: 0.3,
  falsePositiveRate: 0.01,
  truePositiveRate: 0.5,
  createdAt: '2026-12-01T00:00:00Z',
};


describe('likely matches: a photo and a passage that stand out for each other', () => {
  const dir = tempDir('likely');
  let library: Library;
  // Most photos show people (near `people`); most passages are meeting minutes (near `meeting`).
  const people = noise();
  const meeting = noise();
  const photos = Array.from({ length: 60 }, () => near(people, 0.6));
  const meetingPhoto = meeting;
  const passages = Array.from({ length: 60 }, () => near(meeting, 0.6));
  const aboutPhoto0 = photos[0]!;
  const aboutPeople = people;

  beforeAll(async () => {
    library = await Library.open({ dir: dir.path, model });
    const rows = [...photos, meetingPhoto].map((vector, i) => photoRow({ id: `p${i}`, path: `/photos/${i}.jpg`, root: '/photos', vector, model_id: model.id }));
    await library.photos.write(rows, new Set(rows.map((row) => row.id)));
    const passage = (noteId: string, vector: Float32Array) => noteChunk(noteId, 0, noteId, vector, { chunk_count: 1, model_id: model.id });
    const notes = [...passages.map((v, j) => passage(`minutes-${j}`, v)), passage('about-photo-0', aboutPhoto0), passage('about-people', aboutPeople)];
    await library.notes.replace(notes.map((row) => ({ noteId: row.note_id, chunks: [row] })));
  });
  afterAll(() => {
    library?.close();
    dir.remove();
  });

  /** Stands in for the text tower: everyday captions of other scenes land in unrelated directions. */
  const captions = async (texts: readonly string[]) => texts.map(() => noise());
  const likely = async (relevance: Relevance, passage: Float32Array, photo: Float32Array) =>
    (await relevance.likelyMatches(photo, [{ similarity: dot(passage, photo), passage }], captions))[0];

  it('labels a passage written about the photo', async () => {
    expect(await likely(new Relevance(library.photos, library.notes, calibration), aboutPhoto0, photos[0]!)).toBe(true);
  });

  it('judges a photo’s suggestions together, each on its own', async () => {
    const relevance = new Relevance(library.photos, library.notes, calibration);
    const suggested = [aboutPhoto0, aboutPeople].map((passage) => ({ similarity: dot(passage, photos[0]!), passage }));
    expect(await relevance.likelyMatches(photos[0]!, suggested, captions)).toEqual([true, false]);
  });

  it('not a passage near every photo of the library, though it clears the threshold', async () => {
    const relevance = new Relevance(library.photos, library.notes, calibration);
    expect(dot(aboutPeople, photos[5]!)).toBeGreaterThan(calibration.suggestThreshold);
    expect(await likely(relevance, aboutPeople, photos[5]!)).toBe(false);
  });

  it('not a photo near every passage of the library, though it clears the threshold', async () => {
    const relevance = new Relevance(library.photos, library.notes, calibration);
    expect(dot(passages[3]!, meetingPhoto)).toBeGreaterThan(calibration.suggestThreshold);
    expect(await likely(relevance, passages[3]!, meetingPhoto)).toBe(false);
  });

  it('never for an uncalibrated model, nor below the threshold', async () => {
    expect(await likely(new Relevance(library.photos, library.notes, undefined), aboutPhoto0, photos[0]!)).toBe(false);
    const strict = new Relevance(library.photos, library.notes, { ...calibration, suggestThreshold: 1.01 });
    expect(await likely(strict, aboutPhoto0, photos[0]!)).toBe(false);
  });

  it('with too few passages to tell what is typical of a photo, compares the photo with everyday captions instead', async () => {
    const few = { sampleVectors: async (limit: number) => (await library.notes.sampleVectors(limit)).slice(0, 10) };
    const relevance = new Relevance(library.photos, few, calibration);
    expect(await likely(relevance, aboutPhoto0, photos[0]!)).toBe(true);
    expect(await likely(relevance, aboutPeople, photos[5]!)).toBe(false);
  });

  it('never while the library holds too few photos to tell what is typical of a passage', async () => {
    const fewPhotos = { sampleVectors: async (limit: number) => (await library.photos.sampleVectors(limit)).slice(0, 10) };
    expect(await likely(new Relevance(fewPhotos, library.notes, calibration), aboutPhoto0, photos[0]!)).toBe(false);
  });
});
