import { Index, type Table, type VectorQuery } from '@lancedb/lancedb';

/**
 * When and how a vector column gets an approximate (ANN) index. Below `minRows` a query compares every
 * vector (exact). From `minRows` on, an IVF_PQ index answers: `nprobes` of its partitions are searched
 * with compressed vectors, then the best `limit × refineFactor` candidates are re-scored with the full
 * vectors. Recall@10 against exact search is set by the share of partitions probed (at 100k: 5 % → 0.945,
 * 10 % → 0.964, 15 % → 0.995; at 1M: 15 % → 0.937, 25 % → 0.967; a refine factor of 30 instead of 10 added
 * under 0.01), so that share is the policy. The figures behind these
 * choices (exact vs IVF_PQ vs IVF_HNSW_SQ, build time, p95, recall) are in docs/benchmarks.md.
 */
export interface VectorIndexPolicy {
  minRows: number;
  /** Share of the IVF partitions (√rows of them) searched per query, and the least number searched. */
  probeFraction: number;
  minProbes: number;
  refineFactor: number;
  /** k-means iterations when training partitions and codebooks (LanceDB's default, 50, took 5× longer for the same recall). */
  trainingIterations: number;
}

export const DEFAULT_VECTOR_INDEX_POLICY: VectorIndexPolicy = {
  minRows: 5_000,
  probeFraction: 0.25,
  minProbes: 16,
  refineFactor: 10,
  trainingIterations: 10,
};

const VECTOR_COLUMN = 'vector';
/** Vectors are L2-normalized, so cosine distance (1 − cosine) is the metric; LanceDB's HNSW mis-ranks with `dot`. */
const METRIC = 'cosine';

export async function hasVectorIndex(table: Table): Promise<boolean> {
  const indices = await table.listIndices();
  return indices.some((index) => index.columns.includes(VECTOR_COLUMN));
}

/** PQ sub-vectors of 8 dimensions each where the dimension allows, else the nearest divisor below. */
function subVectorCount(dim: number): number {
  for (let count = Math.max(1, Math.floor(dim / 8)); count > 1; count--) if (dim % count === 0) return count;
  return 1;
}

/** Builds the ANN index when the table has grown past the policy's threshold; returns whether one exists now. */
export async function ensureVectorIndex(table: Table, policy: VectorIndexPolicy, vectorRows: number, dim: number): Promise<boolean> {
  if (await hasVectorIndex(table)) return true;
  if (vectorRows < policy.minRows) return false;
  await table.createIndex(VECTOR_COLUMN, {
    config: Index.ivfPq({
      distanceType: METRIC,
      numPartitions: partitionsFor(vectorRows),
      numSubVectors: subVectorCount(dim),
      maxIterations: policy.trainingIterations,
      sampleRate: 64,
    }),
  });
  return true;
}

/** Partitions an index over `rows` vectors has: √rows, as built by `ensureVectorIndex`. */
function partitionsFor(rows: number): number {
  return Math.max(1, Math.round(Math.sqrt(rows)));
}

/**
 * A nearest-neighbour query, `_distance` being 1 − cosine similarity: exact when `indexedRows` is null (no
 * index), else through the index, probing the policy's share of its partitions.
 */
export function nearest(table: Table, vector: Float32Array, indexedRows: number | null, policy: VectorIndexPolicy): VectorQuery {
  const query = table.vectorSearch(vector).column(VECTOR_COLUMN).distanceType(METRIC);
  if (indexedRows === null) return query.bypassVectorIndex();
  const nprobes = Math.max(policy.minProbes, Math.ceil(policy.probeFraction * partitionsFor(indexedRows)));
  return query.nprobes(nprobes).refineFactor(policy.refineFactor);
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
