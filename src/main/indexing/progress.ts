export type IndexerPhase = 'idle' | 'scanning' | 'indexing' | 'paused' | 'cancelled' | 'done' | 'error';

export interface IndexerProgress {
  phase: IndexerPhase;
  /** Files handled in this run: indexed, failed, or gone before their turn. */
  done: number;
  total: number;
  failed: number;
  /** Files per second over the last RATE_WINDOW_MS; 0 until known. */
  ratePerSecond: number;
  etaSeconds: number | null;
  currentFile: string | null;
  /** Why the last run stopped, when phase is `error`. */
  message: string | null;
  /** What this run did to the library so far. */
  changes: RunChanges;
}

/** Files of a run by what became of them (failed ones are counted in `failed`). */
export interface RunChanges {
  /** New files, now indexed. */
  added: number;
  /** Files indexed before that changed (or moved, or carried another model's vectors), indexed again. */
  updated: number;
  /** Files gone from disk, taken out of search. */
  removed: number;
  /** Files looked at and found as they were. */
  unchanged: number;
}

const NO_CHANGES: RunChanges = { added: 0, updated: 0, removed: 0, unchanged: 0 };

const RATE_WINDOW_MS = 20_000;

/** Counts and timing of the current indexing run, for progress events. */
export class Progress {
  private phase: IndexerPhase = 'idle';
  private doneCount = 0;
  private totalCount = 0;
  private failedCount = 0;
  private currentFile: string | null = null;
  private samples: { at: number; done: number }[] = [];
  private changes: RunChanges = { ...NO_CHANGES };

  begin(): void {
    if (this.phase !== 'scanning' && this.phase !== 'indexing') {
      this.doneCount = 0;
      this.totalCount = 0;
      this.failedCount = 0;
      this.changes = { ...NO_CHANGES };
      this.samples = [{ at: Date.now(), done: 0 }];
    }
    this.phase = 'scanning';
  }

  scanning(): void {
    this.phase = 'scanning';
  }

  indexing(): void {
    this.phase = 'indexing';
  }

  add(count: number): void {
    this.totalCount += count;
  }

  /** Adds to what this run did. */
  changed(counts: Partial<RunChanges>): void {
    for (const key of Object.keys(counts) as (keyof RunChanges)[]) this.changes[key] += counts[key] ?? 0;
  }

  current(path: string | null): void {
    this.currentFile = path;
  }

  done(count: number, failed: number): void {
    this.doneCount += count;
    this.failedCount += failed;
    const now = Date.now();
    this.samples.push({ at: now, done: this.doneCount });
    while (this.samples.length > 2 && this.samples[1]!.at < now - RATE_WINDOW_MS) this.samples.shift();
  }

  finish(): void {
    if (this.phase !== 'cancelled') this.phase = 'done';
    this.currentFile = null;
  }

  cancel(): void {
    this.phase = 'cancelled';
    this.totalCount = this.doneCount;
    this.currentFile = null;
  }

  fail(): void {
    this.phase = 'error';
    this.currentFile = null;
  }

  snapshot(paused: boolean, message: string | null): IndexerProgress {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    const seconds = first && last ? (last.at - first.at) / 1000 : 0;
    const rate = seconds > 0 ? (last!.done - first!.done) / seconds : 0;
    const remaining = Math.max(0, this.totalCount - this.doneCount);
    const active = this.phase === 'scanning' || this.phase === 'indexing';
    return {
      phase: paused && active ? 'paused' : this.phase,
      done: this.doneCount,
      total: Math.max(this.totalCount, this.doneCount),
      failed: this.failedCount,
      ratePerSecond: rate,
      etaSeconds: rate > 0 && remaining > 0 ? remaining / rate : remaining === 0 ? 0 : null,
      currentFile: this.currentFile,
      message: this.phase === 'error' ? message : null,
      changes: { ...this.changes },
    };
  }
}
