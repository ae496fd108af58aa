import { join } from 'node:path';
import { Library } from '../src/main/library/library.ts';
import { NO_CAMERA_METADATA, type PhotoRow } from '../src/main/library/schema.ts';
import { DEFAULT_VECTOR_INDEX_POLICY, nearest, type VectorIndexPolicy } from '../src/main/library/table-indexes.ts';
import type { VectorIndexRecord } from '../src/main/library/vector-index.ts';
import { percentile, since } from './stats.ts';
import { SyntheticVectors } from './synthetic.ts';

/** Library sizes measured on the way up; `--full` goes on to a million. */
export const GROWTH_STEPS = [5_000, 10_000, 20_000, 50_000, 100_000];
export const FULL_GROWTH_STEPS = [...GROWTH_STEPS, 200_000, 500_000, 1_000_000];

export interface SearchFigures {
  queries: number;
  recallAt10: number;
  searchP50: number;
  searchP95: number;
}

export interface GrowthStep extends SearchFigures {
  rows: number;
  /** The index answering at this step; null: exact search. */
  index: VectorIndexRecord | null;
  /** Text query: the text tower embeds a caption, then the search; null without a text tower. */
  queryP95: number | null;
  exactP95: number;
}

/** One training of the index, while the library waited (as it would between two indexing runs). */
export interface IndexBuild {
  /** Searchable rows it was trained on, and its partitions. */
  rows: number;
  partitions: number;
  seconds: number;
  /** Searches while it trained, through the previous index or exact search. */
  during: SearchFigures;
}

export interface GrowthOptions {
  dim: number;
  steps: readonly number[];
  policy?: Partial<VectorIndexPolicy>;
  /** Queries per step, each near a stored vector (a reservoir sample over the whole library). */
  queries?: number;
  /** Embeds one caption (timed with the search it precedes, as a text query is). */
  embedText?: (i: number) => Promise<unknown>;
  onStep?: (step: GrowthStep, builds: readonly IndexBuild[]) => void;
}

const SAMPLE = 1000;

/**
 * Grows one library from nothing through `steps`, in indexing runs of 5,000 photos (10 % of the library once
 * that is more), each followed by `library.optimize()` as the indexer does. Vectors are synthetic and drift
 * (bench/synthetic.ts). A (re)training the policy starts is waited for, with searches running meanwhile;
 * at each step, recall@10 against exact search and latency are measured. Returns the library, still open.
 */
export async function growLibrary(dir: string, options: GrowthOptions): Promise<{ library: Library; steps: GrowthStep[]; builds: IndexBuild[] }> {
  const { dim } = options;
  const queries = options.queries ?? 50;
  const library = await Library.open({ dir: join(dir, `grown-${dim}`), model: { id: `synthetic-${dim}`, dim }, vectorIndex: options.policy });
  const vectors = new SyntheticVectors(dim, 50, 1 / Math.sqrt(dim), 7, 100);
  const sample = new Reservoir(SAMPLE);
  const steps: GrowthStep[] = [];
  const builds: IndexBuild[] = [];
  let rows = 0;
  for (const target of options.steps) {
    while (rows < target) {
      const run = Math.min(target - rows, Math.max(5_000, Math.round(rows / 10)));
      await library.photos.write(
        Array.from({ length: run }, (_, i) => {
          const vector = vectors.next();
          sample.offer(vector);
          return syntheticRow(rows + i, vector, library.model.id);
        }),
        new Set(Array.from({ length: run }, (_, i) => `s${rows + i}`)),
      );
      rows += run;
      await library.optimize();
      if (library.photos.vectorIndex.training) builds.push(await watchBuild(library, vectors, sample.items, queries));
    }
    const probes = Array.from({ length: queries }, (_, i) => vectors.near(sample.items[(i * 7) % sample.items.length]!, 0.8 / Math.sqrt(dim)));
    const searched = await searchAll(library, probes);
    const exact = await exactAll(library, probes);
    const queryTimes: number[] = [];
    if (options.embedText) {
      for (const [i, probe] of probes.entries()) {
        const start = performance.now();
        await options.embedText(i);
        await library.photos.search(probe, { limit: 10 });
        queryTimes.push(since(start));
      }
    }
    const step: GrowthStep = {
      rows,
      index: await library.photos.vectorIndex.record(),
      ...figures(searched, exact.ids),
      queryP95: options.embedText ? percentile(queryTimes, 0.95) : null,
      exactP95: percentile(exact.ms, 0.95),
    };
    steps.push(step);
    options.onStep?.(step, builds);
  }
  return { library, steps, builds };
}

/** Searches while the index trains; recall is scored afterwards against exact search on the same rows. */
async function watchBuild(library: Library, vectors: SyntheticVectors, sample: readonly Float32Array[], queries: number): Promise<IndexBuild> {
  const start = performance.now();
  let done = false;
  const settled = library.vectorIndexesSettled().then(() => (done = true));
  const probes: Float32Array[] = [];
  const searched: { ids: string[]; ms: number }[] = [];
  for (let i = 0; !done && i < queries; i++) {
    const probe = vectors.near(sample[(i * 13) % sample.length]!, 0.8 / Math.sqrt(vectors.dim));
    probes.push(probe);
    searched.push(...(await searchAll(library, [probe])));
  }
  await settled;
  const seconds = since(start) / 1000;
  const record = (await library.photos.vectorIndex.record())!;
  const during = figures(searched, (await exactAll(library, probes)).ids);
  return { rows: record.rows, partitions: record.partitions, seconds, during };
}

async function searchAll(library: Library, probes: readonly Float32Array[]): Promise<{ ids: string[]; ms: number }[]> {
  const out: { ids: string[]; ms: number }[] = [];
  for (const probe of probes) {
    const start = performance.now();
    const found = await library.photos.search(probe, { limit: 10 });
    out.push({ ids: found.map((match) => match.photo.id), ms: since(start) });
  }
  return out;
}

async function exactAll(library: Library, probes: readonly Float32Array[]): Promise<{ ids: string[][]; ms: number[] }> {
  const ids: string[][] = [];
  const ms: number[] = [];
  for (const probe of probes) {
    const start = performance.now();
    const rows = await nearest(library.photos.table, probe, null, DEFAULT_VECTOR_INDEX_POLICY, 10)
      .where("status = 'ok'")
      .select(['id', '_distance'])
      .toArray();
    ms.push(since(start));
    ids.push(rows.map((row) => String(row.id)));
  }
  return { ids, ms };
}

function figures(searched: readonly { ids: string[]; ms: number }[], truth: readonly string[][]): SearchFigures {
  let hits = 0;
  searched.forEach(({ ids }, i) => {
    const expected = new Set(truth[i]);
    hits += ids.filter((id) => expected.has(id)).length;
  });
  const times = searched.map((s) => s.ms);
  return { queries: searched.length, recallAt10: hits / (10 * searched.length), searchP50: percentile(times, 0.5), searchP95: percentile(times, 0.95) };
}

/** A uniform sample of everything offered so far (Algorithm R), so queries reach early and late photos alike. */
class Reservoir {
  readonly items: Float32Array[] = [];
  private seen = 0;
  private state = 11;

  constructor(private readonly size: number) {}

  offer(item: Float32Array): void {
    this.seen++;
    if (this.items.length < this.size) {
      this.items.push(item);
      return;
    }
    this.state = (Math.imul(this.state, 1664525) + 1013904223) >>> 0;
    const slot = Math.floor((this.state / 2 ** 32) * this.seen);
    if (slot < this.size) this.items[slot] = item;
  }
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
