import { stat } from 'node:fs/promises';
import type { Library } from '../library/library.ts';
import type { RootKind, RootRow } from '../library/schema.ts';
import { sqlString } from '../library/sql.ts';
import type { EmbedderOptions } from '../model/embedder.ts';
import { failedNoteRow, photoRowFor } from './failure-rows.ts';
import { Progress, type IndexerProgress } from './progress.ts';
import { RootPresence } from './root-presence.ts';
import { RootProblems, type FolderProblem } from './root-problems.ts';
import { resolveNewRoot } from './roots.ts';
import { scanChanges, scanRoots, type QueuedItem, type ScanOutcome } from './scan.ts';
import { RootWatcher, type ChangeSet } from './watcher.ts';
import { IndexWorker, WorkerStalledError } from './worker-client.ts';
import type { NoteOutcome, PhotoOutcome } from './worker-protocol.ts';

export interface IndexerOptions {
  library: Library;
  /** Which model the worker loads; it must be the library's model (checked when the worker starts). */
  embedder?: EmbedderOptions;
  /** Photos per image-tower batch. */
  photoBatchSize?: number;
  /** Notes per text-tower batch. */
  noteBatchSize?: number;
  /** Watch the roots for changes while running (default true). */
  watch?: boolean;
  /** Quiet time before a burst of file changes is handled. */
  watchDebounceMs?: number;
  /** How often folders that went offline (an unplugged disk, a network share) are checked for their return. */
  offlinePollMs?: number;
  /**
   * Cap on the worker's JavaScript heap (default 2048 MB): a file that needs more stops the worker, and is
   * then recorded as failed, rather than taking the machine's memory.
   */
  workerHeapMb?: number;
  /**
   * How long the worker may hold batches without answering any (default 5 minutes) before it is stopped and
   * the files of those batches are tried one by one: the one that holds it again is recorded as failed.
   */
  workerStallLimitMs?: number;
}

type ScanRequest = { type: 'roots'; kind: RootKind; only?: string; retryFailed?: boolean } | { type: 'changes'; kind: RootKind; changes: ChangeSet };

/** Batches sent to the worker before the first comes back: the next batch decodes while one is embedded. */
const IN_FLIGHT = 2;
/** A burst of file events larger than this (a folder copied in) is handled by rescanning the roots instead. */
const MAX_CHANGES_PER_SCAN = 500;
const WORKER_HEAP_MB = 2048;
const WORKER_STALL_LIMIT_MS = 5 * 60_000;

/**
 * Keeps the library in step with the photo and note folders: scans, queues what changed, has the worker
 * thread embed it in batches, and commits each batch in one write. Pause, resume and cancel act between
 * batches. The queue lives in memory only because it is derived from disk and store: after a crash the next
 * `start()` finds exactly the files whose batch was not committed.
 */
export class Indexer {
  private readonly library: Library;
  private readonly progressState = new Progress();
  private readonly listeners = new Set<(progress: IndexerProgress) => void>();
  private readonly scans: ScanRequest[] = [];
  private readonly queue = new Map<string, QueuedItem>();
  /** Path → id of files whose batch is in the worker or being committed. */
  private readonly inFlight = new Map<string, string>();
  private readonly watchers: Partial<Record<RootKind, RootWatcher>> = {};
  private readonly problems = new RootProblems();
  private readonly presence: RootPresence;
  private worker: Promise<IndexWorker> | undefined;
  /** Batches being retried file by file, one batch at a time (see `oneByOne`). */
  private isolation: Promise<unknown> = Promise.resolve();
  private running: Promise<void> | undefined;
  private paused = false;
  /** `refresh()` calls under way: the worker stays up for them even when the run ends. */
  private refreshing = 0;
  private closed = false;
  private changedSinceOptimize = false;
  private lastError: string | null = null;

  constructor(private readonly options: IndexerOptions) {
    this.library = options.library;
    this.presence = new RootPresence(() => this.library.roots.list(), (root) => this.returned(root), options.offlinePollMs);
  }

  /** Receives progress on every change of phase or count; returns the unsubscribe function. */
  subscribe(listener: (progress: IndexerProgress) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get progress(): IndexerProgress {
    return this.progressState.snapshot(this.paused, this.lastError);
  }

  /**
   * Scans every root (resuming whatever a previous run left undone) and starts watching them. Photos and
   * notes missing for longer than the grace period are purged first.
   */
  async start(): Promise<void> {
    await this.library.purgeMissing();
    if (this.options.watch ?? true) {
      for (const root of await this.library.roots.list()) this.watcherFor(root.kind).add(root.path);
      this.presence.start();
    }
    this.request({ type: 'roots', kind: 'photos' }, { type: 'roots', kind: 'notes' });
  }

  /** Adds and indexes a folder. Throws RootError when it does not exist, is not a folder, or overlaps a root. */
  async addRoot(kind: RootKind, path: string): Promise<RootRow> {
    const real = await resolveNewRoot(kind, path, await this.library.roots.list());
    const root = await this.library.roots.add(kind, real);
    if (this.options.watch ?? true) this.watcherFor(kind).add(real);
    this.request({ type: 'roots', kind, only: real });
    return root;
  }

  /** What could not be read or watched under a root, most recent scan and watcher events included. */
  problemsUnder(kind: RootKind, root: string): FolderProblem[] {
    return this.problems.under(kind, root);
  }

  /**
   * Stops watching a folder and takes its items out of search. They are marked missing, not deleted, so
   * adding the folder back restores them with their links; a purge deletes them after the grace period.
   */
  async removeRoot(kind: RootKind, path: string): Promise<boolean> {
    const removed = await this.library.roots.remove(kind, path);
    if (!removed) return false;
    this.watchers[kind]?.remove(path);
    for (const [key, item] of this.queue) if (item.kind === kind && item.root === path) this.queue.delete(key);
    const store = kind === 'photos' ? this.library.photos : this.library.notes;
    const ids = (await store.scanState(`root = ${sqlString(path)}`)).map((row) => ('id' in row ? row.id : row.note_id));
    await store.markMissing(ids, Date.now());
    return true;
  }

  /**
   * Indexes these files now, ahead of the queue and even while paused, and resolves once each is committed
   * (or recorded as failed, or found gone). For files the app itself just wrote (a saved or created note).
   */
  async refresh(kind: RootKind, paths: readonly string[]): Promise<void> {
    this.refreshing++;
    try {
      const outcome = await scanChanges(this.library, kind, { files: new Set(paths), removedFolders: new Set() });
      const work = outcome.queued.map((item) => this.claimInFlight(item));
      for (const item of work) if (this.queue.delete(item.path)) this.progressState.add(-1);
      const size = kind === 'photos' ? (this.options.photoBatchSize ?? 16) : (this.options.noteBatchSize ?? 16);
      for (let i = 0; i < work.length; i += size) await this.process(work.slice(i, i + size), false);
      if (outcome.queued.length > 0 || outcome.relocated > 0 || outcome.vanished > 0) this.changedSinceOptimize = true;
    } finally {
      this.refreshing--;
    }
    this.kick();
  }

  /** Rescans everything, one root, or retries only the files that failed. */
  rescan(options: { root?: string; failedOnly?: boolean } = {}): void {
    this.request(
      { type: 'roots', kind: 'photos', only: options.root, retryFailed: options.failedOnly },
      { type: 'roots', kind: 'notes', only: options.root, retryFailed: options.failedOnly },
    );
  }

  /** Finishes the batches in flight, then waits. */
  pause(): void {
    this.paused = true;
    this.emit();
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.emit();
    this.kick();
  }

  /** Drops everything queued; batches in flight are still committed. The next scan finds the rest again. */
  cancel(): void {
    this.queue.clear();
    this.scans.length = 0;
    this.progressState.cancel();
    this.emit();
  }

  /** Resolves once nothing is queued or running (or the indexer is paused). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.presence.stop();
    this.queue.clear();
    this.scans.length = 0;
    await Promise.all(Object.values(this.watchers).map((watcher) => watcher.close()));
    await this.idle();
    await this.stopWorker();
  }

  private watcherFor(kind: RootKind): RootWatcher {
    this.watchers[kind] ??= new RootWatcher(
      kind,
      (changes) => this.request({ type: 'changes', kind, changes }),
      (problem) => {
        this.problems.record(kind, problem);
        this.emit();
      },
      this.options.watchDebounceMs,
    );
    return this.watchers[kind];
  }

  /** A folder that was offline is back: watch it again (its old watches died with it) and rescan it. */
  private returned(root: RootRow): void {
    if (this.options.watch ?? true) {
      this.watcherFor(root.kind).remove(root.path);
      this.watcherFor(root.kind).add(root.path);
    }
    this.request({ type: 'roots', kind: root.kind, only: root.path });
  }

  private request(...requests: ScanRequest[]): void {
    if (this.closed) return;
    this.scans.push(...requests);
    this.kick();
  }

  private kick(): void {
    if (this.running || this.paused || this.closed) return;
    this.running = this.run().finally(() => {
      this.running = undefined;
      if (!this.paused && !this.closed && (this.scans.length > 0 || this.queue.size > 0)) this.kick();
    });
  }

  private async run(): Promise<void> {
    this.lastError = null;
    this.progressState.begin();
    try {
      while (!this.paused && !this.closed && (this.scans.length > 0 || this.queue.size > 0)) {
        if (this.scans.length > 0) await this.scan(this.scans.shift()!);
        else await this.drainQueue();
      }
      if (this.paused) {
        this.emit();
        return;
      }
      if (!this.closed && this.changedSinceOptimize) {
        this.changedSinceOptimize = false;
        await this.library.optimize();
      }
      await this.stopWorker();
      this.progressState.finish();
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
      this.queue.clear();
      this.progressState.fail();
      await this.stopWorker();
    }
    this.emit();
  }

  private async scan(request: ScanRequest): Promise<void> {
    this.progressState.scanning();
    this.emit();
    const outcome: ScanOutcome =
      request.type === 'roots'
        ? await scanRoots(this.library, request.kind, { only: request.only, retryFailed: request.retryFailed })
        : request.changes.files.size + request.changes.removedFolders.size > MAX_CHANGES_PER_SCAN
          ? await scanRoots(this.library, request.kind)
          : await scanChanges(this.library, request.kind, request.changes);
    if (request.type === 'roots') {
      const scanned = request.only ? [request.only] : (await this.library.roots.list(request.kind)).map((root) => root.path);
      this.problems.replaceUnder(request.kind, scanned, outcome.unreadable);
    } else {
      for (const problem of outcome.unreadable) this.problems.record(request.kind, problem);
    }
    if (outcome.relocated > 0 || outcome.vanished > 0) this.changedSinceOptimize = true;
    this.progressState.changed({ updated: outcome.relocated, removed: outcome.vanished, unchanged: outcome.unchanged });
    for (const found of outcome.queued) {
      const item = this.claimInFlight(found);
      if (!this.queue.has(item.path)) this.progressState.add(1);
      this.queue.set(item.path, item);
    }
    this.emit();
  }

  /** Sends batches to the worker, keeping IN_FLIGHT of them there, and commits each as it returns. */
  private async drainQueue(): Promise<void> {
    await this.liveWorker();
    this.progressState.indexing();
    const inFlight = new Set<Promise<void>>();
    while (!this.paused && !this.closed && this.queue.size > 0) {
      const batch = this.takeBatch();
      const job = this.process(batch).finally(() => inFlight.delete(job));
      inFlight.add(job);
      if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  }

  /**
   * A file seen as new while its first batch is still in the worker already has an id: reuse it, so the
   * second pass updates that row instead of adding a second one for the same file.
   */
  private claimInFlight(item: QueuedItem): QueuedItem {
    const id = item.reason === 'new' ? this.inFlight.get(item.path) : undefined;
    return id ? { ...item, id, reason: 'changed' } : item;
  }

  /** Up to one batch of the kind at the head of the queue. */
  private takeBatch(): QueuedItem[] {
    const kind = this.queue.values().next().value!.kind;
    const size = kind === 'photos' ? (this.options.photoBatchSize ?? 16) : (this.options.noteBatchSize ?? 16);
    const batch: QueuedItem[] = [];
    for (const [key, item] of this.queue) {
      if (item.kind !== kind) continue;
      batch.push(item);
      this.queue.delete(key);
      if (batch.length === size) break;
    }
    this.progressState.current(batch[0]?.path ?? null);
    this.emit();
    return batch;
  }

  private async process(batch: QueuedItem[], counted = true): Promise<void> {
    for (const item of batch) this.inFlight.set(item.path, item.id);
    try {
      const outcomes = await this.outcomesOf(await this.liveWorker(), batch);
      if (batch[0]!.kind === 'photos') await this.commitPhotos(batch, outcomes as PhotoOutcome[], counted);
      else await this.commitNotes(batch, outcomes as NoteOutcome[], counted);
    } finally {
      for (const item of batch) if (this.inFlight.get(item.path) === item.id) this.inFlight.delete(item.path);
    }
    this.changedSinceOptimize = true;
    this.emit();
  }

  private async outcomesOf(worker: IndexWorker, batch: QueuedItem[]): Promise<(PhotoOutcome | NoteOutcome)[]> {
    try {
      return await send(worker, batch);
    } catch (error) {
      if (this.closed) throw error;
      return this.oneByOne(batch);
    }
  }

  /**
   * A batch the worker failed as a whole: the worker stopped (a native crash, its heap cap) or threw
   * outside the guards each file has. Each file is retried alone in a fresh worker of its own, where nothing
   * else runs, so the file that fails alone is the culprit and is recorded as failed with the reason; the
   * others are indexed. One batch is isolated at a time.
   */
  private oneByOne(batch: QueuedItem[]): Promise<(PhotoOutcome | NoteOutcome)[]> {
    const run = this.isolation.then(async () => {
      const outcomes: (PhotoOutcome | NoteOutcome)[] = [];
      let probe: IndexWorker | undefined;
      try {
        for (const item of batch) {
          if (!probe || probe.stopped) probe = await this.newWorker();
          const [outcome] = await send(probe, [item]).catch((error: unknown) => failedAlone(item, error, this.workerHeapMb));
          outcomes.push(outcome!);
        }
      } finally {
        await probe?.terminate();
      }
      return outcomes;
    });
    this.isolation = run.catch(() => undefined);
    return run;
  }

  private async commitPhotos(batch: QueuedItem[], outcomes: PhotoOutcome[], counted: boolean): Promise<void> {
    const rows = outcomes.flatMap((o) => (o.kind === 'gone' ? [] : [o.row]));
    await this.library.photos.write(rows, new Set(batch.filter((item) => item.reason === 'new').map((item) => item.id)));
    const gone = this.goneStoredIds(batch, outcomes);
    await this.library.photos.markMissing(gone, Date.now());
    if (counted) this.count(batch, outcomes.flatMap((o) => (o.kind === 'indexed' ? [o.row.id] : [])), outcomes, gone.length);
  }

  private async commitNotes(batch: QueuedItem[], outcomes: NoteOutcome[], counted: boolean): Promise<void> {
    await this.library.notes.replace(outcomes.flatMap((o) => (o.kind === 'gone' ? [] : [{ noteId: o.noteId, chunks: o.rows }])));
    const gone = this.goneStoredIds(batch, outcomes);
    await this.library.notes.markMissing(gone, Date.now());
    if (counted) this.count(batch, outcomes.flatMap((o) => (o.kind === 'indexed' ? [o.noteId] : [])), outcomes, gone.length);
  }

  /** A committed batch in the run's progress: done and failed, and which were added, updated or removed. */
  private count(batch: QueuedItem[], indexedIds: string[], outcomes: readonly (PhotoOutcome | NoteOutcome)[], removed: number): void {
    const added = new Set(batch.filter((item) => item.reason === 'new').map((item) => item.id));
    const fresh = indexedIds.filter((id) => added.has(id)).length;
    this.progressState.changed({ added: fresh, updated: indexedIds.length - fresh, removed });
    this.progressState.done(outcomes.length, outcomes.filter((o) => o.kind === 'failed').length);
  }

  /** Files that vanished before their turn: stored ones become missing, new ones are simply dropped. */
  private goneStoredIds(batch: QueuedItem[], outcomes: readonly (PhotoOutcome | NoteOutcome)[]): string[] {
    const stored = new Set(batch.filter((item) => item.reason !== 'new').map((item) => item.id));
    return outcomes.flatMap((o) => (o.kind === 'gone' && stored.has(o.id) ? [o.id] : []));
  }

  private get workerHeapMb(): number {
    return this.options.workerHeapMb ?? WORKER_HEAP_MB;
  }

  /** The shared worker, started if need be, or started again if it stopped. */
  private async liveWorker(): Promise<IndexWorker> {
    for (;;) {
      const pending = this.startWorker();
      const worker = await pending;
      if (!worker.stopped) return worker;
      if (this.worker === pending) this.worker = undefined;
    }
  }

  private startWorker(): Promise<IndexWorker> {
    this.worker ??= this.newWorker();
    this.worker.catch(() => {
      this.worker = undefined;
    });
    return this.worker;
  }

  private async newWorker(): Promise<IndexWorker> {
    const worker = await IndexWorker.start(
      { libraryDir: this.library.dir, embedder: this.options.embedder ?? {} },
      this.workerHeapMb,
      this.options.workerStallLimitMs ?? WORKER_STALL_LIMIT_MS,
    );
    if (worker.modelId !== this.library.model.id || worker.dim !== this.library.model.dim) {
      await worker.terminate();
      throw new Error(
        `The indexing worker loaded ${worker.modelId} (${worker.dim}-d) but the library holds ${this.library.model.id} (${this.library.model.dim}-d).`,
      );
    }
    return worker;
  }

  private async stopWorker(): Promise<void> {
    if (this.refreshing > 0) return;
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await (await worker.catch(() => undefined))?.terminate();
  }

  private emit(): void {
    const snapshot = this.progress;
    for (const listener of this.listeners) listener(snapshot);
  }
}

export type { IndexerProgress };

function send(worker: IndexWorker, batch: readonly QueuedItem[]): Promise<(PhotoOutcome | NoteOutcome)[]> {
  return batch[0]!.kind === 'photos'
    ? worker.photos(batch.map(({ id, path, root, thumb }) => ({ id, path, root, thumb })))
    : worker.notes(batch.map(({ id, path, root }) => ({ id, path, root })));
}

/** The outcome for a file that failed even alone: recorded with the reason, or gone if it was deleted meanwhile. */
async function failedAlone(item: QueuedItem, error: unknown, heapMb: number): Promise<(PhotoOutcome | NoteOutcome)[]> {
  const info = await stat(item.path).catch(() => null);
  if (!info?.isFile()) return [{ kind: 'gone', id: item.id, path: item.path }];
  const file = { size: info.size, mtimeMs: Math.floor(info.mtimeMs), hash: '' };
  const reason =
    (error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY'
      ? `Indexing this file needed more than the ${heapMb} MB of memory the indexing worker may use`
      : error instanceof WorkerStalledError
        ? `Indexing this file took longer than ${formatLimit(error.limitMs)} and was stopped (a disk that stopped answering, or a file too complex to read)`
        : `Indexing this file stopped the indexing worker: ${error instanceof Error ? error.message : String(error)}`;
  return item.kind === 'photos'
    ? [{ kind: 'failed', row: photoRowFor(item, file, reason) }]
    : [{ kind: 'failed', noteId: item.id, rows: [failedNoteRow(item, file, reason)] }];
}

function formatLimit(ms: number): string {
  return ms >= 60_000 && ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 100) / 10} s`;
}
