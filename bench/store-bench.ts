import { join } from 'node:path';
import { Library } from '../src/main/library/library.ts';
import { NO_CAMERA_METADATA, type PhotoRow } from '../src/main/library/schema.ts';
import { DEFAULT_VECTOR_INDEX_POLICY, nearest } from '../src/main/library/table-indexes.ts';
import { percentile, since } from './stats.ts';
import { SyntheticVectors } from './synthetic.ts';

export interface StoreFigures {
  rows: number;
  dim: number;
  insertSeconds: number;
  indexSeconds: number | null;
  exactP50: number;
  exactP95: number;
  searchP50: number;
  searchP95: number;
  recallAt10: number;
}

/** Fills a library with `rows` synthetic photo vectors, in batches (one commit each, as the indexer does). */
export async function fillLibrary(library: Library, rows: number, vectors: SyntheticVectors): Promise<Float32Array[]> {
  const kept: Float32Array[] = [];
  const batch = 20_000;
  for (let start = 0; start < rows; start += batch) {
    const chunk: PhotoRow[] = [];
    for (let i = start; i < Math.min(rows, start + batch); i++) {
      const vector = vectors.next();
      if (kept.length < 1000) kept.push(vector);
      chunk.push(syntheticRow(i, vector, library.model.id));
    }
    await library.photos.upsert(chunk);
  }
  return kept;
}

function syntheticRow(i: number, vector: Float32Array, modelId: string): PhotoRow {
  return {
    id: `s${i}`,
    path: `/bench/photos/${i % 100}/${i}.jpg`,
    root: '/bench/photos',
    size: 1000 + i,
    mtime_ms: 1_600_000_000_000 + i * 1000,
    hash: `h${i}`,
    width: 640,
    height: 480,
    taken_at: 1_600_000_000_000 + i * 60_000,
    taken_at_exif: true,
    ...NO_CAMERA_METADATA,
    camera: i % 3 === 0 ? 'Canon EOS 5D' : 'Pixel 7',
    thumb: null,
    model_id: modelId,
    vector,
    status: 'ok',
    error: null,
    missing_since: null,
    indexed_at: 1_700_000_000_000,
  };
}

/**
 * Search latency and recall@10 against exact search, on a store of `rows` synthetic vectors in `dir`.
 * `embed` turns a query into a vector and is timed with the search (tokenize + embed + search).
 */
export async function benchStore(
  dir: string,
  model: { id: string; dim: number },
  rows: number,
  embed: (i: number) => Promise<Float32Array>,
  queries = 60,
): Promise<StoreFigures & { library: Library }> {
  const vectors = new SyntheticVectors(model.dim, Math.max(50, Math.round(rows / 100)), 1 / Math.sqrt(model.dim));
  const library = await Library.open({ dir: join(dir, `store-${rows}`), model });
  let start = performance.now();
  const sample = await fillLibrary(library, rows, vectors);
  const insertSeconds = since(start) / 1000;
  start = performance.now();
  await library.optimize();
  const indexed = (await library.photos.table.listIndices()).some((index) => index.columns.includes('vector'));
  const indexSeconds = indexed ? since(start) / 1000 : null;

  const probes = Array.from({ length: queries }, (_, i) => vectors.near(sample[(i * 7) % sample.length]!, 0.8 / Math.sqrt(model.dim)));
  const exactTimes: number[] = [];
  const searchTimes: number[] = [];
  let hits = 0;
  for (let i = 0; i < queries; i++) {
    let t = performance.now();
    const exact = await nearest(library.photos.table, probes[i]!, null, DEFAULT_VECTOR_INDEX_POLICY)
      .where("status = 'ok'")
      .select(['id', '_distance'])
      .limit(10)
      .toArray();
    exactTimes.push(since(t));
    t = performance.now();
    await embed(i);
    const found = await library.photos.search(probes[i]!, { limit: 10 });
    searchTimes.push(since(t));
    const truth = new Set(exact.map((row) => String(row.id)));
    hits += found.filter((match) => truth.has(match.photo.id)).length;
  }
  return {
    library,
    rows,
    dim: model.dim,
    insertSeconds,
    indexSeconds,
    exactP50: percentile(exactTimes, 0.5),
    exactP95: percentile(exactTimes, 0.95),
    searchP50: percentile(searchTimes, 0.5),
    searchP95: percentile(searchTimes, 0.95),
    recallAt10: hits / (queries * 10),
  };
}
