import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ProviderInfo } from '../model/embedder-types.ts';
import type { FromWorker, NoteOutcome, NoteTask, PhotoOutcome, PhotoTask, ToWorker, WorkerInit } from './worker-protocol.ts';

/**
 * Where the worker's code is. From TypeScript sources (tsx, vitest) it is started through
 * `index-worker-tsx.mjs`, which registers tsx's loader first; in the electron-vite bundle it is the separate
 * entry `index-worker.js`, next to the main bundle or one folder up when this code sits in a shared chunk.
 */
export function workerEntry(): URL {
  if (import.meta.url.endsWith('.ts')) return new URL('./index-worker-tsx.mjs', import.meta.url);
  for (const candidate of ['./index-worker.js', '../index-worker.js']) {
    const url = new URL(candidate, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  throw new Error(`The indexing worker bundle (index-worker.js) is missing beside ${fileURLToPath(import.meta.url)}.`);
}

type Pending = { resolve: (outcomes: never[]) => void; reject: (error: Error) => void };

/** The worker held a batch past its time limit without answering: it was stopped. */
export class WorkerStalledError extends Error {
  constructor(readonly limitMs: number) {
    super(`The indexing worker did not answer for ${Math.round(limitMs / 1000)} s and was stopped.`);
    this.name = 'WorkerStalledError';
  }
}

/** The main thread's handle on the indexing worker: send a batch, get its outcomes back. */
export class IndexWorker {
  private nextBatch = 0;
  private readonly pending = new Map<number, Pending>();
  private failure: Error | undefined;
  private watchdog: NodeJS.Timeout | undefined;

  private constructor(
    private readonly worker: Worker,
    readonly modelId: string,
    readonly dim: number,
    readonly provider: ProviderInfo,
    private readonly stallLimitMs: number,
  ) {
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'ready' || message.type === 'fatal') return;
      const pending = this.pending.get(message.batch);
      this.pending.delete(message.batch);
      this.rearmWatchdog();
      if (message.type === 'batch-error') pending?.reject(new Error(message.message));
      else pending?.resolve(message.outcomes as never[]);
    });
    const fail = (error: Error) => {
      this.failure ??= error;
      clearTimeout(this.watchdog);
      for (const pending of this.pending.values()) pending.reject(this.failure);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`The indexing worker stopped (exit code ${code}).`)));
  }

  /** True once the worker has stopped (crashed, ran out of memory, or was terminated): start another. */
  get stopped(): boolean {
    return this.failure !== undefined;
  }

  /**
   * Starts a worker and waits until its model is loaded. `heapMb` caps its JavaScript heap; a worker that holds
   * batches for `stallLimitMs` without answering any (a read from a disk that stopped answering, a decoder
   * that never returns) is stopped, and its batches fail with `WorkerStalledError`.
   */
  static start(init: WorkerInit, heapMb: number | undefined, stallLimitMs: number): Promise<IndexWorker> {
    const worker = new Worker(workerEntry(), { workerData: init, resourceLimits: heapMb ? { maxOldGenerationSizeMb: heapMb } : undefined });
    return new Promise((resolve, reject) => {
      const onMessage = (message: FromWorker) => {
        if (message.type === 'ready') {
          cleanup();
          resolve(new IndexWorker(worker, message.modelId, message.dim, message.provider, stallLimitMs));
        } else if (message.type === 'fatal') {
          cleanup();
          void worker.terminate();
          reject(new Error(`The indexing worker could not load the model: ${message.message}`));
        }
      };
      const onError = (error: Error) => {
        cleanup();
        reject(error);
      };
      const onExit = (code: number) => {
        cleanup();
        reject(new Error(`The indexing worker exited before it was ready (exit code ${code}).`));
      };
      const cleanup = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
    });
  }

  photos(tasks: PhotoTask[]): Promise<PhotoOutcome[]> {
    return this.send({ type: 'photos', batch: this.nextBatch++, tasks });
  }

  notes(tasks: NoteTask[]): Promise<NoteOutcome[]> {
    return this.send({ type: 'notes', batch: this.nextBatch++, tasks });
  }

  async terminate(): Promise<void> {
    clearTimeout(this.watchdog);
    await this.worker.terminate();
  }

  private send<T>(message: ToWorker): Promise<T[]> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<T[]>((resolve, reject) => {
      this.pending.set(message.batch, { resolve: resolve as (outcomes: never[]) => void, reject });
      this.worker.postMessage(message);
      if (this.pending.size === 1) this.rearmWatchdog();
    });
  }

  /** Counts the stall limit from now while batches are waiting, from the last answer or the first batch sent. */
  private rearmWatchdog(): void {
    clearTimeout(this.watchdog);
    if (this.pending.size === 0) return;
    this.watchdog = setTimeout(() => {
      this.failure = new WorkerStalledError(this.stallLimitMs);
      void this.worker.terminate();
    }, this.stallLimitMs);
    this.watchdog.unref();
  }
}
