import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLOUR_MODEL_DIM, COLOUR_MODEL_ID, writeColourModel } from '../indexing/testing/colour-model.ts';
import { photoRow, tempDir } from '../indexing/testing/fixtures.ts';
import { Library } from '../library/library.ts';
import { loadEmbedder } from '../model/embedder.ts';
import type { Embedder } from '../model/embedder-types.ts';
import { normalize } from '../model/vectors.ts';
import { searchContext, type SearchContext } from './context.ts';
import { explainMatch, searchPhotosByQuery } from './photo-search.ts';

const dir = tempDir('explain');
const modelDir = writeColourModel(join(dir.path, 'model'));
let library: Library;
let embedder: Embedder;
let ctx: SearchContext;

const RED = [1, -1, -1];
const BLUE = [-1, -1, 1];
const WHITE = [1, 1, 1];
/** A colour direction, nudged a little per photo so no two photos tie. */
const colour = (rgb: number[], i: number) => normalize(Float32Array.from(rgb, (x, k) => x + 0.01 * Math.sin(i * 7.3 + k)));

beforeAll(async () => {
  library = await Library.open({ dir: join(dir.path, 'library'), model: { id: COLOUR_MODEL_ID, dim: COLOUR_MODEL_DIM } });
  const row = (id: string, root: string, vector: Float32Array) => photoRow({ id, path: `${root}/${id}.jpg`, root, vector, model_id: COLOUR_MODEL_ID });
  const rows = [
    // More red photos elsewhere than the 1,000 a subtracted term's nearest photos are read from…
    ...Array.from({ length: 1_050 }, (_, i) => row(`red-${i}`, '/elsewhere', colour(RED, i))),
    ...Array.from({ length: 2_900 }, (_, i) => row(`blue-${i}`, '/elsewhere', colour(BLUE, i))),
    // …so in the kept folder a reddish white photo is ranked down for "− red" only when the filter is applied.
    row('reddish', '/kept', normalize(Float32Array.from(RED, (x, k) => 0.8 * x + 0.45 * WHITE[k]!))),
    ...Array.from({ length: 5 }, (_, i) => row(`white-${i}`, '/kept', colour(WHITE, i))),
  ];
  await library.photos.write(rows, new Set(rows.map((r) => r.id)));
  embedder = await loadEmbedder({ modelDir, providers: ['cpu'], threads: 1 });
  ctx = searchContext(library, embedder);
});

afterAll(async () => {
  await embedder?.close();
  library?.close();
  dir.remove();
});

describe('why a photo stands where it does', () => {
  it('reads a subtracted term under the search’s own filter, past the 1,000 photos nearest to it', async () => {
    const filter = { folder: '/kept' };
    const results = await searchPhotosByQuery(ctx, 'white − red', { filter, limit: 10 });
    expect(results.reading?.demoted).toBe(1);
    expect(results.items.at(-1)!.photo.id).toBe('reddish');
    expect((await explainMatch(ctx, 'white − red', 'reddish', filter)).demoted).toBe(true);
    expect((await explainMatch(ctx, 'white − red', 'white-0', filter)).demoted).toBe(false);
  });
});
