import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Indexer } from '../indexing/indexer.ts';
import { COLOUR_MODEL_DIM, COLOUR_MODEL_ID, writeColourModel } from '../indexing/testing/colour-model.ts';
import { tempDir, writePhoto } from '../indexing/testing/fixtures.ts';
import { Library } from '../library/library.ts';
import { loadEmbedder } from '../model/embedder.ts';
import type { Embedder } from '../model/embedder-types.ts';
import type { Calibration } from './calibration.ts';
import { searchContext, type SearchContext } from './context.ts';
import { NotFoundError } from './errors.ts';
import { linkPhotoNote, linkSuggestions, unlinkPhotoNote } from './links.ts';
import { photosForNote, searchPhotosCombined, searchPhotosByText, similarPhotos } from './photo-search.ts';

const dir = tempDir('search');
const photos = join(dir.path, 'photos');
const notes = join(dir.path, 'notes');
const modelDir = writeColourModel(join(dir.path, 'model'));
let library: Library;
let embedder: Embedder;
let ctx: SearchContext;

const COLOURS: Record<string, string> = {
  red: '#e01010',
  pink: '#ff8080',
  yellow: '#e0e010',
  green: '#10e010',
  blue: '#1010e0',
  white: '#f4f4f4',
};

/** A calibration for the colour model: this test decides what counts as a match, as calibrate.ts does for a real model. */
const COLOUR_CALIBRATION: Calibration = {
  modelId: COLOUR_MODEL_ID,
  modelFiles: {},
  dataset: 'test',
  matching: 1,
  nonMatching: 1,
  logistic: { a: 10, b: -8 },
  suggestThreshold: 0.95,
  falsePositiveRate: 0,
  truePositiveRate: 1,
  createdAt: '2026-01-01T00:00:00Z',
};

async function photoId(name: string): Promise<string> {
  return (await library.photos.getByPath(join(photos, `${name}.png`)))!.id;
}

async function noteId(file: string): Promise<string> {
  return (await library.notes.getByPath(join(notes, file)))!.note_id;
}

beforeAll(async () => {
  for (const [name, colour] of Object.entries(COLOURS)) await writePhoto(join(photos, `${name}.png`), colour, { format: 'png' });
  mkdirSync(notes, { recursive: true });
  writeFileSync(join(notes, 'two-scenes.md'), '# Red\n\nA red red wall.\n\n# Blue\n\nThe blue blue sea.');
  writeFileSync(join(notes, 'garden.md'), '# Garden\n\nGreen leaves everywhere.');
  library = await Library.open({ dir: join(dir.path, 'library'), model: { id: COLOUR_MODEL_ID, dim: COLOUR_MODEL_DIM } });
  const indexer = new Indexer({ library, embedder: { modelDir, providers: ['cpu'] }, watch: false });
  await indexer.addRoot('photos', photos);
  await indexer.addRoot('notes', notes);
  await indexer.idle();
  await indexer.close();
  embedder = await loadEmbedder({ modelDir, providers: ['cpu'], threads: 1 });
  ctx = { ...searchContext(library, embedder), calibration: COLOUR_CALIBRATION };
});

afterAll(async () => {
  await embedder?.close();
  library?.close();
  dir.remove();
});

describe('photo search', () => {
  it('pages through text results with calibrated 0…1 scores', async () => {
    const first = await searchPhotosByText(ctx, 'yellow', { limit: 2 });
    expect(first.items[0]!.photo.path).toBe(join(photos, 'yellow.png'));
    expect(first.nextOffset).toBe(2);
    const rest = await searchPhotosByText(ctx, 'yellow', { offset: 2, limit: 10 });
    expect(rest.nextOffset).toBeNull();
    expect(new Set([...first.items, ...rest.items].map((h) => h.photo.id)).size).toBe(Object.keys(COLOURS).length);
    for (const hit of [...first.items, ...rest.items]) {
      expect(hit.score).toBeGreaterThanOrEqual(0);
      expect(hit.score).toBeLessThanOrEqual(1);
    }
  });

  it('adds and subtracts meanings: yellow − green leaves red, which pink is closest to', async () => {
    const combined = await searchPhotosCombined(ctx, [{ sign: 1, text: 'yellow' }, { sign: -1, text: 'green' }], { limit: 1 });
    expect(combined.items[0]!.photo.path).toBe(join(photos, 'pink.png'));
    const withPhoto = await searchPhotosCombined(ctx, [{ sign: 1, photoId: await photoId('blue') }, { sign: 1, text: 'green' }], { limit: 3 });
    expect(withPhoto.items.map((h) => h.photo.path)).not.toContain(join(photos, 'blue.png'));
  });

  it('finds photos for each passage of a note, or for a selected passage only', async () => {
    const id = await noteId('two-scenes.md');
    const whole = await photosForNote(ctx, id, { limit: 2 });
    expect(whole.items.map((h) => h.photo.path).sort()).toEqual([join(photos, 'blue.png'), join(photos, 'red.png')]);
    const content = '# Red\n\nA red red wall.\n\n# Blue\n\nThe blue blue sea.';
    const start = content.indexOf('The blue');
    const selected = await photosForNote(ctx, id, { limit: 1, passage: { start, end: content.length } });
    expect(selected.items[0]!.photo.path).toBe(join(photos, 'blue.png'));
  });

  it('answers an unknown photo with NotFoundError', async () => {
    await expect(similarPhotos(ctx, 'no-such-photo', { limit: 3 })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('link suggestions', () => {
  it('suggests pairs above the calibrated threshold, not linked ones, and none without calibration', async () => {
    const suggestions = await linkSuggestions(ctx, { limit: 10 });
    const pairs = suggestions.map((s) => `${s.photo.path.split('/').at(-1)} ↔ ${s.note.path.split('/').at(-1)}`);
    expect(pairs).toEqual(expect.arrayContaining(['red.png ↔ two-scenes.md', 'blue.png ↔ two-scenes.md', 'green.png ↔ garden.md']));
    expect(pairs).not.toContain('yellow.png ↔ garden.md');
    expect(suggestions.every((s) => s.similarity >= COLOUR_CALIBRATION.suggestThreshold)).toBe(true);

    await linkPhotoNote(ctx, await photoId('green'), await noteId('garden.md'));
    const forGreen = await linkSuggestions(ctx, { limit: 10, photoId: await photoId('green') });
    expect(forGreen.map((s) => s.note.path)).not.toContain(join(notes, 'garden.md'));
    expect(await unlinkPhotoNote(ctx, await photoId('green'), await noteId('garden.md'))).toBe(true);

    expect(await linkSuggestions({ ...ctx, calibration: undefined }, { limit: 10 })).toEqual([]);
  });
});
