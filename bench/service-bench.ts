/**
 * What the library grid waits for, measured through the service (dispatch, validation and DTO mapping
 * included) on synthetic libraries, and a burst of requests through the real HTTP server.
 *   npx tsx bench/service-bench.ts [--sizes 10000,100000] [--burst-size 10000] [--requests 2000] [--concurrency 100]
 * Run alone, it also rewrites its section of docs/benchmarks.md; `npm run bench` includes it.
 */
import { fork } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { tempDir } from '../src/main/indexing/testing/fixtures.ts';
import { Library } from '../src/main/library/library.ts';
import type { PhotoRow } from '../src/main/library/schema.ts';
import { embeddedModelDir } from '../src/main/model/embedder.ts';
import { loadManifest } from '../src/main/model/manifest.ts';
import { projectRoot } from '../src/main/paths.ts';
import { openService, type Service } from '../src/main/service.ts';
import { percentile, since } from './stats.ts';
import { SyntheticVectors, syntheticPhotoRow } from './synthetic.ts';

export interface ServiceFigures {
  photos: number;
  dim: number;
  fillSeconds: number;
  /** The first `photos.list` after opening the service (whatever it builds on first use). */
  firstListMs: number;
  list: Latency;
  listFiltered: Latency;
  timeline: Latency;
  timelineFiltered: Latency;
  facets: Latency;
}

/** What the server process reports: its resident memory and the CPU time it has used so far. */
interface Usage {
  rssMb: number;
  cpuMs: number;
}

export interface BurstFigures {
  photos: number;
  requests: number;
  concurrency: number;
  failed: number;
  seconds: number;
  latency: Latency;
  rssBeforeMb: number;
  rssPeakMb: number;
  rssAfterMb: number;
}

interface Latency {
  samples: number;
  p50: number;
  p95: number;
  /** CPU time per call, all of the process's threads (LanceDB's included): what a call costs, whatever else the machine runs. */
  cpuMs: number;
}

const PAGE = 60;
/** A request that takes longer than this counts as failed: the burst stays bounded in time. */
const REQUEST_TIMEOUT_MS = 60_000;

function latency(times: number[], cpuMs: number): Latency {
  return { samples: times.length, p50: percentile(times, 0.5), p95: percentile(times, 0.95), cpuMs: cpuMs / times.length };
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** Calls `method` once per request, one after another: the wall times and the CPU used. */
async function sampled(service: Service, method: string, requests: unknown[]): Promise<Latency> {
  const times: number[] = [];
  const cpu = process.cpuUsage();
  for (const request of requests) times.push(await timed(service, method, request));
  return latency(times, cpuMsSince(cpu));
}

/** The embedded model's id and dimension: the service opens the library for it. */
async function embeddedModel(): Promise<{ id: string; dim: number }> {
  const manifest = await loadManifest(embeddedModelDir());
  return { id: manifest.id, dim: manifest.embeddingDim };
}

/** A data folder whose library holds `photos` synthetic rows, with the scalar indexes the indexer would have built. */
async function syntheticDataDir(root: string, photos: number, model: { id: string; dim: number }): Promise<{ dataDir: string; seconds: number }> {
  const dataDir = join(root, `service-${photos}`);
  const start = performance.now();
  // No ANN index: these methods never search by vector, and building one at 100k takes a minute.
  const library = await Library.open({ dir: join(dataDir, 'library'), model, vectorIndex: { minRows: Number.POSITIVE_INFINITY } });
  const vectors = new SyntheticVectors(model.dim, 64, 1 / Math.sqrt(model.dim));
  for (let start = 0; start < photos; start += 20_000) {
    const batch: PhotoRow[] = [];
    for (let i = start; i < Math.min(photos, start + 20_000); i++) batch.push(syntheticPhotoRow(i, vectors.next(), model.id));
    await library.photos.write(batch, new Set(batch.map((row) => row.id)));
  }
  await library.optimize();
  library.close();
  return { dataDir, seconds: since(start) / 1000 };
}

async function timed(service: Service, method: string, request: unknown): Promise<number> {
  const start = performance.now();
  const envelope = await service.dispatch(method, request);
  const ms = since(start);
  if (!envelope.ok) throw new Error(`${method} failed: ${envelope.error.message}`);
  return ms;
}

/** Offsets spread over the whole library, first and last pages included, in a fixed shuffled order. */
function pageOffsets(photos: number, count: number): number[] {
  const pages = Math.max(1, Math.floor(photos / PAGE));
  return Array.from({ length: count }, (_, i) => (i === 0 ? 0 : i === 1 ? (pages - 1) * PAGE : ((i * 7919) % pages) * PAGE));
}

const FILTERS = [{ camera: 'Pixel 7' }, { folder: '/bench/photos/2019' }, { dateFrom: '2018-03-01', dateTo: '2018-09-30' }, { camera: 'iPhone 13', folder: '/bench/photos/2021' }];

export async function benchServiceMethods(root: string, photos: number, samples: number): Promise<ServiceFigures & { dataDir: string }> {
  const model = await embeddedModel();
  const { dataDir, seconds } = await syntheticDataDir(root, photos, model);
  const service = await openService({ dataDir, watch: false });
  try {
    const firstListMs = await timed(service, 'photos.list', { offset: 0, limit: PAGE });
    const each = <T>(make: (i: number) => T) => Array.from({ length: samples }, (_, i) => make(i));
    return {
      dataDir,
      photos,
      dim: model.dim,
      fillSeconds: seconds,
      firstListMs,
      list: await sampled(service, 'photos.list', pageOffsets(photos, samples).map((offset) => ({ offset, limit: PAGE }))),
      listFiltered: await sampled(service, 'photos.list', each((i) => ({ filters: FILTERS[i % FILTERS.length], offset: (i % 3) * PAGE, limit: PAGE }))),
      timeline: await sampled(service, 'photos.timeline', each(() => ({}))),
      timelineFiltered: await sampled(service, 'photos.timeline', each((i) => ({ filters: FILTERS[i % FILTERS.length] }))),
      facets: await sampled(service, 'library.facets', each(() => ({}))),
    };
  } finally {
    await service.close();
  }
}

interface Child {
  origin: string;
  token: string;
  usage(): Promise<Usage>;
  close(): Promise<void>;
}

async function serveInChild(dataDir: string): Promise<Child> {
  const child = fork(fileURLToPath(new URL('./serve-child.ts', import.meta.url)), [dataDir], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  // The child answers in the order it is asked.
  const waiting: { resolve: (message: unknown) => void; reject: (error: Error) => void }[] = [];
  child.on('message', (message) => waiting.shift()?.resolve(message));
  child.on('exit', (code) => {
    for (const pending of waiting.splice(0)) pending.reject(new Error(`the server process exited with ${code}`));
  });
  const next = <T>() => new Promise<T>((resolve, reject) => waiting.push({ resolve: (message) => resolve(message as T), reject }));
  const { origin, token } = await next<{ origin: string; token: string }>();
  return {
    origin,
    token,
    async usage() {
      const reply = next<Usage>();
      child.send('usage');
      return reply;
    },
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send('close');
      await exited;
    },
  };
}

function post(agent: Agent, origin: string, token: string, method: string, body: unknown): Promise<number> {
  const { hostname, port } = new URL(origin);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      { agent, host: hostname, port, path: `/api/${method}`, method: 'POST', timeout: REQUEST_TIMEOUT_MS, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'content-length': Buffer.byteLength(payload) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(payload);
  });
}

/** `requests` photos.list calls through the real server, `concurrency` in flight at once, all to 127.0.0.1. */
export async function benchBurst(dataDir: string, photos: number, requests: number, concurrency: number): Promise<BurstFigures> {
  const server = await serveInChild(dataDir);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  try {
    const offsets = pageOffsets(photos, requests);
    await post(agent, server.origin, server.token, 'photos.list', { offset: 0, limit: PAGE });
    const before = await server.usage();
    let rssPeakMb = before.rssMb;
    const sampler = setInterval(() => void server.usage().then(({ rssMb }) => (rssPeakMb = Math.max(rssPeakMb, rssMb))), 250);
    const times: number[] = [];
    let failed = 0;
    let nextRequest = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (nextRequest < requests) {
          const offset = offsets[nextRequest++]!;
          const t = performance.now();
          const status = await post(agent, server.origin, server.token, 'photos.list', { offset, limit: PAGE }).catch(() => 0);
          if (status === 200) times.push(since(t));
          else failed++;
        }
      }),
    );
    const seconds = since(start) / 1000;
    clearInterval(sampler);
    const after = await server.usage();
    return {
      photos,
      requests,
      concurrency,
      failed,
      seconds,
      latency: latency(times, after.cpuMs - before.cpuMs),
      rssBeforeMb: before.rssMb,
      rssPeakMb: Math.max(rssPeakMb, after.rssMb),
      rssAfterMb: after.rssMb,
    };
  } finally {
    agent.destroy();
    await server.close();
  }
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const figure = (l: Latency) => `${fmt(l.p50)} / ${fmt(l.p95)} ms (${fmt(l.cpuMs, 2)})`;

export function describeMethods(f: ServiceFigures): string {
  return (
    `service ${f.photos}: first list ${fmt(f.firstListMs)} ms; p50 / p95 (CPU per call): list ${figure(f.list)}, filtered ${figure(f.listFiltered)}; ` +
    `timeline ${figure(f.timeline)}, filtered ${figure(f.timelineFiltered)}; facets ${figure(f.facets)}`
  );
}

export function describeBurst(b: BurstFigures): string {
  return (
    `burst at ${b.photos}: ${b.requests} × photos.list, ${b.concurrency} at once, ${fmt(b.seconds)} s, ${b.failed} failed; ` +
    `p50 / p95 (server CPU per request) ${figure(b.latency)}; server RSS ${fmt(b.rssBeforeMb, 0)} → peak ${fmt(b.rssPeakMb, 0)} → ${fmt(b.rssAfterMb, 0)} MB`
  );
}

export const SECTION_TITLE = '## Library grid API (photos.list, photos.timeline, library.facets) through the service';

/** The section of docs/benchmarks.md these figures fill. */
export function serviceSection(methods: ServiceFigures[], burst: BurstFigures | null, when: Date, loadBefore: number): string[] {
  return [
    SECTION_TITLE,
    '',
    `Written by \`npx tsx bench/service-bench.ts\` (also part of \`npm run bench\`) on ${when.toISOString()}, ${cpus().length} shared cores ` +
      `(load average ${fmt(loadBefore)} when it started, ${fmt(loadavg()[0]!)} when it ended; the benchmark runs at nice 10 beneath a training run). ` +
      `Synthetic libraries (bench/synthetic.ts: ten years of capture times, 3 % undated, four camera labels and photos without one, folders by month) with ${methods[0]?.dim ?? '?'}-d vectors ` +
      '(the embedded model\'s) and the scalar indexes the indexer builds; timed through `service.dispatch` (request validation, the store, DTO mapping, ' +
      `response validation), pages of ${PAGE} at offsets spread over the whole library. Filtered: by camera, folder, a date range, and camera + folder in turn.`,
    '',
    'Each cell: p50 / p95 wall time, and in brackets the CPU time per call (all threads of the process, LanceDB\'s included), which says what a ' +
      'call costs whatever else the machine is running.',
    '',
    '| photos | first list after open | list | filtered list | timeline | filtered timeline | library.facets | target p95 |',
    '|---|---|---|---|---|---|---|---|',
    ...methods.map(
      (f) =>
        `| ${f.photos.toLocaleString('en')} | ${fmt(f.firstListMs)} ms | ${figure(f.list)} | ${figure(f.listFiltered)} | ${figure(f.timeline)} | ` +
        `${figure(f.timelineFiltered)} | ${figure(f.facets)} | ≤ 30 ms |`,
    ),
    '',
    ...(burst
      ? [
          `Burst through the real HTTP server (its own process, 127.0.0.1): ${burst.requests} \`photos.list\` requests, ${burst.concurrency} in flight at once, ` +
            `on ${burst.photos.toLocaleString('en')} photos.`,
          '',
          '| requests | failed | wall time | p50 | p95 | target p95 | server CPU per request | server RSS before → peak → after |',
          '|---|---|---|---|---|---|---|---|',
          `| ${burst.requests} | ${burst.failed} | ${fmt(burst.seconds)} s | ${fmt(burst.latency.p50)} ms | ${fmt(burst.latency.p95)} ms | ≤ 2000 ms | ` +
            `${fmt(burst.latency.cpuMs, 2)} ms | ${fmt(burst.rssBeforeMb, 0)} → ${fmt(burst.rssPeakMb, 0)} → ${fmt(burst.rssAfterMb, 0)} MB |`,
          '',
        ]
      : []),
    'Before the grid order (2026-12-01, this benchmark on the code of commit 6ae6394, load average 6–8): every call scanned the table. ' +
      'At 10,000 photos list 17.0 / 23.1 ms (21.3 ms CPU), filtered list 15.1 / 19.4 ms (15.9), timeline 61.1 / 103.3 ms (63.8), ' +
      'library.facets 132 / 174 ms (130); at 100,000 list 151 / 348 ms (175), filtered list 35 / 55 ms (40), timeline 638 / 796 ms (593), ' +
      'filtered timeline 59 / 117 ms (62), library.facets 1,205 / 1,707 ms (1,208), and the UI asks for facets once a second while indexing. ' +
      'The burst at 10,000: 58.1 s, p50 2.9 s, p95 5.1 s, 28.2 ms of server CPU a request, RSS 191 → 668 MB (peak) → 650 MB; ' +
      'at load average ~15, p95 36.4 s with 96 of the 2,000 requests past the 60 s timeout, RSS 193 → 703 MB.',
    '',
  ];
}

/** Replaces this benchmark's section of docs/benchmarks.md (or appends it), leaving the rest as `npm run bench` wrote it. */
function writeSection(lines: string[]): void {
  const file = join(projectRoot(), 'docs', 'benchmarks.md');
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(SECTION_TITLE);
  const after = start < 0 ? -1 : text.indexOf('\n## ', start + SECTION_TITLE.length);
  const before = start < 0 ? `${text.trimEnd()}\n\n` : text.slice(0, start);
  const rest = after < 0 ? '' : text.slice(after + 1);
  writeFileSync(file, before + lines.join('\n') + (rest ? `\n${rest}` : ''));
}

export async function benchService(options: { sizes: number[]; burstSize: number; requests: number; concurrency: number; samples: number }, log: (line: string) => void) {
  const loadBefore = loadavg()[0]!;
  const work = tempDir('service-bench');
  try {
    const methods: ServiceFigures[] = [];
    let burstDir: string | undefined;
    for (const size of options.sizes) {
      const { dataDir, ...figures } = await benchServiceMethods(work.path, size, options.samples);
      methods.push(figures);
      log(describeMethods(figures));
      if (size === options.burstSize) burstDir = dataDir;
    }
    let burst: BurstFigures | null = null;
    if (options.requests > 0) {
      burstDir ??= (await syntheticDataDir(work.path, options.burstSize, await embeddedModel())).dataDir;
      burst = await benchBurst(burstDir, options.burstSize, options.requests, options.concurrency);
      log(describeBurst(burst));
    }
    return { methods, burst, loadBefore };
  } finally {
    work.remove();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '10000,100000' },
      'burst-size': { type: 'string', default: '10000' },
      requests: { type: 'string', default: '2000' },
      concurrency: { type: 'string', default: '100' },
      samples: { type: 'string', default: '100' },
      write: { type: 'boolean', default: true },
    },
    allowNegative: true,
  });
  const when = new Date();
  const { methods, burst, loadBefore } = await benchService(
    {
      sizes: values.sizes.split(',').map(Number),
      burstSize: Number(values['burst-size']),
      requests: Number(values.requests),
      concurrency: Number(values.concurrency),
      samples: Number(values.samples),
    },
    (line) => console.log(line),
  );
  if (values.write) {
    writeSection(serviceSection(methods, burst, when, loadBefore));
    console.log('wrote its section of docs/benchmarks.md');
  }
}
