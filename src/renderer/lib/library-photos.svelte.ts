/**
 * The whole library as the grid sees it: day groups known up front (from `photos.timeline`), photos
 * fetched by page for whatever part of the grid is on screen, so a 100,000-photo library costs a
 * screenful of requests, not a download of everything.
 */
import type { PhotoFilters, PhotoSummary } from '../../shared/dto.ts';
import type { ApiClient } from './api.ts';
import { errorMessage } from './api.ts';
import type { GridGroup } from './grid-layout.ts';
import { dayLabel, monthKey, monthLabel, type TimelineDay } from './timeline.ts';

const PAGE = 200;

export class LibraryPhotos {
  days = $state.raw<readonly TimelineDay[]>([]);
  pages = $state.raw<ReadonlyMap<number, readonly PhotoSummary[]>>(new Map());
  settled = $state(false);
  error = $state<string | null>(null);
  /** The library version (app state `versions.photos`) this data was last loaded for; -1 before the first load. */
  version = -1;
  private readonly inFlight = new Set<number>();
  private lastRange: [number, number] = [0, PAGE];
  private generation = 0;

  constructor(
    private readonly api: ApiClient,
    private readonly filters: PhotoFilters,
  ) {}

  get total(): number {
    let sum = 0;
    for (const day of this.days) sum += day.count;
    return sum;
  }

  /** One group per day, in month sections. */
  groups(): GridGroup[] {
    const sections = new Map<string | null, string>();
    return this.days.map((day) => {
      const key = monthKey(day.day);
      let section = sections.get(key);
      if (section === undefined) sections.set(key, (section = monthLabel(key)));
      return { label: day.day === null ? null : dayLabel(day.day), count: day.count, section };
    });
  }

  photoAt(index: number): PhotoSummary | undefined {
    return this.pages.get(Math.floor(index / PAGE))?.[index % PAGE];
  }

  /** (Re)reads the timeline and the pages on screen; the old ones stay visible until the new ones are in. */
  async load(version: number): Promise<void> {
    this.version = version;
    const generation = ++this.generation;
    try {
      const { days } = await this.api.call('photos.timeline', { filters: this.filters });
      const [start, end] = this.lastRange;
      const wanted = pagesOf(start, end);
      const fresh = await Promise.all(wanted.map((page) => this.fetchPage(page)));
      if (generation !== this.generation) return;
      this.days = days;
      this.pages = new Map(wanted.map((page, i) => [page, fresh[i] ?? []]));
      this.error = null;
    } catch (error) {
      if (generation === this.generation) this.error = errorMessage(error);
    } finally {
      if (generation === this.generation) this.settled = true;
    }
  }

  /** The grid shows items [start, end): fetch the pages that hold them (and the next one). */
  need(start: number, end: number): void {
    this.lastRange = [start, end];
    for (const page of pagesOf(start, end + PAGE / 2)) {
      if (this.pages.has(page) || this.inFlight.has(page) || page * PAGE >= this.total) continue;
      this.inFlight.add(page);
      const generation = this.generation;
      this.fetchPage(page).then(
        (photos) => {
          this.inFlight.delete(page);
          if (generation !== this.generation) return;
          this.pages = new Map(this.pages).set(page, photos);
        },
        (error: unknown) => {
          this.inFlight.delete(page);
          this.error = errorMessage(error);
        },
      );
    }
  }

  private async fetchPage(page: number): Promise<PhotoSummary[]> {
    return (await this.api.call('photos.list', { filters: this.filters, offset: page * PAGE, limit: PAGE })).items;
  }
}

function pagesOf(start: number, end: number): number[] {
  const pages: number[] = [];
  for (let page = Math.floor(start / PAGE); page * PAGE < Math.max(end, start + 1); page++) pages.push(page);
  return pages;
}
