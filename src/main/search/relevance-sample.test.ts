/**
 * The baseline sample behind good-match cutoffs follows a growing library without making a search wait: past a
 * minute it is read again in the background while the one in hand keeps answering. Real LanceDB in a temp folder.
 */
import { afterAll, afterEach, expect, it, vi } from 'vitest';
import { photoRow, tempDir } from '../indexing/testing/fixtures.ts';
import { Library } from '../library/library.ts';
import { Relevance } from './relevance.ts';

const dir = tempDir('relevance-sample');
afterEach(() => vi.useRealTimers());
afterAll(() => dir.remove());

const rows = (from: number, count: number, vector: number[]) =>
  Array.from({ length: count }, (_, k) => photoRow({ id: `p${from + k}`, path: `/photos/${from + k}.jpg`, root: '/photos', vector: Float32Array.from(vector) }));

it('answers from the sample in hand while a newer one is read, then from the newer one', async () => {
  const library = await Library.open({ dir: dir.path, model: { id: 'test-model', dim: 4 } });
  const relevance = new Relevance(library.photos, library.notes, undefined);
  const query = Float32Array.from([1, 0, 0, 0]);
  await library.photos.write(rows(0, 50, [1, 0, 0, 0]));
  expect((await relevance.typical(query))?.mean).toBe(1);

  await library.photos.write(rows(50, 200, [0, 1, 0, 0]));
  expect((await relevance.typical(query))?.mean, 'a minute has not passed: the same sample').toBe(1);

  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + 61_000);
  expect((await relevance.typical(query))?.mean, 'the search does not wait for the new sample').toBe(1);
  await vi.waitFor(async () => expect((await relevance.typical(query))?.mean).toBe(0));
  library.close();
});
