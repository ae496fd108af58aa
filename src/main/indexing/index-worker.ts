/**
 * The indexing worker thread: decodes, thumbnails and embeds so the thread that answers queries never does.
 * It is its own entry point: under tsx it is loaded from this file, in the electron-vite bundle from
 * `index-worker.js` next to the main bundle (see `worker-client.ts`).
 */
import { availableParallelism } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import sharp from 'sharp';
import { loadEmbedder } from '../model/embedder.ts';
import type { Embedder } from '../model/embedder-types.ts';
import { processNotes } from './note-task.ts';
import { lowerThreadPriority } from './priority.ts';
import { decodePhoto, embedPhotos, mapWithLanes, type DecodedPhoto } from './photo-task.ts';
import type { FromWorker, ToWorker, WorkerInit } from './worker-protocol.ts';

/** Two intra-op threads for ONNX; libvips decodes one image per thread. */
const ONNX_THREADS = 2;
/**
 * Photos decoded at once: the cores the image tower leaves free, at least one. Decoding runs on Node's
 * shared thread pool, which keeps the app's normal priority, so more lanes would crowd out the thread that
 * answers queries (on 2 shared cores, bench/ saw queries about 3× slower with four lanes, 1.4–1.8× with one)
 * without indexing faster: the tower's two threads already take the rest.
 */
const DECODE_LANES = Math.max(1, availableParallelism() - ONNX_THREADS);

const port = parentPort;
if (!port) throw new Error('index-worker.ts must run as a worker thread');
const init = workerData as WorkerInit;
const post = (message: FromWorker) => port.postMessage(message);

sharp.concurrency(1);
sharp.cache(false);
lowerThreadPriority();

let embedder: Embedder;
try {
  embedder = await loadEmbedder({ ...init.embedder, threads: ONNX_THREADS });
} catch (error) {
  post({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
post({ type: 'ready', modelId: embedder.modelId, dim: embedder.dim, provider: embedder.provider });

/**
 * Decoding of a batch starts the moment it arrives; the image tower takes batches one at a time. With the
 * indexer keeping two batches in flight, the next batch decodes while this one is embedded.
 */
let inference: Promise<void> = Promise.resolve();

port.on('message', (message: ToWorker) => {
  if (message.type === 'photos') {
    const decoding: Promise<DecodedPhoto[]> = mapWithLanes(message.tasks, DECODE_LANES, (task) => decodePhoto(task, embedder, init.libraryDir));
    inference = inference.then(async () => {
      try {
        post({ type: 'photos', batch: message.batch, outcomes: await embedPhotos(await decoding, embedder) });
      } catch (error) {
        post({ type: 'batch-error', batch: message.batch, message: error instanceof Error ? error.message : String(error) });
      }
    });
  } else {
    inference = inference.then(async () => {
      try {
        post({ type: 'notes', batch: message.batch, outcomes: await processNotes(message.tasks, embedder) });
      } catch (error) {
        post({ type: 'batch-error', batch: message.batch, message: error instanceof Error ? error.message : String(error) });
      }
    });
  }
});
