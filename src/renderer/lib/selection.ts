/**
 * Which photos of one grid are selected, by photo id (so a selection survives scrolling, paging and photos
 * arriving), with the anchor a shift-click extends from. "All" is kept as "every item of the grid except these",
 * so selecting a 100,000-photo library is instant; the ids are fetched only when an action needs them.
 */
import type { PhotoSummary } from '../../shared/dto.ts';

/** What a selection needs from the grid it belongs to. */
export interface GridSource {
  /** Items in the grid (in the library, all photos matching the filters, loaded or not). */
  readonly total: number;
  /** The photos of items [start, end), in grid order, fetched if they are not loaded yet. */
  photosIn(start: number, end: number): Promise<readonly PhotoSummary[]>;
}

export class SelectionModel {
  /** Explicit mode: the selected photos. */
  private readonly picked = new Map<string, PhotoSummary>();
  /** "All" mode: the photos taken out of it. */
  private readonly excluded = new Set<string>();
  private everything = false;
  /** The item last clicked or toggled: a shift-click selects from here. */
  anchor: number | null = null;
  /** The items the last Shift+arrow selected from the anchor, so the next one can shrink them. */
  private keyed: { start: number; end: number } | null = null;

  get all(): boolean {
    return this.everything;
  }

  has(photoId: string): boolean {
    return this.everything ? !this.excluded.has(photoId) : this.picked.has(photoId);
  }

  /** How many are selected in a grid of `total` items. */
  count(total: number): number {
    return this.everything ? Math.max(0, total - this.excluded.size) : this.picked.size;
  }

  toggle(photo: PhotoSummary, index: number): void {
    this.set(photo, !this.has(photo.id));
    this.anchor = index;
    this.keyed = null;
  }

  /**
   * Shift-click on `index`: the items between the anchor and it (both included) take the state the clicked one
   * is about to have, as Immich does (selected unless it already was). Without an anchor it is a plain toggle.
   */
  rangeTo(index: number, clickedId: string): { start: number; end: number; select: boolean } {
    const from = this.anchor ?? index;
    return { start: Math.min(from, index), end: Math.max(from, index) + 1, select: !this.has(clickedId) };
  }

  /** Applies a range found by `rangeTo` once its photos are known; the clicked item becomes the anchor. */
  setRange(photos: readonly PhotoSummary[], select: boolean, index: number): void {
    for (const photo of photos) this.set(photo, select);
    this.anchor = index;
    this.keyed = null;
  }

  /**
   * Shift+arrow moving the focus from `from` to `to`, as in a file manager: the items from the anchor (the item
   * last clicked, else `from`) to `to` are to be selected, and those a previous Shift+arrow from the same anchor
   * selected outside them (`dropped`) deselected, so stepping back shrinks the range.
   */
  keyRange(from: number, to: number): { anchor: number; start: number; end: number; dropped: { start: number; end: number }[] } {
    const anchor = this.anchor ?? from;
    const start = Math.min(anchor, to);
    const end = Math.max(anchor, to) + 1;
    const before = this.keyed;
    const dropped = before
      ? [
          { start: before.start, end: Math.min(before.end, start) },
          { start: Math.max(before.start, end), end: before.end },
        ].filter((range) => range.end > range.start)
      : [];
    return { anchor, start, end, dropped };
  }

  /** Applies a range found by `keyRange` once its photos are known; the anchor stays where it was. */
  setKeyRange(range: { anchor: number; start: number; end: number }, selected: readonly PhotoSummary[], dropped: readonly PhotoSummary[]): void {
    for (const photo of dropped) this.set(photo, false);
    for (const photo of selected) this.set(photo, true);
    this.anchor = range.anchor;
    this.keyed = { start: range.start, end: range.end };
  }

  selectAll(): void {
    this.picked.clear();
    this.excluded.clear();
    this.everything = true;
    this.keyed = null;
  }

  clear(): void {
    this.picked.clear();
    this.excluded.clear();
    this.everything = false;
    this.anchor = null;
    this.keyed = null;
  }

  /** The selected photos in grid order (explicit picks: in the order they were picked), fetching them when "all". */
  async photos(source: GridSource): Promise<PhotoSummary[]> {
    if (!this.everything) return [...this.picked.values()];
    const photos = await source.photosIn(0, source.total);
    return photos.filter((photo) => !this.excluded.has(photo.id));
  }

  private set(photo: PhotoSummary, selected: boolean): void {
    if (this.everything) {
      if (selected) this.excluded.delete(photo.id);
      else this.excluded.add(photo.id);
    } else if (selected) {
      this.picked.set(photo.id, photo);
    } else {
      this.picked.delete(photo.id);
    }
  }
}

/** A source over photos already in memory (search results, similar photos, a note's photos). */
export function loadedSource(photos: () => readonly PhotoSummary[]): GridSource {
  return {
    get total() {
      return photos().length;
    },
    photosIn: async (start, end) => photos().slice(start, end),
  };
}

/** Fetches items [start, end) of a paged list, `pageSize` at a time, a few requests at once. */
export async function fetchRange(
  start: number,
  end: number,
  pageSize: number,
  fetchPage: (offset: number, limit: number) => Promise<readonly PhotoSummary[]>,
  concurrency = 4,
): Promise<PhotoSummary[]> {
  const offsets: number[] = [];
  for (let offset = start; offset < end; offset += pageSize) offsets.push(offset);
  const pages: (readonly PhotoSummary[])[] = new Array(offsets.length);
  let next = 0;
  const worker = async () => {
    while (next < offsets.length) {
      const i = next++;
      const offset = offsets[i]!;
      pages[i] = await fetchPage(offset, Math.min(pageSize, end - offset));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, offsets.length) }, worker));
  return pages.flat();
}

/**
 * A source over a paged list (the library): photos already loaded are used as they are; a range with gaps is
 * fetched from the list, `pageSize` at a time.
 */
export function pagedSource(options: {
  total: () => number;
  photoAt: (index: number) => PhotoSummary | undefined;
  fetchPage: (offset: number, limit: number) => Promise<readonly PhotoSummary[]>;
  pageSize: number;
}): GridSource {
  return {
    get total() {
      return options.total();
    },
    async photosIn(start, end) {
      const loaded: PhotoSummary[] = [];
      for (let i = start; i < end; i++) {
        const photo = options.photoAt(i);
        if (!photo) return fetchRange(start, end, options.pageSize, options.fetchPage);
        loaded.push(photo);
      }
      return loaded;
    },
  };
}
