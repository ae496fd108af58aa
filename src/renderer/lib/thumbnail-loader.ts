/**
 * Thumbnails for the photo grids: a screenful per `photos.thumbnails` request, as `data:` URLs, instead of a request
 * per `<img>`. Scrolling through a large library asks for ~90 thumbnails a second, and on two cores a request each
 * cost more CPU (page, browser, network service, server) than drawing the grid. A `data:` URL loads inside the
 * page; a `blob:` URL would still go through the browser process for every image. Kept afterwards (as the JPEG's
 * URL, within a budget) so scrolling back asks for nothing.
 */
import { MAX_THUMBNAILS } from '../../shared/api.ts';

/** `photos.thumbnails`: `data:` URLs in the order asked, null for a photo without one. */
export type FetchThumbnails = (photoIds: string[]) => Promise<(string | null)[]>;

export interface LoaderLimits {
  /** Ids per request. */
  batch: number;
  /** Requests at once: one fetching while the next is answered. */
  inFlight: number;
  /** Thumbnails kept for scrolling back, in characters of their URLs: a few thousand at ~15 KiB each. */
  keptBytes: number;
}

export const DEFAULT_LIMITS: LoaderLimits = { batch: MAX_THUMBNAILS, inFlight: 2, keptBytes: 48 * 1024 * 1024 };

/** The thumbnail as a `data:` URL, or null. */
type Ready = (thumbnailUrl: string | null) => void;

export class ThumbnailLoader {
  private readonly kept = new Map<string, string>();
  private keptBytes = 0;
  /** Asked for and not requested yet, oldest first: the newest are requested first (what scrolled into view last). */
  private readonly waiting = new Map<string, Set<Ready>>();
  private readonly requested = new Map<string, Set<Ready>>();
  private inFlight = 0;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly fetchThumbnails: FetchThumbnails,
    private readonly limits: LoaderLimits = DEFAULT_LIMITS,
  ) {}

  /**
   * Calls `ready` once, with the photo's thumbnail (a `data:` URL), or null where it has none or could not be fetched (asked
   * again, it is fetched again). Returns a function that withdraws the wish: a photo scrolled past before its turn
   * is never requested.
   */
  load(photoId: string, ready: Ready): () => void {
    const kept = this.kept.get(photoId);
    if (kept) {
      this.kept.delete(photoId);
      this.kept.set(photoId, kept);
      ready(kept);
      return () => undefined;
    }
    const inFlight = this.requested.get(photoId);
    if (inFlight) {
      inFlight.add(ready);
      return () => inFlight.delete(ready);
    }
    let waiters = this.waiting.get(photoId);
    if (!waiters) {
      waiters = new Set();
      this.waiting.set(photoId, waiters);
    }
    waiters.add(ready);
    this.scheduleFlush();
    return () => {
      const still = this.waiting.get(photoId);
      if (still?.delete(ready) && still.size === 0) this.waiting.delete(photoId);
      this.requested.get(photoId)?.delete(ready);
    };
  }

  /** Drops what is kept: the library changed, and a photo re-indexed in place keeps its id but not its thumbnail. */
  forget(): void {
    this.kept.clear();
    this.keptBytes = 0;
  }

  /** After the current task: a grid mounting a screenful of cells asks for all of them in one request. */
  private scheduleFlush(): void {
    if (this.flushTimer !== null) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.flush();
    }, 0);
  }

  private flush(): void {
    while (this.inFlight < this.limits.inFlight && this.waiting.size > 0) {
      const ids = [...this.waiting.keys()].slice(-this.limits.batch);
      for (const id of ids) {
        this.requested.set(id, this.waiting.get(id)!);
        this.waiting.delete(id);
      }
      this.inFlight += 1;
      void this.request(ids).finally(() => {
        this.inFlight -= 1;
        this.flush();
      });
    }
  }

  private async request(ids: string[]): Promise<void> {
    const urls = await this.fetchThumbnails(ids).catch(() => ids.map(() => null));
    ids.forEach((id, i) => {
      const url = urls[i] ?? null;
      if (url) this.keep(id, url);
      const waiters = this.requested.get(id);
      this.requested.delete(id);
      for (const ready of waiters ?? []) ready(url);
    });
  }

  private keep(id: string, url: string): void {
    this.keptBytes += url.length - (this.kept.get(id)?.length ?? 0);
    this.kept.delete(id);
    this.kept.set(id, url);
    for (const [oldest, url] of this.kept) {
      if (this.keptBytes <= this.limits.keptBytes) break;
      this.kept.delete(oldest);
      this.keptBytes -= url.length;
    }
  }
}
