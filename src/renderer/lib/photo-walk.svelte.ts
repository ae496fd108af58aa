/**
 * The list a lightbox walks: the photos at hand by position, read by pages around the photo on show so
 * previous and next are there before they are asked for. One walk per list, kept while the lightbox steps
 * through it (each step is a new photo route).
 */
import type { PhotoSummary } from '../../shared/dto.ts';
import { errorMessage, type ApiClient } from './api.ts';
import type { FetchPage } from './paged-photos.svelte.ts';
import { listPages } from './photo-lists.ts';
import {
  SEQUENCE_PAGE,
  SUGGESTED_PHOTOS,
  pagesAround,
  pagesOf,
  sameSource,
  withoutOrigin,
  type LoadPage,
  type LoadedSlice,
  type PhotoSource,
} from './photo-sequence.ts';

export class PhotoWalk {
  photos = $state.raw<ReadonlyMap<number, PhotoSummary>>(new Map());
  /** The list's length, once its last page has been read. */
  length = $state<number | null>(null);
  error = $state<string | null>(null);
  private readonly pages = new Set<number>();
  private readonly controller = new AbortController();

  constructor(
    readonly source: PhotoSource,
    private readonly load: LoadPage,
    slice?: LoadedSlice,
  ) {
    if (slice) {
      this.add(slice.start, slice.photos);
      this.length = slice.length ?? null;
    }
  }

  /** How far the list is known to reach: its length, else the last position at hand. */
  get reach(): { count: number; complete: boolean } {
    if (this.length !== null) return { count: this.length, complete: true };
    return { count: Math.max(0, ...this.photos.keys()) + 1, complete: false };
  }

  at(index: number): PhotoSummary | undefined {
    return this.photos.get(index);
  }

  /** Reads (once) the pages that hold the photos `radius` either side of `index`. */
  ensure(index: number, radius = 3): void {
    for (const page of pagesAround(index, radius, this.pages, this.length)) {
      this.pages.add(page);
      this.load(page * SEQUENCE_PAGE, SEQUENCE_PAGE, this.controller.signal).then(
        ({ photos, more }) => {
          if (this.controller.signal.aborted) return;
          this.add(page * SEQUENCE_PAGE, photos);
          if (!more || photos.length < SEQUENCE_PAGE) this.length = page * SEQUENCE_PAGE + photos.length;
          this.error = null;
        },
        (error: unknown) => {
          this.pages.delete(page);
          if (!this.controller.signal.aborted) this.error = errorMessage(error);
        },
      );
    }
  }

  dispose(): void {
    this.controller.abort();
  }

  private add(start: number, photos: readonly PhotoSummary[]): void {
    const next = new Map(this.photos);
    photos.forEach((photo, i) => next.set(start + i, photo));
    this.photos = next;
    // Pages wholly inside the slice need no request.
    for (let page = Math.ceil(start / SEQUENCE_PAGE); (page + 1) * SEQUENCE_PAGE <= start + photos.length; page++) this.pages.add(page);
  }
}

/** How each kind of list is read again, by pages. */
export function loaderFor(api: ApiClient, source: PhotoSource): LoadPage {
  switch (source.kind) {
    case 'library':
      return async (offset, limit, signal) => {
        const page = await api.call('photos.list', { filters: source.filters, offset, limit }, signal);
        return { photos: page.items, more: page.nextOffset !== null };
      };
    case 'search':
      return async (offset, limit, signal) => {
        const page = await api.call('search.text', { query: source.query, filters: source.filters, offset, limit }, signal);
        return { photos: page.items.map((hit) => hit.photo), more: page.nextOffset !== null };
      };
    case 'similar':
      return withoutOrigin(source.photoId, listedPages(listPages(api, source)));
    case 'note':
      return whole(async (signal) =>
        source.list === 'linked'
          ? (await api.call('links.list', { noteId: source.noteId }, signal)).items.map((link) => link.photo)
          : (await api.call('notes.photos', { noteId: source.noteId, limit: SUGGESTED_PHOTOS }, signal)).items.map((hit) => hit.photo),
      );
    case 'like':
      return listedPages(listPages(api, source));
    case 'passage':
      return whole(async (signal) => (await api.call('search.text', { query: source.text, limit: SUGGESTED_PHOTOS }, signal)).items.map((hit) => hit.photo));
  }
}

/** The pages a photo-list view reads, as the walk takes them. */
function listedPages(fetch: FetchPage): LoadPage {
  return async (offset, limit, signal) => {
    const page = await fetch(offset, limit, signal);
    return { photos: page.items.map((item) => item.photo), more: page.nextOffset !== null };
  };
}

/** A short list read in one request, then served by pages. */
function whole(read: (signal: AbortSignal) => Promise<PhotoSummary[]>): LoadPage {
  let list: Promise<PhotoSummary[]> | null = null;
  return async (offset, limit, signal) => {
    list ??= read(signal).catch((error: unknown) => {
      list = null;
      throw error;
    });
    return pagesOf(await list)(offset, limit, signal);
  };
}

let current: PhotoWalk | null = null;

/** The walk for this list: the one in use when the lightbox steps within it, else a new one (the old one stops). */
export function walkFor(api: ApiClient, source: PhotoSource, slice?: LoadedSlice): PhotoWalk {
  if (current && sameSource(current.source, source) && !slice) return current;
  current?.dispose();
  current = new PhotoWalk(source, loaderFor(api, source), slice);
  return current;
}
