/** The service's event stream: validated against the contract, with progress coalesced to a few a second. */
import { events, type EventName, type EventOf } from '../../shared/api.ts';

type Listener = (event: EventName, payload: unknown) => void;

/** At most one progress event per this many ms; phase changes go out at once. */
const PROGRESS_INTERVAL_MS = 250;

export class EventHub {
  private readonly listeners = new Set<Listener>();
  private lastProgressAt = 0;
  private lastPhase: string | null = null;
  private pendingProgress: EventOf<'indexing.progress'> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<E extends EventName>(event: E, payload: EventOf<E>): void {
    const checked = events[event].parse(payload);
    for (const listener of this.listeners) listener(event, checked);
  }

  progress(payload: EventOf<'indexing.progress'>): void {
    const now = Date.now();
    if (payload.phase !== this.lastPhase || now - this.lastProgressAt >= PROGRESS_INTERVAL_MS) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.pendingProgress = null;
      this.sendProgress(payload, now);
      return;
    }
    this.pendingProgress = payload;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      if (this.pendingProgress) this.sendProgress(this.pendingProgress, Date.now());
      this.pendingProgress = null;
    }, PROGRESS_INTERVAL_MS - (now - this.lastProgressAt));
  }

  close(): void {
    clearTimeout(this.timer);
    this.listeners.clear();
  }

  private sendProgress(payload: EventOf<'indexing.progress'>, at: number): void {
    this.lastProgressAt = at;
    this.lastPhase = payload.phase;
    this.emit('indexing.progress', payload);
  }
}
