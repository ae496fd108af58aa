/**
 * The selection of one grid as Svelte state (the logic is `selection.ts`), kept per view: coming back to a
 * view (from a photo, or Back) finds what was selected there; another view has its own.
 */
import type { PhotoSummary } from '../../shared/dto.ts';
import { SelectionModel, type GridSource } from './selection.ts';

export class GridSelection {
  private readonly model = new SelectionModel();
  /** Bumped on every change: reading it makes a getter reactive. */
  private version = $state(0);

  has(photoId: string): boolean {
    void this.version;
    return this.model.has(photoId);
  }

  count(total: number): number {
    void this.version;
    return this.model.count(total);
  }

  get all(): boolean {
    void this.version;
    return this.model.all;
  }

  toggle(photo: PhotoSummary, index: number): void {
    this.model.toggle(photo, index);
    this.version++;
  }

  /** Shift-click: selects (or deselects) from the last clicked item to this one, fetching the photos between. */
  async extendTo(index: number, photo: PhotoSummary, source: GridSource): Promise<void> {
    const { start, end, select } = this.model.rangeTo(index, photo.id);
    const photos = await source.photosIn(start, end);
    this.model.setRange(photos, select, index);
    this.version++;
  }

  /** Shift+arrow: selects from the anchor to the newly focused item (`SelectionModel.keyRange`). */
  async extendByKey(from: number, to: number, source: GridSource): Promise<void> {
    const range = this.model.keyRange(from, to);
    const [selected, ...dropped] = await Promise.all([source.photosIn(range.start, range.end), ...range.dropped.map((r) => source.photosIn(r.start, r.end))]);
    this.model.setKeyRange(range, selected!, dropped.flat());
    this.version++;
  }

  selectAll(): void {
    this.model.selectAll();
    this.version++;
  }

  clear(): void {
    this.model.clear();
    this.version++;
  }

  photos(source: GridSource): Promise<PhotoSummary[]> {
    return this.model.photos(source);
  }
}

const MAX_KEPT = 20;
const kept = new Map<string, GridSelection>();

/** The selection of the view named `key` (e.g. its route), made on first use; the least recently used are dropped. */
export function selectionFor(key: string): GridSelection {
  const selection = kept.get(key) ?? new GridSelection();
  kept.delete(key);
  kept.set(key, selection);
  if (kept.size > MAX_KEPT) kept.delete(kept.keys().next().value!);
  return selection;
}
