/**
 * Good-match cutoffs with a model nobody calibrated: a tiny CLIP-format export (real ONNX sessions, random
 * weights) over a library of sharp-made photos. The threshold is estimated from the library itself.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Indexer } from '../indexing/indexer.ts';
import { tempDir, writePhoto } from '../indexing/testing/fixtures.ts';
import { Library } from '../library/library.ts';
import { loadEmbedder } from '../model/embedder.ts';
import type { Embedder } from '../model/embedder-types.ts';
import { writeSmallClipMerges } from '../model/testing/small-clip-merges.ts';
import { writeTinyClipModel } from '../model/testing/tiny-clip.ts';
import { searchContext, type SearchContext } from './context.ts';
import { MIN_BASELINE } from './cutoff.ts';
import { searchPhotosByQuery } from './photo-search.ts';

const dir = tempDir('relevance');
const modelDir = join(dir.path, 'model');
const photosDir = join(dir.path, 'photos');
let library: Library;
let embedder: Embedder;
let ctx: SearchContext;

async function indexPhotos(count: number, from = 0): Promise<void> {
  for (let i = from; i < from + count; i++) {
    await writePhoto(join(photosDir, `photo-${i}.jpg`), `hsl(${(i * 137) % 360}, ${40 + (i % 5) * 12}%, ${25 + (i % 7) * 9}%)`);
  }
  const indexer = new Indexer({ library, embedder: { modelDir, providers: ['cpu'] }, watch: false });
  if (from === 0) await indexer.addRoot('photos', photosDir);
  else await indexer.rescan();
  await indexer.idle();
  await indexer.close();
}

beforeAll(async () => {
  mkdirSync(modelDir);
  writeTinyClipModel(modelDir, writeSmallClipMerges(dir.path));
  embedder = await loadEmbedder({ modelDir, providers: ['cpu'], threads: 1 });
  library = await Library.open({ dir: join(dir.path, 'library'), model: { id: embedder.modelId, dim: embedder.dim } });
}, 60_000);

afterAll(async () => {
  await embedder?.close();
  library?.close();
  dir.remove();
});

describe('good matches with an uncalibrated CLIP-format model', () => {
  it('has no cutoff while the library is too small to estimate one', async () => {
    await indexPhotos(MIN_BASELINE - 10);
    ctx = searchContext(library, embedder);
    expect(ctx.calibration).toBeUndefined();
    const results = await searchPhotosByQuery(ctx, 'a red photo', { limit: 10 });
    expect(results.reading).toEqual({ terms: [{ sign: 1, text: 'a red photo' }], unknownWords: [], cutoff: 'none', demoted: 0 });
    expect(results.items.every((hit) => hit.good === undefined)).toBe(true);
  }, 120_000);

  it('estimates the threshold from the library’s photos once there are enough, and flags the good matches first', async () => {
    await indexPhotos(30, MIN_BASELINE - 10);
    ctx = searchContext(library, embedder);
    const results = await searchPhotosByQuery(ctx, 'a red photo', { limit: 100 });
    expect(results.reading?.cutoff).toBe('estimated');
    expect(ctx.relevance.source).toBe('estimated');
    const floor = ctx.relevance.floor!;
    expect(floor).toBeGreaterThan(-1);
    expect(floor).toBeLessThan(1);
    const flags = results.items.map((hit) => hit.good);
    expect(flags.every((flag) => flag !== undefined)).toBe(true);
    expect(flags.indexOf(false) === -1 || !flags.slice(flags.indexOf(false)).includes(true)).toBe(true);
    for (const hit of results.items.filter((h) => h.good)) expect(hit.similarity).toBeGreaterThanOrEqual(floor);
  }, 120_000);

  it('reads + and − terms and ranks by them', async () => {
    const plain = await searchPhotosByQuery(ctx, 'a red photo', { limit: 70 });
    const minus = await searchPhotosByQuery(ctx, 'a red photo − a blue photo', { limit: 70 });
    expect(minus.reading?.terms).toEqual([
      { sign: 1, text: 'a red photo' },
      { sign: -1, text: 'a blue photo' },
    ]);
    expect(minus.items.map((hit) => hit.photo.id)).not.toEqual(plain.items.map((hit) => hit.photo.id));
    await expect(searchPhotosByQuery(ctx, '-people', { limit: 5 })).rejects.toThrow(/what to look for/);
  });
});
