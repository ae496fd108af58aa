import { Index, type Table, type VectorQuery } from '@lancedb/lancedb';

/**
 * When and how a vector column gets an approximate (ANN) index. Below `minRows` a query compares every
 * vector (exact). From `minRows` on, an IVF_PQ index answers: `nprobes` of its partitions are searched
 * with compressed vectors, then the best `limit × refineFactor` candidates are re-scored with the full
 * vectors. Recall@10 against exact search is set by the share of partitions probed, so that share is the
 * policy. The partitions are trained on the rows there are when the index is built; new rows are only
 * assigned to them, so once the library has grown `retrainGrowth`-fold the index is trained again
 * (`vector-index.ts`). The figures behind these choices are in docs/benchmarks.md.
 */
export interface VectorIndexPolicy {
  minRows: number;
  /** Share of the index's IVF partitions (√rows at build time) searched per query, and the least number searched. */
  probeFraction: number;
  minProbes: number;
  refineFactor: number;
  /** k-means iterations when training partitions and codebooks (LanceDB's default, 50, took 5× longer for the same recall). */
  trainingIterations: number;
  /** Dimensions per PQ sub-vector (8 or 16 let LanceDB use SIMD). */
  dimsPerSubVector: number;
  /** The index is trained again once the searchable rows reach this multiple of the rows it was trained on. */
  retrainGrowth: number;
}

export const DEFAULT_VECTOR_INDEX_POLICY: VectorIndexPolicy = {
  minRows: 5_000,
  probeFraction: 0.25,
  minProbes: 16,
  refineFactor: 10,
  trainingIterations: 10,
  dimsPerSubVector: 8,
  retrainGrowth: 2,
};

const VECTOR_COLUMN = 'vector';
/** Vectors are L2-normalized, so cosine distance (1 − cosine) is the metric; LanceDB's HNSW mis-ranks with `dot`. */
const METRIC = 'cosine';

export async function hasVectorIndex(table: Table): Promise<boolean> {
  const indices = await table.listIndices();
  return indices.some((index) => index.columns.includes(VECTOR_COLUMN));
}

/** What an IVF_PQ index over `rows` vectors of `dim` dimensions is built with. */
export interface VectorIndexParams {
  partitions: number;
  subVectors: number;
}

export function vectorIndexParams(rows: number, dim: number, policy: VectorIndexPolicy): VectorIndexParams {
  return { partitions: partitionsFor(rows), subVectors: subVectorCount(dim, policy.dimsPerSubVector) };
}

/** √rows partitions: the usual IVF balance between ranking partitions and scanning them. */
export function partitionsFor(rows: number): number {
  return Math.max(1, Math.round(Math.sqrt(rows)));
}

/** `dim / dimsPerSubVector` PQ sub-vectors where that divides, else the nearest count below that does. */
function subVectorCount(dim: number, dimsPerSubVector: number): number {
  for (let count = Math.max(1, Math.floor(dim / dimsPerSubVector)); count > 1; count--) if (dim % count === 0) return count;
  return 1;
}

/** Trains an IVF_PQ index over the rows there are now, replacing any earlier one when it commits. */
export async function createVectorIndex(table: Table, params: VectorIndexParams, policy: VectorIndexPolicy): Promise<void> {
  await table.createIndex(VECTOR_COLUMN, {
    config: Index.ivfPq({
      distanceType: METRIC,
      numPartitions: params.partitions,
      numSubVectors: params.subVectors,
      maxIterations: policy.trainingIterations,
      sampleRate: 64,
    }),
  });
}

/**
 * A nearest-neighbour query, `_distance` being 1 − cosine similarity: exact when `partitions` is null (no
 * index), else through the index, probing the policy's share of its `partitions`.
 */
export function nearest(table: Table, vector: Float32Array, partitions: number | null, policy: VectorIndexPolicy): VectorQuery {
  const query = table.vectorSearch(vector).column(VECTOR_COLUMN).distanceType(METRIC);
  if (partitions === null) return query.bypassVectorIndex();
  const nprobes = Math.max(policy.minProbes, Math.ceil(policy.probeFraction * partitions));
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
