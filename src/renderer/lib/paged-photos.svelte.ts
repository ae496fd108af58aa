/**
 * A ranked photo list fetched page by page as the grid scrolls towards its end. One instance per
 * query: a new query makes a new instance and `dispose` makes the old one ignore answers in flight.
 */
import type { PhotoHit, PhotoPage } from '../../shared/dto.ts';
import { errorMessage } from './api.ts';

export type FetchPage = (offset: number, limit: number, signal: AbortSignal) => Promise<PhotoPage>;

export class PagedPhotos {
  items = $state.raw<readonly PhotoHit[]>([]);
  nextOffset = $state<number | null>(0);
  /** True once the first page has arrived (so an empty list is truly empty, not still loading). */
  settled = $state(false);
  error = $state<string | null>(null);
  private loading = false;
  private wanted = 0;
  private readonly controller = new AbortController();

  constructor(
    private readonly fetchPage: FetchPage,
    private readonly pageSize = 120,
  ) {}

  /** The grid shows items up to `end`: make sure they, and one more page, are (being) loaded. */
  need(end: number): void {
    this.wanted = Math.max(this.wanted, end + this.pageSize);
    if (!this.loading) void this.loadMore();
  }

  dispose(): void {
    this.controller.abort();
  }

  private async loadMore(): Promise<void> {
    this.loading = true;
    try {
      while (this.nextOffset !== null && this.items.length < this.wanted && !this.controller.signal.aborted) {
        const page = await this.fetchPage(this.nextOffset, this.pageSize, this.controller.signal);
        if (this.controller.signal.aborted) return;
        this.items = [...this.items, ...page.items];
        this.nextOffset = page.items.length === 0 ? null : page.nextOffset;
        this.error = null;
      }
    } catch (error) {
      if (!this.controller.signal.aborted) this.error = errorMessage(error);
    } finally {
      this.loading = false;
      this.settled = true;
    }
  }
}
