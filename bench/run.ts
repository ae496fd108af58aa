/**
 * `npm run bench`: the engine's figures against its targets, printed and written to docs/benchmarks.md.
 *   --full          also the 1M-vector store (index build alone takes many minutes on 2 cores)
 *   --count <n>     photos indexed end to end (default 600)
 *   --model <dir>   a model folder (default: the embedded model)
 * Uses ../shared/datasets/flickr8k (photos and captions) when present, generated photos otherwise.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { VectorQuery } from '@lancedb/lancedb';
import sharp from 'sharp';
import { INDEXING_NICENESS } from '../src/main/indexing/priority.ts';
import { tempDir } from '../src/main/indexing/testing/fixtures.ts';
import { Library } from '../src/main/library/library.ts';
import { DEFAULT_VECTOR_INDEX_POLICY, nearest } from '../src/main/library/table-indexes.ts';
import { loadEmbedder } from '../src/main/model/embedder.ts';
import { projectRoot, sharedDir } from '../src/main/paths.ts';
import { benchImageTower, type ImageTowerFigures } from './image-tower-bench.ts';
import type { IndexingChildFigures } from './indexing-child.ts';
import { percentile, since } from './stats.ts';
import { benchStore, type StoreFigures } from './store-bench.ts';

const { values: args } = parseArgs({
  options: { full: { type: 'boolean', default: false }, count: { type: 'string', default: '600' }, model: { type: 'string' } },
});
const photoCount = Number(args.count);
const work = tempDir('bench');
const log = (line: string) => console.log(line);

const FALLBACK_QUERIES = ['a dog running through the grass', 'children playing in the snow', 'a man riding a bicycle', 'people on the beach at sunset'];

function captions(): { queries: string[]; source: string } {
  const file = join(sharedDir(), 'datasets', 'flickr8k', 'Flickr8k.token.txt');
  if (!existsSync(file)) return { queries: FALLBACK_QUERIES, source: 'four fixed queries (Flickr 8k captions absent)' };
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  return { queries: lines.slice(0, 500).filter((_, i) => i % 5 === 0).map((line) => line.split('\t')[1]!), source: 'Flickr 8k captions' };
}

/** A folder of `count` photos: links to Flickr 8k files (never copies), or generated JPEGs when absent. */
async function photoFolder(count: number): Promise<{ dir: string; files: string[]; source: string }> {
  const dir = join(work.path, 'photos');
  mkdirSync(dir, { recursive: true });
  const flickr = join(sharedDir(), 'datasets', 'flickr8k', 'images');
  if (existsSync(flickr)) {
    const names = readdirSync(flickr).filter((name) => name.endsWith('.jpg')).sort().slice(0, count);
    for (const name of names) symlinkSync(join(flickr, name), join(dir, name));
    return { dir, files: names.map((name) => join(flickr, name)), source: `${names.length} Flickr 8k photos (224×224 JPEG)` };
  }
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const path = join(dir, `generated-${i}.jpg`);
    const pixels = Buffer.alloc(500 * 375 * 3, 0);
    for (let p = 0; p < pixels.length; p++) pixels[p] = (p * (i + 7) + (p >> 9)) & 255;
    await sharp(pixels, { raw: { width: 500, height: 375, channels: 3 } }).jpeg({ quality: 85 }).toFile(path);
    files.push(path);
  }
  return { dir, files, source: `${count} generated 500×375 JPEGs (Flickr 8k absent)` };
}

/** Runs bench/indexing-child.ts; `onLine` sees each line it prints; resolves with the last one. */
function runChild<T>(args: string[], onLine: (line: string) => void = () => {}): Promise<T> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot(), 'bench', 'indexing-child.ts'), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let last = '';
  let partial = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop()!;
    for (const line of lines.filter(Boolean)) {
      last = line;
      onLine(line);
    }
  });
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(last) as T) : reject(new Error(`bench child exited with ${code}`)))),
  );
}

/** Text queries (embed + search) one after another with a short pause, until `stop` resolves; each with its start time. */
async function queryLoop(run: (i: number) => Promise<void>, stop: Promise<unknown>, minQueries = 20): Promise<{ at: number; ms: number }[]> {
  let stopped = false;
  void stop.finally(() => (stopped = true));
  const samples: { at: number; ms: number }[] = [];
  for (let i = 0; !stopped || samples.length < minQueries; i++) {
    const start = performance.now();
    await run(i);
    samples.push({ at: start, ms: since(start) });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return samples;
}

/** Recall@10 of the ANN index against exact search on real photo vectors, with captions as queries. */
async function realRecall(libraryDir: string, model: { id: string; dim: number }, queryVectors: Float32Array[]): Promise<{ rows: number; recall: number }> {
  const library = await Library.open({ dir: libraryDir, model, vectorIndex: { minRows: 256 } });
  const rows = await library.photos.count("status = 'ok'");
  await library.optimize();
  await library.vectorIndexesSettled();
  if ((await library.photos.vectorIndex.record()) === null) {
    library.close();
    return { rows, recall: Number.NaN };
  }
  let hits = 0;
  for (const vector of queryVectors) {
    const ids = async (query: VectorQuery) => (await query.select(['id', '_distance']).limit(10).toArray()).map((r) => String(r.id));
    const truth = new Set(await ids(nearest(library.photos.table, vector, null, DEFAULT_VECTOR_INDEX_POLICY)));
    hits += (await ids(await library.photos.vectorIndex.nearest(vector))).filter((id) => truth.has(id)).length;
  }
  library.close();
  return { rows, recall: hits / (queryVectors.length * 10) };
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

async function main(): Promise<void> {
  const startedAt = new Date();
  const loadBefore = loadavg()[0]!;
  const modelOptions = args.model ? { modelDir: args.model } : {};
  const embedder = await loadEmbedder({ ...modelOptions, threads: 2 }).catch((error: unknown) => {
    throw new Error(`Cannot load the model to benchmark (${error instanceof Error ? error.message : String(error)}). Pass --model <dir> for another one.`);
  });
  const model = { id: embedder.modelId, dim: embedder.dim };
  const { queries, source: querySource } = captions();
  const queryVectors = await embedder.embedTexts(queries);
  const embedQuery = async (i: number) => {
    await embedder.embedTexts([queries[i % queries.length]!]);
    return queryVectors[i % queries.length]!;
  };
  log(`model ${model.id} (${model.dim}-d), provider ${embedder.provider.name}, ${cpus().length} cores`);

  const sizes = args.full ? [10_000, 100_000, 1_000_000] : [10_000, 100_000];
  const stores: StoreFigures[] = [];
  let store100k: Library | undefined;
  for (const rows of sizes) {
    const { library, ...figures } = await benchStore(work.path, model, rows, embedQuery);
    stores.push(figures);
    log(
      `store ${rows}: insert ${fmt(figures.insertSeconds)} s, index ${figures.indexSeconds === null ? 'none (exact)' : `${fmt(figures.indexSeconds)} s`}, ` +
        `exact p95 ${fmt(figures.exactP95)} ms, query p50 ${fmt(figures.searchP50)} / p95 ${fmt(figures.searchP95)} ms, recall@10 ${fmt(figures.recallAt10, 3)}`,
    );
    if (rows === 100_000) store100k = library;
    else library.close();
  }

  const photos = await photoFolder(photoCount);
  const tower: ImageTowerFigures = await benchImageTower(modelOptions, photos.files.slice(0, 256));
  log(`bare image tower: ${fmt(tower.imagesPerSecond)} images/s (batch ${tower.batch}, 2 threads)`);

  const query100k = async (i: number) => {
    await store100k!.photos.search(await embedQuery(i), { limit: 10 });
  };
  const bareAtPriority = await runChild<ImageTowerFigures>(['bare', photos.dir, args.model ?? '-']);
  const idleTimes = (await queryLoop(query100k, new Promise((resolve) => setTimeout(resolve, 5000)))).map((q) => q.ms);
  // "While indexing" is while batches are committed: the child's start-up and its final index update are left out.
  const commits: number[] = [];
  const indexing = runChild<IndexingChildFigures>(['index', photos.dir, join(work.path, 'indexed'), args.model ?? '-', model.id, String(model.dim)], (line) => {
    if (line.startsWith('{"committed"')) commits.push(performance.now());
  });
  const busyTimes = (await queryLoop(query100k, indexing)).filter((q) => q.at >= commits[0]! && q.at <= commits.at(-1)!).map((q) => q.ms);
  const pipeline = await indexing;
  log(
    `bare image tower at the indexing priority: ${fmt(bareAtPriority.imagesPerSecond)} images/s; ` +
      `pipeline: ${fmt(pipeline.steadyImagesPerSecond)} images/s steady (${fmt((100 * pipeline.steadyImagesPerSecond) / bareAtPriority.imagesPerSecond, 0)}% of bare at the same priority), ` +
      `${fmt(pipeline.imagesPerSecond)} images/s end to end over ${pipeline.photos} photos, ` +
      `cores busy ${fmt(pipeline.coresBusy, 2)}/${pipeline.cores}, peak RSS ${fmt(pipeline.peakRssMb, 0)} MB`,
  );
  const idleP95 = percentile(idleTimes, 0.95);
  const busyP95 = percentile(busyTimes, 0.95);
  log(`query p95 at 100k: idle ${fmt(idleP95)} ms, while indexing ${fmt(busyP95)} ms (${fmt(busyP95 / idleP95, 2)}×)`);
  store100k?.close();
  await embedder.close();

  const real = await realRecall(join(work.path, 'indexed'), model, queryVectors);
  log(`IVF_PQ recall@10 on ${real.rows} real photo vectors with caption queries: ${fmt(real.recall, 3)}`);

  writeReport({ startedAt, loadBefore, model, provider: embedder.provider.name, querySource, photoSource: photos.source, stores, tower, bareAtPriority, pipeline, idleP95, busyP95, busyQueries: busyTimes.length, real, full: args.full });
  log('wrote docs/benchmarks.md');
}

interface Report {
  startedAt: Date;
  loadBefore: number;
  model: { id: string; dim: number };
  provider: string;
  querySource: string;
  photoSource: string;
  stores: StoreFigures[];
  tower: ImageTowerFigures;
  bareAtPriority: ImageTowerFigures;
  pipeline: IndexingChildFigures;
  idleP95: number;
  busyP95: number;
  busyQueries: number;
  real: { rows: number; recall: number };
  full: boolean;
}

function writeReport(r: Report): void {
  const target = (rows: number) => (rows === 100_000 ? '≤ 50' : rows === 1_000_000 ? '≤ 150' : '—');
  const ratio = r.pipeline.steadyImagesPerSecond / r.bareAtPriority.imagesPerSecond;
  const lines = [
    '# Engine benchmarks',
    '',
    `Written by \`npm run bench\` (bench/run.ts) on ${r.startedAt.toISOString()}: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ` +
      `${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; model \`${r.model.id}\` (${r.model.dim}-d) on ${r.provider}. ` +
      `The machine is shared (other engineers, a training run at raised priority): load average ${fmt(r.loadBefore, 1)} when the run started and ` +
      `${fmt(loadavg()[0]!, 1)} when it ended, on ${cpus().length} cores, so the indexing and latency figures measure this contention as much as the code.`,
    '',
    '## Indexing (decode → preprocess → embed → thumbnail → store)',
    '',
    `Photos: ${r.photoSource}. The pipeline runs in a child process (worker thread for decode + embed, main thread for LanceDB commits), as in the app.`,
    '',
    '| figure | value | target |',
    '|---|---|---|',
    `| bare image tower (pre-decoded, batch ${r.tower.batch}, 2 threads), normal priority | ${fmt(r.tower.imagesPerSecond)} images/s | — |`,
    `| bare image tower, at the indexing worker's priority (nice ${INDEXING_NICENESS}) | ${fmt(r.bareAtPriority.imagesPerSecond)} images/s | — |`,
    `| indexing pipeline, steady (first to last committed batch) | ${fmt(r.pipeline.steadyImagesPerSecond)} images/s (${fmt(100 * ratio, 0)} % of bare at the same priority) | ≥ 80 % of bare |`,
    `| indexing pipeline, end to end (scan, model load, final index update included) | ${fmt(r.pipeline.imagesPerSecond)} images/s over ${r.pipeline.photos} photos | — |`,
    `| CPU busy while indexing | ${fmt(r.pipeline.coresBusy, 2)} of ${r.pipeline.cores} cores | both cores busy |`,
    `| peak RSS of the indexing process | ${fmt(r.pipeline.peakRssMb, 0)} MB | ≤ 800 MB |`,
    `| text query p95 at 100k, idle → while batches are indexed (${r.busyQueries} queries) | ${fmt(r.idleP95)} → ${fmt(r.busyP95)} ms (${fmt(r.busyP95 / r.idleP95, 2)}×) | ≤ 2× |`,
    '',
    `Cost per photo, one at a time, at normal priority: decode + preprocess ${fmt(r.tower.stageMs.prepare, 2)} ms, thumbnail ${fmt(r.tower.stageMs.thumbnail, 2)} ms, ` +
      `image tower ${fmt(r.tower.stageMs.embed, 2)} ms (batched, 2 threads). On 2 cores the pipeline does all three for every photo, so if the tower keeps both cores busy the ceiling is ` +
      `2 / (decode + thumbnail + 2 × tower) ≈ ${fmt(100 * (2 * r.tower.stageMs.embed) / (r.tower.stageMs.prepare + r.tower.stageMs.thumbnail + 2 * r.tower.stageMs.embed), 0)} % of the bare tower, ` +
      'before any contention: the 80 % target needs decoding and thumbnailing to cost at most half of the tower\'s CPU time.',
    '',
    '## Text query latency (tokenize + embed + search, top 10)',
    '',
    `Store: synthetic clustered vectors (bench/synthetic.ts) of the model's dimension in a real LanceDB library; queries: ${r.querySource} (embedded and timed), ` +
      'searched with probe vectors near stored ones, so that recall@10 is measured against exact search on the same store.',
    '',
    '| photos | insert | ANN index build | exact search p95 | query p50 | query p95 | target p95 | recall@10 vs exact |',
    '|---|---|---|---|---|---|---|---|',
    ...r.stores.map(
      (s) =>
        `| ${s.rows.toLocaleString('en')} | ${fmt(s.insertSeconds)} s | ${s.indexSeconds === null ? 'none: exact below ' + DEFAULT_VECTOR_INDEX_POLICY.minRows.toLocaleString('en') : fmt(s.indexSeconds) + ' s (IVF_PQ)'} | ` +
        `${fmt(s.exactP95)} ms | ${fmt(s.searchP50)} ms | ${fmt(s.searchP95)} ms | ${target(s.rows)} | ${fmt(s.recallAt10, 3)} |`,
    ),
    ...(r.full ? [] : ['| 1,000,000 | not run | | | | | ≤ 150 | |']),
    '',
    `Recall of the same index settings on real vectors: ${r.real.rows} photos indexed above, index forced, ${fmt(r.real.recall, 3)} recall@10 for caption queries.`,
    '',
    ...(r.full
      ? []
      : [
          `The 1M case is left out of the default run to keep it within ~10 minutes on 2 shared cores: inserting and indexing 1M vectors ` +
            `scales about linearly from the 100k figures (${fmt(r.stores.at(-1)!.insertSeconds + (r.stores.at(-1)!.indexSeconds ?? 0), 0)} s there), and exact search, ` +
            'the recall baseline, takes over a second per query at that size. `npm run bench -- --full` runs it.',
          '',
        ]),
    '## Choices these figures support',
    '',
    `- Exact search below ${DEFAULT_VECTOR_INDEX_POLICY.minRows.toLocaleString('en')} photos, an IVF_PQ index from there (√n partitions, 8 dimensions per sub-vector, ` +
      `${DEFAULT_VECTOR_INDEX_POLICY.trainingIterations} k-means iterations), searching ${100 * DEFAULT_VECTOR_INDEX_POLICY.probeFraction} % of the partitions (at least ${DEFAULT_VECTOR_INDEX_POLICY.minProbes}) with refine factor ` +
      `${DEFAULT_VECTOR_INDEX_POLICY.refineFactor} (re-scoring the best candidates with full vectors). Exact search grows linearly with the library (${fmt(r.stores[0]!.exactP95)} ms p95 at 10k, ${fmt(r.stores[1]?.exactP95 ?? Number.NaN)} ms at 100k in this run), so the index takes over early.`,
    '- Probed share (synthetic, 256-d): at 100k, 5 % of partitions gave recall@10 0.945, 10 % 0.964, 15 % 0.995 (p95 9 ms for the search alone); ' +
      'at 1M, 15 % gave 0.937 and 25 % 0.967 (p95 60 ms for the search alone); a refine factor of 30 instead of 10 added under 0.01 at either size, so the probed share is what the policy sets.',
    '- 1M × 256 (a `--full` run with the earlier 256-d build of the model): insert 69 s, IVF_PQ build 60 s, exact search p95 1.3 s, query p95 126.5 ms (target ≤ 150), recall@10 0.957. At 768-d (2026-11-28, `--full`): insert 165 s, build 111 s, query p95 150.2 ms, recall@10 0.997.',
    '- Measured while choosing (50k × 256, synthetic): IVF_PQ with LanceDB defaults built in 133 s, with 10 iterations and sample rate 64 in 24 s, both recall 1.0 with refine 10 (0.51 without); ' +
      'IVF_HNSW_SQ built in 13 s but ranked wrongly with the `dot` metric (recall 0.1) and reached 0.91–1.0 with `cosine` only at higher nprobes; IVF_FLAT built in 5 s, recall 1.0, but keeps a second full copy of every vector.',
    '',
  ];
  writeFileSync(join(projectRoot(), 'docs', 'benchmarks.md'), lines.join('\n'));
}

try {
  await main();
} finally {
  work.remove();
}
