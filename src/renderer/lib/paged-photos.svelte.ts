/**
 * A photo list fetched page by page as the grid scrolls towards its end. One instance per list: another
 * list makes a new instance and `dispose` makes the old one ignore answers in flight.
 */
import type { PhotoSummary } from '../../shared/dto.ts';
import { errorMessage } from './api.ts';

/** A photo of the list, with its match score where the list is ranked. */
export interface ListedPhoto {
  readonly photo: PhotoSummary;
  readonly score?: number | undefined;
}

export interface ListPage {
  readonly items: readonly ListedPhoto[];
  /** Offset to ask for the next page, or null when this was the last one. */
  readonly nextOffset: number | null;
}

export type FetchPage = (offset: number, limit: number, signal: AbortSignal) => Promise<ListPage>;

export class PagedPhotos {
  items = $state.raw<readonly ListedPhoto[]>([]);
  nextOffset = $state<number | null>(0);
  /** True once the first page has arrived (so an empty list is truly empty, not still loading). */
  settled = $state(false);
  error = $state<string | null>(null);
  private loading = false;
  private wanted = 0;
  private disposed = false;
  private controller = new AbortController();

  constructor(
    private readonly fetchPage: FetchPage,
    private readonly pageSize = 120,
  ) {}

  /** The grid shows items up to `end`: make sure they, and one more page, are (being) loaded. */
  need(end: number): void {
    this.wanted = Math.max(this.wanted, end + this.pageSize);
    if (!this.loading) void this.load(false);
  }

  /**
   * The list changed: reads it again from the start, as far as it had been read, and swaps it in whole, so
   * the grid keeps its photos (and its scroll) until the new ones are in.
   */
  reload(): void {
    if (this.disposed) return;
    this.wanted = Math.max(this.wanted, this.pageSize);
    this.controller.abort();
    this.controller = new AbortController();
    void this.load(true);
  }

  dispose(): void {
    this.disposed = true;
    this.controller.abort();
  }

  private async load(fresh: boolean): Promise<void> {
    const { signal } = this.controller;
    this.loading = true;
    let items = fresh ? [] : this.items;
    let next = fresh ? 0 : this.nextOffset;
    try {
      while (next !== null && items.length < this.wanted) {
        const page = await this.fetchPage(next, this.pageSize, signal);
        if (signal.aborted) return;
        items = [...items, ...page.items];
        next = page.items.length === 0 ? null : page.nextOffset;
        if (!fresh) this.show(items, next);
      }
      if (fresh) this.show(items, next);
    } catch (error) {
      if (!signal.aborted) this.error = errorMessage(error);
    } finally {
      if (signal === this.controller.signal) {
        this.loading = false;
        this.settled = true;
      }
    }
  }

  private show(items: readonly ListedPhoto[], next: number | null): void {
    this.items = items;
    this.nextOffset = next;
    this.error = null;
  }
}
