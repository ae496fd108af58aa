/**
 * The UI as a person feels it, measured in Chromium (browser mode, the built page) on synthetic libraries:
 * - search: from the last keystroke in the search box to the results painted (debounce, text tower, store
 *   query, transfer and rendering together), over typed queries;
 * - the library grid: frame intervals while it scrolls at a steady pace through 100,000 photos.
 *   npm run build && npx tsx bench/ui-bench.ts [--search-size 10000] [--scroll-size 100000] [--queries 20] [--scroll-seconds 6] [--no-write]
 * It prints the figures and rewrites its section of docs/benchmarks.md. Not part of `npm run bench`.
 */
import { chromium, type Page } from '@playwright/test';
import { fork } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { chromiumLaunchOptions } from '../e2e/support/browser.ts';
import { tempDir } from '../src/main/indexing/testing/fixtures.ts';
import { Library } from '../src/main/library/library.ts';
import type { PhotoRow } from '../src/main/library/schema.ts';
import { embeddedModelDir } from '../src/main/model/embedder.ts';
import { loadManifest } from '../src/main/model/manifest.ts';
import { projectRoot } from '../src/main/paths.ts';
import { writeSections } from './report.ts';
import { percentile, since } from './stats.ts';
import { SyntheticVectors, syntheticPhotoRow } from './synthetic.ts';

/** Thumbnails: this many small real JPEGs, shared by all the photos (each still fetched and decoded for its own photo). */
const THUMBS = 24;
const VIEWPORT = { width: 1360, height: 860 };
/** A quick typist (about 100 words a minute); each key is an `input` event that re-arms the search box's debounce. */
const KEY_DELAY_MS = 120;
const SCROLL_PX_PER_S = 3000;

const QUERIES = [
  'a dog running on the beach',
  'kids playing in the snow',
  'sunset over the mountains',
  'a birthday cake with candles',
  'people at a wedding',
  'a red car in the street',
  'a cat sleeping on a sofa',
  'boats in a harbour',
  'a city skyline at night',
  'a man riding a bicycle',
  'flowers in a garden',
  'a plate of pasta',
  'children on a swing',
  'a snowy forest',
  'friends around a campfire',
  'a waterfall in the jungle',
  'an old stone bridge',
  'a skier jumping',
  'a baby laughing',
  'a crowd at a concert',
];

interface SearchFigures {
  photos: number;
  samples: SearchSample[];
}

interface ScrollRun {
  intervals: number[];
  longTasks: number;
  distancePx: number;
}

interface ScrollFigures extends ScrollRun {
  photos: number;
  seconds: number;
  /**
   * CPU time per frame on the page's main thread (from a Chrome trace of a second pass: thread time, so what the
   * page costs whatever else the machine runs): all its tasks, and script, style, layout and paint within them.
   */
  perFrame: Record<TracedWork, number>;
}

async function embeddedModel(): Promise<{ id: string; dim: number }> {
  const manifest = await loadManifest(embeddedModelDir());
  return { id: manifest.id, dim: manifest.embeddingDim };
}

/** A data folder with `photos` synthetic rows whose thumbnails are real JPEGs; the vector index built where the app would build one. */
async function syntheticLibrary(root: string, photos: number, vectorIndex: boolean): Promise<string> {
  const model = await embeddedModel();
  const dataDir = join(root, `ui-${photos}`);
  const library = await Library.open({
    dir: join(dataDir, 'library'),
    model,
    ...(vectorIndex ? {} : { vectorIndex: { minRows: Number.POSITIVE_INFINITY } }),
  });
  const thumbsDir = join(library.dir, 'thumbs', 'bench');
  mkdirSync(thumbsDir, { recursive: true });
  for (let t = 0; t < THUMBS; t++) {
    const hue = (t * 41) % 360;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="256" height="192">
      <defs><linearGradient id="g" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue},50%,70%)"/><stop offset="1" stop-color="hsl(${(hue + 60) % 360},45%,35%)"/></linearGradient></defs>
      <rect width="256" height="192" fill="url(#g)"/><circle cx="${60 + ((t * 37) % 140)}" cy="96" r="${30 + (t % 4) * 10}" fill="hsl(${(hue + 180) % 360},55%,50%)"/>
    </svg>`;
    await sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toFile(join(thumbsDir, `${t}.jpg`));
  }
  const vectors = new SyntheticVectors(model.dim, 64, 1 / Math.sqrt(model.dim));
  for (let start = 0; start < photos; start += 20_000) {
    const batch: PhotoRow[] = [];
    for (let i = start; i < Math.min(photos, start + 20_000); i++) {
      batch.push({ ...syntheticPhotoRow(i, vectors.next(), model.id), thumb: `thumbs/bench/${i % THUMBS}.jpg` });
    }
    await library.photos.write(batch, new Set(batch.map((row) => row.id)));
  }
  await library.optimize();
  await library.vectorIndexesSettled();
  library.close();
  return dataDir;
}

interface Server {
  url: string;
  /** CPU time the server process has used so far (all its threads), in ms. */
  cpuMs(): Promise<number>;
  close(): Promise<void>;
}

/** Browser mode in its own process (bench/serve-child.ts), serving the built page. */
async function serveInChild(dataDir: string, rendererDir: string): Promise<Server> {
  const child = fork(fileURLToPath(new URL('./serve-child.ts', import.meta.url)), [dataDir, rendererDir], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const { origin, token } = await new Promise<{ origin: string; token: string }>((resolve, reject) => {
    child.once('message', (message) => resolve(message as { origin: string; token: string }));
    child.once('exit', (code) => reject(new Error(`the server process exited with ${code}`)));
  });
  return {
    url: `${origin}/?token=${token}`,
    cpuMs() {
      const reply = new Promise<number>((resolve) => child.once('message', (message) => resolve((message as { cpuMs: number }).cpuMs)));
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

/** In the page: stamps the last `input` event of the search box, and the first frame painted after results for `query` are in the DOM. */
const installSearchProbe = `(() => {
  const probe = { query: '', lastInput: 0, painted: 0, seen: false };
  window.__searchProbe = probe;
  // Every thumbnail is a resource entry too: past the default 250 the browser would stop recording them.
  performance.setResourceTimingBufferSize(1000000);
  document.addEventListener('input', (event) => {
    if (event.target instanceof HTMLInputElement && event.target.type === 'search') probe.lastInput = performance.now();
  }, true);
  new MutationObserver(() => {
    if (!probe.query || probe.seen) return;
    const status = document.querySelector('main [role="status"]');
    // Results are a grid, or, where no photo stands out (as for most synthetic vectors), the "No photos match" state.
    const shown = document.querySelector('main [role="option"]') || [...document.querySelectorAll('main button')].some((b) => b.textContent.startsWith('Show the'));
    if (!status || !status.textContent.includes('“' + probe.query + '”') || !shown) return;
    probe.seen = true;
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => { probe.painted = performance.now(); };
      channel.port2.postMessage(0);
    });
  }).observe(document.body, { subtree: true, childList: true, characterData: true });
})()`;

/** One typed query: the whole wait, and its parts (until the requests went out, the requests, the rendering). */
interface SearchSample {
  total: number;
  debounce: number;
  requests: number;
  render: number;
  /** The server's CPU time for the whole typed query (the searches for its prefixes included). */
  serverCpu: number;
}

async function searchOnce(page: Page, server: Server, query: string): Promise<SearchSample> {
  const box = page.getByRole('searchbox', { name: 'Search photos' });
  await box.press('Escape');
  await page.getByRole('listbox', { name: /All photos/ }).waitFor();
  await page.waitForTimeout(400);
  await page.evaluate(
    `performance.clearResourceTimings(); Object.assign(window.__searchProbe, { query: ${JSON.stringify(query)}, painted: 0, seen: false })`,
  );
  const cpuBefore = await server.cpuMs();
  await box.pressSequentially(query, { delay: KEY_DELAY_MS });
  await page.waitForFunction(() => (globalThis as unknown as { __searchProbe: { painted: number } }).__searchProbe.painted > 0, undefined, {
    timeout: 30_000,
  });
  // The requests for the final text: those that started after the last keystroke (earlier ones were for prefixes).
  const probe = (await page.evaluate(`(() => {
    const { lastInput, painted } = window.__searchProbe;
    const searches = performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/search.') && e.startTime >= lastInput);
    const sent = searches.length ? Math.min(...searches.map((e) => e.startTime)) : 0;
    const answered = Math.max(0, ...searches.map((e) => e.responseEnd));
    return { lastInput, painted, sent, answered };
  })()`)) as { lastInput: number; painted: number; sent: number; answered: number };
  if (probe.sent === 0) throw new Error(`No search request was seen for "${query}".`);
  const serverCpu = (await server.cpuMs()) - cpuBefore;
  return {
    serverCpu,
    total: probe.painted - probe.lastInput,
    debounce: probe.sent - probe.lastInput,
    requests: probe.answered - probe.sent,
    render: probe.painted - probe.answered,
  };
}

async function benchSearch(page: Page, server: Server, photos: number, queries: number): Promise<SearchFigures> {
  await page.goto(server.url);
  await page.getByRole('listbox', { name: /All photos/ }).waitFor({ timeout: 60_000 });
  await page.evaluate(installSearchProbe);
  await page.getByRole('searchbox', { name: 'Search photos' }).click();
  await searchOnce(page, server, 'warming up the text tower');
  const samples: SearchSample[] = [];
  for (let i = 0; i < queries; i++) samples.push(await searchOnce(page, server, QUERIES[i % QUERIES.length]!));
  return { photos, samples };
}

/** In the page: scrolls the grid at a steady pace for `seconds` and returns every frame interval, and the long tasks seen. */
function scrollScript(seconds: number): string {
  return `new Promise((resolve) => {
    const grid = document.querySelector('main [role="listbox"]');
    const intervals = [];
    let longTasks = 0;
    const observer = new PerformanceObserver((list) => { longTasks += list.getEntries().length; });
    observer.observe({ type: 'longtask' });
    const from = grid.scrollTop;
    let start = 0;
    let last = 0;
    const tick = (now) => {
      if (start === 0) start = now;
      else intervals.push(now - last);
      last = now;
      grid.scrollTop = from + ((now - start) / 1000) * ${SCROLL_PX_PER_S};
      if (now - start < ${seconds * 1000}) requestAnimationFrame(tick);
      else { observer.disconnect(); resolve({ intervals, longTasks, distancePx: grid.scrollTop - from }); }
    };
    requestAnimationFrame(tick);
  })`;
}

async function benchScroll(page: Page, url: string, photos: number, seconds: number): Promise<ScrollFigures> {
  await page.goto(url);
  const grid = page.getByRole('listbox', { name: /All photos/ });
  await grid.waitFor({ timeout: 120_000 });
  await page.getByRole('option').first().locator('img[data-thumb="shown"]').waitFor({ timeout: 60_000 });
  // Start a third of the way down, reached with the timeline scrubber as a person would.
  const scrubber = page.getByRole('slider', { name: 'Timeline' });
  const bar = (await scrubber.boundingBox())!;
  await page.mouse.click(bar.x + bar.width / 2, bar.y + bar.height / 3);
  await page.waitForTimeout(1500);
  const result = (await page.evaluate(scrollScript(seconds))) as ScrollRun;
  // Tracing costs frames itself (about a fifth of them here), so the CPU per frame comes from a second pass, further down.
  const browser = page.context().browser()!;
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  const traced = (await page.evaluate(scrollScript(seconds))) as ScrollRun;
  const cpu = mainThreadCpu(await browser.stopTracing());
  const perFrame = Object.fromEntries(Object.entries(cpu).map(([work, ms]) => [work, ms / Math.max(1, traced.intervals.length)])) as Record<TracedWork, number>;
  return { photos, seconds, ...result, perFrame };
}

type TracedWork = 'task' | 'script' | 'style' | 'layout' | 'paint';

const TRACED: Record<string, TracedWork> = {
  RunTask: 'task',
  FunctionCall: 'script',
  EvaluateScript: 'script',
  TimerFire: 'script',
  FireAnimationFrame: 'script',
  EventDispatch: 'script',
  UpdateLayoutTree: 'style',
  Layout: 'layout',
  Paint: 'paint',
  PrePaint: 'paint',
};

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/**
 * CPU milliseconds spent on the page's main thread (CrRendererMain) in a Chrome trace, by kind of work. An event
 * inside another of the same kind (a function call within an event dispatch) is counted once, at the outermost.
 */
function mainThreadCpu(trace: Buffer): Record<TracedWork, number> {
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const mains = new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const totals: Record<TracedWork, number> = { task: 0, script: 0, style: 0, layout: 0, paint: 0 };
  const coveredUntil: Record<string, number> = {};
  const timed = events.filter((e) => e.ph === 'X' && TRACED[e.name] && e.tdur !== undefined && mains.has(`${e.pid}:${e.tid}`));
  for (const event of timed.sort((a, b) => a.ts - b.ts)) {
    const kind = TRACED[event.name]!;
    const key = `${event.pid}:${event.tid}:${kind}`;
    if (event.ts < (coveredUntil[key] ?? 0)) continue;
    coveredUntil[key] = event.ts + (event.dur ?? 0);
    totals[kind] += event.tdur! / 1000;
  }
  return totals;
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

const part = (f: SearchFigures, key: keyof SearchSample) => f.samples.map((sample) => sample[key]);
const p50p95 = (values: number[]) => `${fmt(percentile(values, 0.5), 0)} / ${fmt(percentile(values, 0.95), 0)} ms`;

function describeSearch(f: SearchFigures): string {
  return (
    `search at ${f.photos} photos, ${f.samples.length} typed queries, p50 / p95: last keystroke → results painted ${p50p95(part(f, 'total'))} ` +
    `(max ${fmt(Math.max(...part(f, 'total')), 0)} ms); of which until the requests left ${p50p95(part(f, 'debounce'))}, ` +
    `the requests ${p50p95(part(f, 'requests'))}, rendering ${p50p95(part(f, 'render'))}; server CPU per typed query ${p50p95(part(f, 'serverCpu'))}`
  );
}

function describeScroll(f: ScrollFigures): string {
  const slow = f.intervals.filter((ms) => ms > 1.5 * (1000 / 60)).length;
  return (
    `scroll at ${f.photos} photos, ${f.seconds} s at ${SCROLL_PX_PER_S} px/s: ${f.intervals.length} frames, interval p50 ${fmt(percentile(f.intervals, 0.5))} ms, ` +
    `p95 ${fmt(percentile(f.intervals, 0.95))} ms, p99 ${fmt(percentile(f.intervals, 0.99))} ms, max ${fmt(Math.max(...f.intervals))} ms; ` +
    `${slow} frames over 25 ms; ${f.longTasks} long tasks; main-thread CPU per frame ${fmt(f.perFrame.task, 2)} ms ` +
    `(script ${fmt(f.perFrame.script, 2)}, style ${fmt(f.perFrame.style, 2)}, layout ${fmt(f.perFrame.layout, 2)}, paint ${fmt(f.perFrame.paint, 2)})`
  );
}

function machine(loadBefore: number, browser: string): string {
  return (
    `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${browser} headless ` +
    `(software rendering, --disable-gpu); load average ${fmt(loadBefore)} at the start and ${fmt(loadavg()[0]!)} at the end`
  );
}

function section(search: SearchFigures | null, scroll: ScrollFigures | null, when: Date, machineLine: string): string[] {
  const rows: string[] = [];
  if (search) {
    const total = part(search, 'total');
    rows.push(
      `| search: last keystroke → results painted | ${search.photos.toLocaleString('en')} | ${search.samples.length} typed queries | ` +
        `${fmt(percentile(total, 0.5), 0)} ms | ${fmt(percentile(total, 0.95), 0)} ms | ${fmt(Math.max(...total), 0)} ms | ≤ 250 ms |`,
      `| … until the requests leave (debounce) | | | ${fmt(percentile(part(search, 'debounce'), 0.5), 0)} ms | ${fmt(percentile(part(search, 'debounce'), 0.95), 0)} ms | | |`,
      `| … search.text and search.notes (in parallel) | | | ${fmt(percentile(part(search, 'requests'), 0.5), 0)} ms | ${fmt(percentile(part(search, 'requests'), 0.95), 0)} ms | | |`,
      `| … rendering until painted | | | ${fmt(percentile(part(search, 'render'), 0.5), 0)} ms | ${fmt(percentile(part(search, 'render'), 0.95), 0)} ms | | |`,
      `| server CPU per typed query (its prefixes' searches included) | | | ${fmt(percentile(part(search, 'serverCpu'), 0.5), 0)} ms | ` +
        `${fmt(percentile(part(search, 'serverCpu'), 0.95), 0)} ms | | |`,
    );
  }
  if (scroll) {
    rows.push(
      `| grid: frame interval while scrolling | ${scroll.photos.toLocaleString('en')} | ${scroll.intervals.length} frames over ${scroll.seconds} s ` +
        `(${scroll.longTasks} long tasks) | ${fmt(percentile(scroll.intervals, 0.5))} ms | ${fmt(percentile(scroll.intervals, 0.95))} ms | ` +
        `${fmt(Math.max(...scroll.intervals))} ms | ≤ 16.7 ms |`,
      `| … the page's main-thread CPU per frame (script / style / layout / paint) | | | mean ${fmt(scroll.perFrame.task, 2)} ms ` +
        `(${fmt(scroll.perFrame.script, 2)} / ${fmt(scroll.perFrame.style, 2)} / ${fmt(scroll.perFrame.layout, 2)} / ${fmt(scroll.perFrame.paint, 2)}) | | | |`,
    );
  }
  return [
    '## UI in Chromium',
    '',
    `Measured by \`npx tsx bench/ui-bench.ts\` on ${when.toISOString()}: ${machineLine}. The built page in browser mode, served by ` +
      '`bench/serve-child.ts` in its own process, driven by Playwright at 1360 × 860. Synthetic libraries written straight into the store ' +
      `(bench/synthetic.ts: ten years of capture times, 3 % undated; thumbnails: ${THUMBS} small real JPEGs shared, each fetched for its own photo), ` +
      'the vector index built as the indexer would.',
    '',
    `- **Search**: each query typed into the search box at ${KEY_DELAY_MS} ms a key (from the library, as a person starts a search); ` +
      'timed in the page from the last `input` event to the first frame after the results for that query are in the DOM ' +
      '(a `MutationObserver`, then `requestAnimationFrame` and a message: the frame has been painted). Debounce, text tower, vector search, ' +
      'note search, transfer and rendering included; a first query warms the text tower up and is not counted.',
    `- **Grid**: after a jump a third of the way down with the timeline scrubber, the grid's scroll position is advanced at ${SCROLL_PX_PER_S} px/s ` +
      'in `requestAnimationFrame` (paging in photos and thumbnails as it goes); every interval between frames is kept. 16.7 ms is one frame at 60 Hz. ' +
      'The main thread\'s CPU per frame is read from a Chrome trace of a second pass further down, since tracing slows the frames it records.',
    '',
    '| what | photos | samples | p50 | p95 | max | target p95 |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: {
      'search-size': { type: 'string', default: '10000' },
      'scroll-size': { type: 'string', default: '100000' },
      queries: { type: 'string', default: '20' },
      'scroll-seconds': { type: 'string', default: '6' },
      write: { type: 'boolean', default: true },
    },
    allowNegative: true,
  });
  const rendererDir = join(projectRoot(), 'out', 'renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) throw new Error('No built page in out/renderer: run `npm run build` first.');
  const when = new Date();
  const loadBefore = loadavg()[0]!;
  const work = tempDir('ui-bench');
  const browser = await chromium.launch(await chromiumLaunchOptions());
  let search: SearchFigures | null = null;
  let scroll: ScrollFigures | null = null;
  try {
    const searchSize = Number(values['search-size']);
    if (searchSize > 0 && Number(values.queries) > 0) {
      const started = performance.now();
      const server = await serveInChild(await syntheticLibrary(work.path, searchSize, true), rendererDir);
      console.log(`library of ${searchSize} photos ready in ${fmt(since(started) / 1000)} s`);
      const page = await browser.newPage({ viewport: VIEWPORT });
      try {
        search = await benchSearch(page, server, searchSize, Number(values.queries));
        console.log(describeSearch(search));
      } finally {
        await page.close();
        await server.close();
      }
    }
    const scrollSize = Number(values['scroll-size']);
    if (scrollSize > 0) {
      const started = performance.now();
      const server = await serveInChild(await syntheticLibrary(work.path, scrollSize, false), rendererDir);
      console.log(`library of ${scrollSize} photos ready in ${fmt(since(started) / 1000)} s`);
      const page = await browser.newPage({ viewport: VIEWPORT });
      try {
        scroll = await benchScroll(page, server.url, scrollSize, Number(values['scroll-seconds']));
        console.log(describeScroll(scroll));
      } finally {
        await page.close();
        await server.close();
      }
    }
    if (values.write) {
      writeSections(join(projectRoot(), 'docs', 'benchmarks.md'), { ui: section(search, scroll, when, machine(loadBefore, `Chromium ${browser.version()}`)) });
      console.log('wrote its section of docs/benchmarks.md');
    }
  } finally {
    await browser.close();
    work.remove();
  }
}
