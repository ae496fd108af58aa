import { Index, type Table, type VectorQuery } from '@lancedb/lancedb';

/**
 * When and how a vector column gets an approximate (ANN) index. Below `minRows` a query compares every
 * vector (exact). From `minRows` on, an IVF_HNSW_SQ index answers: vectors are grouped in √rows / 8 partitions
 * (k-means), each searched through an HNSW graph over 8-bit scalar-quantized vectors. A query ranks the
 * partitions, searches `nprobes` of them, then re-scores the best candidates with the full vectors:
 * `refineFactor` × 10 of them, or twice the limit where that is more (`refineFactorFor`). The partitions are
 * trained on the rows there are when the index is built; rows added later are only assigned to them, so once the
 * library has grown `retrainGrowth`-fold the index is trained again (`vector-index.ts`).
 * IVF_RQ (1-bit RaBitQ codes) was the index up to Model v2.1's 1,512 dimensions, and trained 2× faster; in
 * LanceDB 0.31 its recall falls as the dimension grows, even for the same vectors padded with zeros (recall@10
 * of caption queries over 2,000 real photo vectors: 0.97 at 1,512, 0.87 at 1,792, 0.45 at 2,024), and Model
 * v2.2 and v2.3 have 2,024. At 50,000 × 2,024 IVF_HNSW_SQ found 0.992 of the true top 10 (IVF_RQ 0.398) at p95 18.5 ms.
 * The figures behind these choices are in docs/benchmarks.md (bench/index-types.ts).
 */
export interface VectorIndexPolicy {
  minRows: number;
  /** Share of the index's partitions (√rows at build time) searched per query, and the least number searched. */
  probeFraction: number;
  minProbes: number;
  /** Candidates re-scored per result of a top-10 query; a longer page re-scores as many candidates in all, at least 2 per result. */
  refineFactor: number;
  /** k-means iterations when training the partitions (LanceDB's default, 50, took 5× longer for the same recall). */
  trainingIterations: number;
  /** The index is trained again once the searchable rows reach this multiple of the rows it was trained on. */
  retrainGrowth: number;
}

export const DEFAULT_VECTOR_INDEX_POLICY: VectorIndexPolicy = {
  minRows: 5_000,
  probeFraction: 0.25,
  minProbes: 4,
  refineFactor: 20,
  trainingIterations: 10,
  retrainGrowth: 2,
};

/** The index type `createVectorIndex` builds, as its record names it. */
export const VECTOR_INDEX_TYPE = 'IVF_HNSW_SQ';

const VECTOR_COLUMN = 'vector';
/** Vectors are L2-normalized, so cosine distance (1 − cosine) is the metric; LanceDB's HNSW mis-ranks with `dot`. */
const METRIC = 'cosine';

export async function hasVectorIndex(table: Table): Promise<boolean> {
  const indices = await table.listIndices();
  return indices.some((index) => index.columns.includes(VECTOR_COLUMN));
}

/** √rows / 8 partitions: each is searched through its HNSW graph, not scanned, so partitions can be large. */
export function partitionsFor(rows: number): number {
  return Math.max(1, Math.round(Math.sqrt(rows) / 8));
}

/** Trains an index with `partitions` partitions over the rows there are now, replacing any earlier one when it commits. */
export async function createVectorIndex(table: Table, partitions: number, policy: VectorIndexPolicy): Promise<void> {
  await table.createIndex(VECTOR_COLUMN, {
    config: Index.hnswSq({ distanceType: METRIC, numPartitions: partitions, maxIterations: policy.trainingIterations, sampleRate: 64 }),
  });
}

/**
 * A nearest-neighbour query, `_distance` being 1 − cosine similarity: exact when `partitions` is null (no
 * index), else through the index, probing the policy's share of its `partitions`.
 */
export function nearest(table: Table, vector: Float32Array, partitions: number | null, policy: VectorIndexPolicy, limit: number): VectorQuery {
  const query = table.vectorSearch(vector).column(VECTOR_COLUMN).distanceType(METRIC).limit(limit);
  if (partitions === null) return query.bypassVectorIndex();
  const nprobes = Math.max(policy.minProbes, Math.ceil(policy.probeFraction * partitions));
  return query.nprobes(nprobes).refineFactor(refineFactorFor(limit, policy));
}

/** Results whose ranking `refineFactor` was measured for (recall@10). */
const REFINED_FOR = 10;

/**
 * How many candidates per result a query of `limit` re-scores: what a top-10 query re-scores in all, spread over
 * the page, and never under 2 per result. Each candidate is a random read of a full vector, so a page of 120 at
 * the top-10 factor of 20 (2,400 reads) took 230 ms at 10k photos; at 2 (240 reads) 10 ms, with its top ten as
 * well found as a top-10 query's.
 */
export function refineFactorFor(limit: number, policy: Pick<VectorIndexPolicy, 'refineFactor'>): number {
  return Math.max(2, Math.ceil((policy.refineFactor * REFINED_FOR) / Math.max(1, limit)));
}

/**
 * Scalar indexes on the columns that lookups, merges and filters use: B-tree for unique-ish values
 * (`id = …`, `path = …`), bitmap for the few values of `status` and `camera`. Without the bitmap on
 * `status`, every vector query's `status = 'ok'` prefilter scans the whole column (p95 29 → 12 ms at 100k).
 */
export async function ensureScalarIndexes(table: Table, columns: Record<string, 'btree' | 'bitmap'>): Promise<void> {
  if ((await table.countRows()) === 0) return;
  const indexed = new Set((await table.listIndices()).flatMap((index) => index.columns));
  for (const [column, kind] of Object.entries(columns)) {
    if (!indexed.has(column)) await table.createIndex(column, { config: kind === 'btree' ? Index.btree() : Index.bitmap() });
  }
}
