/**
 * Where a photo was opened from, so the lightbox walks the same list in the same order: the library grid,
 * search results, similar photos (to one or to several), a note's photos, or the photos for a passage selected
 * in a note. It travels in the photo's URL (`route.ts`), so a
 * reload reopens the photo with its neighbours. The list is read again by pages when it is not at hand.
 */
import type { PhotoFilters, PhotoSummary } from '../../shared/dto.ts';

export type PhotoSource =
  | { kind: 'library'; filters: PhotoFilters }
  | { kind: 'search'; query: string; filters: PhotoFilters }
  | { kind: 'similar'; photoId: string; filters: PhotoFilters }
  | { kind: 'note'; noteId: string; list: 'linked' | 'suggested' }
  /** "More like these": photos like several together. */
  | { kind: 'like'; photoIds: string[]; filters: PhotoFilters }
  /** The photos the note editor finds for the text selected in it (saved or not, so the text itself is the source). */
  | { kind: 'passage'; text: string };

/** How many photos the note editor suggests (for the note, or for a selected passage). */
export const SUGGESTED_PHOTOS = 12;

/** The source and the photo's position in it. */
export interface PhotoFrom {
  readonly source: PhotoSource;
  readonly index: number;
}

/** A slice of the list the opener already has, so the first steps need no request. */
export interface LoadedSlice {
  readonly start: number;
  readonly photos: readonly PhotoSummary[];
  /** The whole list's length, where the opener knows it. */
  readonly length?: number;
}

export interface SequencePage {
  readonly photos: readonly PhotoSummary[];
  /** False on the list's last page. */
  readonly more: boolean;
}

/** Reads `limit` photos of the list from `offset`. */
export type LoadPage = (offset: number, limit: number, signal: AbortSignal) => Promise<SequencePage>;

export const SEQUENCE_PAGE = 100;

/** The pages to read so that the photos `radius` either side of `index` are at hand. */
export function pagesAround(index: number, radius: number, loaded: ReadonlySet<number>, length: number | null): number[] {
  const first = Math.max(0, index - radius);
  const last = length === null ? index + radius : Math.min(length - 1, index + radius);
  const pages: number[] = [];
  for (let page = Math.floor(first / SEQUENCE_PAGE); page <= Math.floor(last / SEQUENCE_PAGE); page++) {
    if (!loaded.has(page) && (length === null || page * SEQUENCE_PAGE < length)) pages.push(page);
  }
  return pages;
}

/**
 * Where `photoId` is, looking first at the position the URL gave (the list may have changed since:
 * a photo added or removed), then among the photos at hand.
 */
export function locate(photoId: string, hint: number, at: (index: number) => PhotoSummary | undefined, known: Iterable<number>): number | null {
  if (at(hint)?.id === photoId) return hint;
  let best: number | null = null;
  for (const index of known) {
    if (at(index)?.id === photoId && (best === null || Math.abs(index - hint) < Math.abs(best - hint))) best = index;
  }
  return best;
}

/** Two sources are the same list (so a handed-over slice belongs to the URL's source). */
export function sameSource(a: PhotoSource, b: PhotoSource): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A list held whole (a note's photos), served by pages like the others. */
export function pagesOf(photos: readonly PhotoSummary[]): LoadPage {
  return async (offset, limit) => ({ photos: photos.slice(offset, offset + limit), more: offset + limit < photos.length });
}

/**
 * Similar photos leave out the photo they are like. It normally ranks first (it is its own closest match),
 * but ties or filters may put it elsewhere or leave it out: its place in the search is read once, from the
 * first page, and the positions after it are shifted by one.
 */
export function withoutOrigin(originId: string, load: LoadPage): LoadPage {
  let origin: Promise<number> | null = null;
  const originAt = (signal: AbortSignal) =>
    (origin ??= load(0, SEQUENCE_PAGE, signal).then(
      (page) => page.photos.findIndex((photo) => photo.id === originId),
      (error: unknown) => {
        origin = null;
        throw error;
      },
    ));
  return async (offset, limit, signal) => {
    const at = await originAt(signal);
    if (at < 0) return load(offset, limit, signal);
    if (offset >= at) return load(offset + 1, limit, signal);
    const page = await load(offset, limit + 1, signal);
    return { photos: page.photos.filter((photo) => photo.id !== originId).slice(0, limit), more: page.more };
  };
}
