import { afterAll, describe, expect, it } from 'vitest';
import { connect, Index } from '@lancedb/lancedb';
import { join } from 'node:path';
import { SyntheticVectors } from '../../../bench/synthetic.ts';
import { photoRow, tempDir } from '../indexing/testing/fixtures.ts';
import { Library } from './library.ts';
import { DEFAULT_VECTOR_INDEX_POLICY, nearest, refineFactorFor, type VectorIndexPolicy } from './table-indexes.ts';

const dirs: (() => void)[] = [];
afterAll(() => dirs.forEach((remove) => remove()));

const dim = 16;
/** Small enough to index a few hundred rows; every partition probed, so the plan shows how many there are. */
const policy: VectorIndexPolicy = { ...DEFAULT_VECTOR_INDEX_POLICY, minRows: 500, probeFraction: 1, minProbes: 1 };

async function openAt(dir: string): Promise<Library> {
  return Library.open({ dir, model: { id: 'test-model', dim }, vectorIndex: policy });
}

function fresh(): string {
  const dir = tempDir('vector-index');
  dirs.push(dir.remove);
  return dir.path;
}

async function addPhotos(library: Library, vectors: readonly Float32Array[], from: number): Promise<void> {
  await library.photos.upsert(vectors.map((vector, i) => photoRow({ id: `p${from + i}`, path: `/p/${from + i}.jpg`, root: '/p', vector })));
}

async function probesOf(library: Library, vector: Float32Array): Promise<number> {
  const plan = await (await library.photos.vectorIndex.nearest(vector, 10)).explainPlan();
  return Number(/minimum_nprobes=(\d+)/.exec(plan)?.[1]);
}

/**
 * Recall@10 of the library's search against exact search, over queries near some stored vectors. Neighbours in
 * one synthetic cluster lie at nearly equal distances, so an ANN index swaps a few of them: 0.9 is a working
 * index, a broken one (partitions probed wrongly, rows left out) scores far lower.
 */
async function recallAt10(library: Library, vectors: SyntheticVectors, stored: readonly Float32Array[]): Promise<number> {
  let hits = 0;
  for (let q = 0; q < 10; q++) {
    const probe = vectors.near(stored[(q * 37) % stored.length]!, 0.2);
    const exact = await nearest(library.photos.table, probe, null, policy, 10).where("status = 'ok'").select(['id', '_distance']).toArray();
    const truth = new Set(exact.map((row) => String(row.id)));
    hits += (await library.photos.search(probe, { limit: 10 })).filter((match) => truth.has(match.photo.id)).length;
  }
  return hits / 100;
}

/** How many of every 13th stored vector the library's search returns first when asked for that very vector. */
async function selfHits(library: Library, stored: readonly Float32Array[]): Promise<{ found: number; of: number }> {
  let found = 0;
  let of = 0;
  for (let i = 0; i < stored.length; i += 13, of++) {
    const [first] = await library.photos.search(stored[i]!, { limit: 1 });
    if (first?.photo.id === `p${i}`) found++;
  }
  return { found, of };
}

describe('the vector index as the library grows', () => {
  it('probes a share of the partitions the index was trained with, not of the rows there are now', async () => {
    const dir = fresh();
    const vectors = new SyntheticVectors(dim, 20, 1 / Math.sqrt(dim));
    const stored = Array.from({ length: 1000 }, () => vectors.next());
    const library = await openAt(dir);
    await addPhotos(library, stored.slice(0, 600), 0);
    await library.optimize();
    await library.vectorIndexesSettled();
    // 600 rows: √600 / 8 ≈ 3 partitions.
    expect(await probesOf(library, stored[0]!)).toBe(3);

    await addPhotos(library, stored.slice(600), 600);
    await library.optimize();
    await library.vectorIndexesSettled();
    expect(await library.photos.vectorIndex.record()).toMatchObject({ rows: 600, partitions: 3 });
    expect(await probesOf(library, stored[0]!)).toBe(3);
    library.close();

    const reopened = await openAt(dir);
    expect(await probesOf(reopened, stored[0]!)).toBe(3);
    reopened.close();
  });

  it('is retrained in the background once the library has doubled, and searches stay right throughout', async () => {
    const dir = fresh();
    const vectors = new SyntheticVectors(dim, 40, 1 / Math.sqrt(dim));
    const stored = Array.from({ length: 1400 }, () => vectors.next());
    const library = await openAt(dir);
    await addPhotos(library, stored.slice(0, 600), 0);
    await library.optimize();
    await library.vectorIndexesSettled();
    expect(await library.photos.vectorIndex.record()).toMatchObject({ rows: 600, partitions: 3 });

    await addPhotos(library, stored.slice(600, 1300), 600);
    await library.photos.optimize();
    // The rebuild has started; until it commits, the index trained on 600 rows answers.
    expect(await library.photos.vectorIndex.record()).toMatchObject({ rows: 600 });
    expect(await recallAt10(library, vectors, stored.slice(0, 1300))).toBeGreaterThanOrEqual(0.9);
    const during = await selfHits(library, stored.slice(0, 1300));
    expect(during.found).toBe(during.of);
    // Photos indexed while the rebuild runs are found at once, and kept by it.
    await addPhotos(library, stored.slice(1300), 1300);
    const latest = await library.photos.search(stored[1399]!, { limit: 1 });
    expect(latest[0]!.photo.id).toBe('p1399');
    await library.vectorIndexesSettled();

    expect(await library.photos.vectorIndex.record()).toMatchObject({ rows: 1300, partitions: 5 });
    expect(await probesOf(library, stored[0]!)).toBe(5);
    expect(await recallAt10(library, vectors, stored)).toBeGreaterThanOrEqual(0.9);
    const after = await selfHits(library, stored);
    expect(after.found).toBe(after.of);
    expect((await library.photos.search(stored[1399]!, { limit: 1 }))[0]!.photo.id).toBe('p1399');
    library.close();

    const reopened = await openAt(dir);
    expect(await reopened.photos.vectorIndex.record()).toMatchObject({ rows: 1300, partitions: 5 });
    reopened.close();
  });

  it('finds the true top 10 at the default model’s 2,024 dimensions (IVF_RQ in LanceDB 0.31 found about half)', async () => {
    const dir = fresh();
    const wide = 2024;
    const vectors = new SyntheticVectors(wide, 20, 1 / Math.sqrt(wide));
    const stored = Array.from({ length: 1000 }, () => vectors.next());
    const library = await Library.open({ dir, model: { id: 'test-model', dim: wide }, vectorIndex: { ...DEFAULT_VECTOR_INDEX_POLICY, minRows: 500 } });
    await addPhotos(library, stored, 0);
    await library.optimize();
    await library.vectorIndexesSettled();
    expect(await library.photos.vectorIndex.record()).not.toBeNull();
    expect(await recallAt10(library, vectors, stored)).toBeGreaterThanOrEqual(0.9);
    library.close();
  });

  it('retrains an index it has no record of (an IVF_PQ index of an earlier version) at the next optimize', async () => {
    const dir = fresh();
    const vectors = new SyntheticVectors(dim, 20, 1 / Math.sqrt(dim));
    const library = await openAt(dir);
    await addPhotos(library, Array.from({ length: 600 }, () => vectors.next()), 0);
    library.close();
    const db = await connect(join(dir, 'db'));
    const table = await db.openTable('photos');
    await table.createIndex('vector', { config: Index.ivfPq({ distanceType: 'cosine', numPartitions: 4, numSubVectors: 2 }) });
    db.close();

    const reopened = await openAt(dir);
    expect(await reopened.photos.vectorIndex.record()).toBeNull();
    await reopened.optimize();
    await reopened.vectorIndexesSettled();
    expect(await reopened.photos.vectorIndex.record()).toMatchObject({ rows: 600, partitions: 3 });
    reopened.close();
  });
});

describe('refineFactorFor', () => {
  it('re-scores what a top-10 query re-scores, spread over a longer page, and at least 2 candidates per result', () => {
    const policy = { refineFactor: 20 };
    expect(refineFactorFor(10, policy)).toBe(20);
    expect(refineFactorFor(1, policy)).toBe(200);
    expect(refineFactorFor(40, policy)).toBe(5);
    expect(refineFactorFor(121, policy)).toBe(2);
    expect(refineFactorFor(10_000, policy)).toBe(2);
  });
});
