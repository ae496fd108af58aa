/**
 * The indexing side of the benchmark, in its own process so that its peak memory is the indexer's alone.
 *   bare <photosDir> <modelDir|->: the bare image tower at the indexing worker's thread priority (the
 *     conditions the pipeline runs under); prints its figures as one JSON line.
 *   index <photosDir> <libraryDir> <modelDir|-> <modelId> <dim>: indexes the folder into a fresh library;
 *     prints `{"committed": n}` after each batch, then one JSON line of figures.
 */
import { readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Library } from '../src/main/library/library.ts';
import { Indexer } from '../src/main/indexing/indexer.ts';
import { lowerThreadPriority } from '../src/main/indexing/priority.ts';
import { benchImageTower } from './image-tower-bench.ts';

export interface IndexingChildFigures {
  photos: number;
  failed: number;
  seconds: number;
  /** Start to finish: scan, worker and model start, every batch, and the final index update. */
  imagesPerSecond: number;
  /** From the first committed batch to the last: the rate a large library is indexed at. */
  steadyImagesPerSecond: number;
  peakRssMb: number;
  /** CPU time of the process (all threads) over wall time: 2.0 means both cores busy throughout. */
  coresBusy: number;
  /** CPU time of the process per photo: what contention on a shared machine does not change. */
  cpuMsPerPhoto: number;
  cores: number;
}

const [mode, photos, ...rest] = process.argv.slice(2);
if (mode === 'bare' && photos && rest[0]) {
  lowerThreadPriority();
  const sample = readdirSync(photos).sort().slice(0, 256).map((name) => join(photos, name));
  process.stdout.write(`${JSON.stringify(await benchImageTower(rest[0] === '-' ? {} : { modelDir: rest[0] }, sample))}\n`);
  process.exit(0);
}
const [libraryDir, modelDir, modelId, dim] = rest;
if (mode !== 'index' || !photos || !libraryDir || !modelDir || !modelId || !dim) {
  throw new Error('usage: indexing-child.ts bare <photosDir> <modelDir|-> | index <photosDir> <libraryDir> <modelDir|-> <modelId> <dim>');
}
const modelOptions = modelDir === '-' ? {} : { modelDir };

const library = await Library.open({ dir: libraryDir, model: { id: modelId, dim: Number(dim) } });
const indexer = new Indexer({ library, embedder: modelOptions, watch: false });
let peak = process.memoryUsage().rss;
const commits: { at: number; done: number }[] = [];
indexer.subscribe((progress) => {
  if (progress.done <= (commits.at(-1)?.done ?? 0)) return;
  commits.push({ at: performance.now(), done: progress.done });
  process.stdout.write(`${JSON.stringify({ committed: progress.done })}\n`);
});
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
const cpuBefore = process.cpuUsage();
const start = performance.now();
await indexer.addRoot('photos', photos);
await indexer.idle();
const seconds = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpuBefore);
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
const progress = indexer.progress;
if (progress.phase !== 'done') throw new Error(`indexing ended in phase ${progress.phase}: ${progress.message}`);
const figures: IndexingChildFigures = {
  photos: progress.done,
  failed: progress.failed,
  seconds,
  imagesPerSecond: progress.done / seconds,
  steadyImagesPerSecond: commits.length > 1 ? (commits.at(-1)!.done - commits[0]!.done) / ((commits.at(-1)!.at - commits[0]!.at) / 1000) : Number.NaN,
  peakRssMb: peak / 1024 / 1024,
  coresBusy: (cpu.user + cpu.system) / 1e6 / seconds,
  cpuMsPerPhoto: (cpu.user + cpu.system) / 1000 / progress.done,
  cores: cpus().length,
};
process.stdout.write(`${JSON.stringify(figures)}\n`);
await indexer.close();
library.close();
