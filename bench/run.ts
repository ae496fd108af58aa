/**
 * `npm run bench`: the engine's figures against its targets, printed and written to docs/benchmarks.md (the
 * sections measured are rewritten there; the prose around them is kept, see bench/report.ts).
 *   --only <section>  grow (search as one library grows), index (Flickr 8k photos indexed), camera (12 MP
 *                     photos indexed); repeat it for several; default: all three
 *   --max-rows <n>    the growing library stops at n rows (default 100,000)
 *   --full            grow to 1,000,000 rows (index builds alone take many minutes on 2 cores)
 *   --count <n>       Flickr 8k photos indexed end to end (default 600)
 *   --camera <n>      12 MP photos written and indexed (default 96)
 *   --model <dir>     a model folder (default: the embedded model)
 * Uses ../shared/datasets/flickr8k (photos and captions) when present, generated photos otherwise.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
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
import { DECODED_SIDE } from '../src/main/model/preprocess.ts';
import { projectRoot, sharedDir } from '../src/main/paths.ts';
import { CAMERA_SIZE, writeCameraPhotos } from './camera-photos.ts';
import { FULL_GROWTH_STEPS, GROWTH_STEPS, growLibrary, type GrowthStep, type IndexBuild } from './growing-library.ts';
import { buildLine, growthTable, stepLine } from './growth-report.ts';
import type { ImageTowerFigures } from './image-tower-bench.ts';
import type { IndexingChildFigures } from './indexing-child.ts';
import { writeSections } from './report.ts';
import { percentile, since } from './stats.ts';
import { SyntheticVectors } from './synthetic.ts';

/** The default model's embedding: two members' 512 learned + 1,000 concept dimensions. */
const GROWTH_DIM = 2024;
const SECTIONS = ['grow', 'index', 'camera'] as const;

const { values: args } = parseArgs({
  options: {
    only: { type: 'string', multiple: true, default: [] },
    'max-rows': { type: 'string' },
    full: { type: 'boolean', default: false },
    count: { type: 'string', default: '600' },
    camera: { type: 'string', default: '96' },
    model: { type: 'string' },
  },
});
const sections = new Set(args.only.length > 0 ? args.only : SECTIONS);
for (const name of sections) if (!(SECTIONS as readonly string[]).includes(name)) throw new Error(`--only takes ${SECTIONS.join(', ')}`);
const maxRows = Number(args['max-rows'] ?? (args.full ? 1_000_000 : 100_000));
const growthSteps = [...new Set([...(args.full ? FULL_GROWTH_STEPS : GROWTH_STEPS).filter((rows) => rows < maxRows), maxRows])];
const work = tempDir('bench');
const log = (line: string) => console.log(line);
const modelArg = args.model ?? '-';

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
    const ids = async (query: VectorQuery) => (await query.select(['id', '_distance']).toArray()).map((r) => String(r.id));
    const truth = new Set(await ids(nearest(library.photos.table, vector, null, DEFAULT_VECTOR_INDEX_POLICY, 10)));
    hits += (await ids(await library.photos.vectorIndex.nearest(vector, 10))).filter((id) => truth.has(id)).length;
  }
  library.close();
  return { rows, recall: hits / (queryVectors.length * 10) };
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const count = (n: number) => n.toLocaleString('en');

function machine(loadBefore: number): string {
  return (
    `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; load average ` +
    `${fmt(loadBefore)} at the start and ${fmt(loadavg()[0]!)} at the end, on ${cpus().length} cores (a load above the cores means other jobs ` +
    'shared the machine, and the wall-clock figures measure that contention as much as the code)'
  );
}

async function main(): Promise<void> {
  const modelOptions = args.model ? { modelDir: args.model } : {};
  const embedder = await loadEmbedder({ ...modelOptions, threads: 2 }).catch((error: unknown) => {
    throw new Error(`Cannot load the model to benchmark (${error instanceof Error ? error.message : String(error)}). Pass --model <dir> for another one.`);
  });
  const model = { id: embedder.modelId, dim: embedder.dim };
  const { queries, source: querySource } = captions();
  const embedCaption = (i: number) => embedder.embedTexts([queries[i % queries.length]!]);
  log(`model ${model.id} (${model.dim}-d), provider ${embedder.provider.name}, ${cpus().length} cores`);
  const written: Record<string, string[]> = {};

  let grown: { library: Library; steps: GrowthStep[]; builds: IndexBuild[] } | undefined;
  if (sections.has('grow')) {
    const loadBefore = loadavg()[0]!;
    const startedAt = new Date();
    let reported = 0;
    grown = await growLibrary(work.path, {
      dim: GROWTH_DIM,
      steps: growthSteps,
      embedText: embedCaption,
      onStep: (step, builds) => {
        for (const build of builds.slice(reported)) log(buildLine(build));
        reported = builds.length;
        log(stepLine(step));
      },
    });
    written.grow = growSection(startedAt, loadBefore, querySource, grown.steps, grown.builds);
  }

  if (sections.has('index')) {
    const loadBefore = loadavg()[0]!;
    const startedAt = new Date();
    const store = grown?.library ?? (await growLibrary(work.path, { dim: GROWTH_DIM, steps: [maxRows], queries: 0 })).library;
    const rows = await store.photos.count();
    const probes = new SyntheticVectors(GROWTH_DIM, 50, 1 / Math.sqrt(GROWTH_DIM), 13);
    const textQuery = async (i: number) => {
      await embedCaption(i);
      await store.photos.search(probes.next(), { limit: 10 });
    };
    const photos = await photoFolder(Number(args.count));
    const bare = await runChild<ImageTowerFigures>(['bare', photos.dir, modelArg]);
    const idleTimes = (await queryLoop(textQuery, new Promise((resolve) => setTimeout(resolve, 5000)))).map((q) => q.ms);
    // "While indexing" is while batches are committed: the child's start-up and its final index update are left out.
    const commits: number[] = [];
    const indexing = runChild<IndexingChildFigures>(['index', photos.dir, join(work.path, 'indexed'), modelArg, model.id, String(model.dim)], (line) => {
      if (line.startsWith('{"committed"')) commits.push(performance.now());
    });
    const busyTimes = (await queryLoop(textQuery, indexing)).filter((q) => q.at >= commits[0]! && q.at <= commits.at(-1)!).map((q) => q.ms);
    const pipeline = await indexing;
    const idleP95 = percentile(idleTimes, 0.95);
    const busyP95 = percentile(busyTimes, 0.95);
    log(`${photos.source}: bare tower ${fmt(bare.imagesPerSecond)} images/s at nice ${INDEXING_NICENESS}, pipeline ${fmt(pipeline.steadyImagesPerSecond)} images/s steady`);
    log(`text query p95 at ${count(rows)}: idle ${fmt(idleP95)} ms, while indexing ${fmt(busyP95)} ms`);
    const real = await realRecall(join(work.path, 'indexed'), model, await embedder.embedTexts(queries));
    log(`recall@10 on ${real.rows} real photo vectors with caption queries: ${fmt(real.recall, 3)}`);
    written.index = indexSection({ startedAt, loadBefore, photoSource: photos.source, bare, pipeline, rows, idleP95, busyP95, busyQueries: busyTimes.length, real });
  }
  grown?.library.close();

  if (sections.has('camera')) {
    const loadBefore = loadavg()[0]!;
    const startedAt = new Date();
    const dir = join(work.path, 'camera');
    const files = await writeCameraPhotos(dir, Number(args.camera));
    const bare = await runChild<ImageTowerFigures>(['bare', dir, modelArg]);
    const pipeline = await runChild<IndexingChildFigures>(['index', dir, join(work.path, 'camera-indexed'), modelArg, model.id, String(model.dim)]);
    log(
      `${files.length} 12 MP photos: bare tower ${fmt(bare.imagesPerSecond)} images/s, pipeline ${fmt(pipeline.steadyImagesPerSecond)} photos/s steady ` +
        `(${fmt((100 * pipeline.steadyImagesPerSecond) / bare.imagesPerSecond, 0)} %); decode ${fmt(bare.stageMs.decode)} ms CPU a photo`,
    );
    written.camera = cameraSection({ startedAt, loadBefore, photos: files.length, bare, pipeline });
  }
  await embedder.close();

  writeSections(join(projectRoot(), 'docs', 'benchmarks.md'), written);
  log(`wrote ${Object.keys(written).join(', ')} in docs/benchmarks.md`);
}

function growSection(startedAt: Date, loadBefore: number, querySource: string, steps: GrowthStep[], builds: IndexBuild[]): string[] {
  const policy = DEFAULT_VECTOR_INDEX_POLICY;
  return [
    '## Search as the library grows',
    '',
    `Measured by \`npm run bench\` (bench/run.ts) on ${startedAt.toISOString()}: ${machine(loadBefore)}.`,
    '',
    `One library grown from nothing to ${count(steps.at(-1)!.rows)} photos of synthetic clustered ${GROWTH_DIM}-d vectors (the default model's dimension; ` +
      'bench/synthetic.ts: a new cluster every 100 photos, so the first photos do not predict the later ones), in indexing runs of 5,000 photos ' +
      '(10 % of the library once that is more), each followed by `library.optimize()` as the indexer does. A (re)training it starts is waited for, ' +
      `with searches running meanwhile. Policy: exact below ${count(policy.minRows)} photos, then an index trained again each time the library reaches ` +
      `${policy.retrainGrowth}× the photos it was trained on; ${100 * policy.probeFraction} % of its partitions probed (at least ${policy.minProbes}), refine factor ${policy.refineFactor}. ` +
      `Searches: top 10 for vectors near stored ones (a sample over the whole library), recall@10 against exact search on the same rows. ` +
      `Text query: ${querySource} through the text tower, then the search (the tower's vector is not the one searched: it has the model's own dimension).`,
    '',
    ...growthTable(steps, builds),
  ];
}

interface IndexFigures {
  startedAt: Date;
  loadBefore: number;
  photoSource: string;
  bare: ImageTowerFigures;
  pipeline: IndexingChildFigures;
  rows: number;
  idleP95: number;
  busyP95: number;
  busyQueries: number;
  real: { rows: number; recall: number };
}

function indexSection(r: IndexFigures): string[] {
  const ratio = r.pipeline.steadyImagesPerSecond / r.bare.imagesPerSecond;
  return [
    '## Indexing (decode → preprocess → embed → thumbnail → store)',
    '',
    `Measured by \`npm run bench\` (bench/run.ts) on ${r.startedAt.toISOString()}: ${machine(r.loadBefore)}.`,
    '',
    `Photos: ${r.photoSource}. The pipeline runs in a child process (worker thread for decode + embed, main thread for LanceDB commits), as in the app.`,
    '',
    '| figure | value | target |',
    '|---|---|---|',
    `| bare image tower (pre-decoded, batch ${r.bare.batch}, 2 threads), at the indexing worker's priority (nice ${INDEXING_NICENESS}) | ${fmt(r.bare.imagesPerSecond)} images/s | — |`,
    `| indexing pipeline, steady (first to last committed batch) | ${fmt(r.pipeline.steadyImagesPerSecond)} images/s (${fmt(100 * ratio, 0)} % of bare at the same priority) | ≥ 80 % of bare |`,
    `| indexing pipeline, end to end (scan, model load, final index update included) | ${fmt(r.pipeline.imagesPerSecond)} images/s over ${r.pipeline.photos} photos | — |`,
    `| CPU busy while indexing | ${fmt(r.pipeline.coresBusy, 2)} of ${r.pipeline.cores} cores | both cores busy |`,
    `| peak RSS of the indexing process | ${fmt(r.pipeline.peakRssMb, 0)} MB | ≤ 800 MB |`,
    `| text query p95 on the ${count(r.rows)}-photo library above, idle → while batches are indexed (${r.busyQueries} queries) | ${fmt(r.idleP95)} → ${fmt(r.busyP95)} ms (${fmt(r.busyP95 / r.idleP95, 2)}×) | ≤ 2× |`,
    `| recall@10 of the index policy on the ${r.real.rows} real photo vectors indexed above (index forced), caption queries | ${fmt(r.real.recall, 3)} | ≥ 0.95 |`,
    '',
    `${stageCosts(r.bare)} With every stage keeping the cores busy, the pipeline's ceiling is the tower's share of that CPU: ${fmt(100 * ceiling(r.bare), 0)} % of the bare tower.`,
  ];
}

function stageCosts(bare: ImageTowerFigures): string {
  const s = bare.stageMs;
  return (
    `CPU per photo, one at a time: one decode ${fmt(s.decode)} ms, model input from it ${fmt(s.modelInput)} ms, thumbnail from it ${fmt(s.thumbnail)} ms ` +
    `(a second decode of the file for the thumbnail, as indexing did before, costs ${fmt(s.thumbnailFromFile)} ms); image tower ${fmt(s.embedCpu)} ms ` +
    `(batched, 2 threads: ${fmt(s.embed)} ms of wall time a photo).`
  );
}

/** What the pipeline can reach on these cores if nothing else ran: the tower's CPU share of a photo's CPU. */
function ceiling(bare: ImageTowerFigures): number {
  const s = bare.stageMs;
  return s.embedCpu / (s.decode + s.modelInput + s.thumbnail + s.embedCpu);
}

function cameraSection(r: { startedAt: Date; loadBefore: number; photos: number; bare: ImageTowerFigures; pipeline: IndexingChildFigures }): string[] {
  const ratio = r.pipeline.steadyImagesPerSecond / r.bare.imagesPerSecond;
  const s = r.bare.stageMs;
  const perPhoto = s.decode + s.modelInput + s.thumbnail;
  return [
    '## Indexing camera-size photos (12 MP)',
    '',
    `Measured by \`npm run bench\` (bench/run.ts) on ${r.startedAt.toISOString()}: ${machine(r.loadBefore)}.`,
    '',
    `Photos: ${r.photos} JPEGs of ${CAMERA_SIZE.width}×${CAMERA_SIZE.height} written by bench/camera-photos.ts (smooth colour under grain, quality 90, ~3 MB each, EXIF). ` +
      `Each is decoded once, at a shortest side of ${DECODED_SIDE} px (libjpeg shrink-on-load: an eighth of the size), for both its model input and its thumbnail.`,
    '',
    '| figure | value | target |',
    '|---|---|---|',
    `| bare image tower on the same photos (pre-decoded, batch ${r.bare.batch}, 2 threads, nice ${INDEXING_NICENESS}) | ${fmt(r.bare.imagesPerSecond)} images/s | — |`,
    `| indexing pipeline, steady | ${fmt(r.pipeline.steadyImagesPerSecond)} photos/s (**${fmt(100 * ratio, 0)} %** of bare) | ≥ 80 % of bare |`,
    `| indexing pipeline, end to end | ${fmt(r.pipeline.imagesPerSecond)} photos/s over ${r.pipeline.photos} photos | — |`,
    `| CPU busy while indexing | ${fmt(r.pipeline.coresBusy, 2)} of ${r.pipeline.cores} cores | — |`,
    `| CPU time of the indexing process per photo (all of it: read, hash, EXIF, decode, tower, commit) | ${fmt(r.pipeline.cpuMsPerPhoto)} ms | — |`,
    `| peak RSS of the indexing process | ${fmt(r.pipeline.peakRssMb, 0)} MB | ≤ 800 MB |`,
    '',
    `${stageCosts(r.bare)} Decoding and deriving cost ${fmt(perPhoto)} ms of CPU a photo against ${fmt(s.embedCpu)} ms for the tower: with every ` +
      `stage keeping the cores busy, the pipeline's ceiling is the tower's share of that CPU, ${fmt(100 * ceiling(r.bare), 0)} % of the bare tower; ` +
      `decoding the file a second time for the thumbnail (as before) put it at about ${fmt((100 * s.embedCpu) / (perPhoto + s.thumbnailFromFile - s.thumbnail + s.embedCpu), 0)} %.`,
  ];
}

try {
  await main();
} finally {
  work.remove();
}
