import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeColourModel } from '../indexing/testing/colour-model.ts';
import { tempDir } from '../indexing/testing/fixtures.ts';
import { loadTextEmbedder } from './embedder.ts';
import type { TextEmbedder } from './embedder-types.ts';
import { memoizeQueries } from './query-memo.ts';

const dir = tempDir('query-memo');
afterAll(() => dir.remove());

/** The real text tower, with a count of the texts it was asked to embed. */
async function countingTower(): Promise<{ tower: TextEmbedder; runs: string[] }> {
  const real = await loadTextEmbedder({ modelDir: writeColourModel(join(dir.path, 'model')), providers: ['cpu'] });
  const runs: string[] = [];
  return { runs, tower: { ...real, embedTexts: (texts) => (runs.push(...texts), real.embedTexts(texts)) } };
}

describe('memoizeQueries', () => {
  it('embeds a query asked for twice at once, or again later, through the tower once, with the same vector', async () => {
    const { tower, runs } = await countingTower();
    const memo = memoizeQueries(tower);
    const [[a], [b]] = await Promise.all([memo.embedTexts(['a red kite']), memo.embedTexts(['a red kite'])]);
    const [[c]] = [await memo.embedTexts(['a red kite'])];
    expect(runs).toEqual(['a red kite']);
    const [direct] = await tower.embedTexts(['a red kite']);
    for (const vector of [a, b, c]) expect(Array.from(vector!)).toEqual(Array.from(direct!));
    a![0] = 42;
    expect((await memo.embedTexts(['a red kite']))[0]![0]).toBe(direct![0]);
    await memo.close();
  });

  it('forgets the least recently used query past its capacity, and passes several texts straight through', async () => {
    const { tower, runs } = await countingTower();
    const memo = memoizeQueries(tower, 2);
    for (const query of ['red', 'green', 'red', 'blue', 'red', 'green']) await memo.embedTexts([query]);
    expect(runs).toEqual(['red', 'green', 'blue', 'green']);
    await memo.embedTexts(['red', 'red']);
    expect(runs.slice(4)).toEqual(['red', 'red']);
    await memo.close();
  });
});
