/**
 * The library grid, kept in memory: every searchable photo (status `ok`) sorted newest capture first
 * (undated last, then by path), with what filtering and a grid cell need. A page of `list()`, a `timeline()`
 * or the `facets()` are then read from memory, never from a scan and sort of the table. Built once from a scan
 * of these columns (no vectors); the store applies each committed write to it. Paths are absolute.
 */
import type { PhotoFacets, PhotoFilter } from './photo-store.ts';
import type { PhotoRow } from './schema.ts';

/** What the grid shows of a photo: all a `PhotoSummary` needs, and the thumbnail each cell asks for. */
export type PhotoListing = Pick<PhotoRow, 'id' | 'path' | 'width' | 'height' | 'taken_at' | 'camera' | 'thumb'>;

export const LISTING_COLUMNS = ['id', 'path', 'width', 'height', 'taken_at', 'camera', 'thumb'] as const;

interface Entry {
  id: string;
  takenAt: number | null;
  /** The local calendar day of `takenAt` as yyyymmdd (0: undated), computed once. */
  day: number;
  /** The photo's folder: one shared string per folder. */
  dir: string;
  name: string;
  camera: string | null;
  width: number | null;
  height: number | null;
  thumb: string | null;
}

/** Above this many changes in one write, sorting everything again is cheaper than moving entries one by one. */
const RESORT_ABOVE = 256;

export class PhotoOrder {
  private entries: Entry[] = [];
  private readonly byId = new Map<string, Entry>();
  /** Photos per folder (keeping the folder's one shared string) and per camera label: the facets, kept as photos come and go. */
  private readonly folders = new Map<string, { dir: string; photos: number }>();
  private readonly cameras = new Map<string, number>();
  /** `YYYY-MM-DD` of each yyyymmdd day key met so far: a few thousand strings for a lifetime of photos. */
  private readonly labels = new Map<number, string>();

  constructor(
    rows: Iterable<PhotoListing>,
    private readonly sep: string,
  ) {
    for (const row of rows) this.put(this.entry(row));
    this.sortAll();
  }

  /** Puts `shown` rows in their place (moving them if already there) and takes `hidden` ids out. */
  apply(shown: readonly PhotoListing[], hidden: readonly string[] = []): void {
    const arriving = [...new Map(shown.map((row) => [row.id, this.entry(row)])).values()];
    const leaving = [...new Set([...hidden, ...arriving.map((entry) => entry.id)])].flatMap((id) => this.byId.get(id) ?? []);
    for (const entry of leaving) this.take(entry);
    for (const entry of arriving) this.put(entry);
    if (leaving.length + arriving.length > RESORT_ABOVE) return this.sortAll();
    for (const entry of leaving) this.entries.splice(this.position(entry), 1);
    for (const entry of arriving) this.entries.splice(this.position(entry), 0, entry);
  }

  clear(): void {
    this.entries = [];
    this.byId.clear();
    this.folders.clear();
    this.cameras.clear();
  }

  /** The searchable photo with this id, if there is one. */
  find(id: string): PhotoListing | undefined {
    const entry = this.byId.get(id);
    return entry && this.listing(entry);
  }

  /** One page of the photos matching `filter`, in order, and how many match in all. */
  page(filter: PhotoFilter, offset: number, limit: number): { rows: PhotoListing[]; total: number } {
    const [start, end] = this.dateRange(filter);
    const matches = this.predicate(filter);
    if (!matches) {
      const from = Math.min(end, start + offset);
      return { rows: this.entries.slice(from, Math.min(end, from + limit)).map((entry) => this.listing(entry)), total: end - start };
    }
    const rows: PhotoListing[] = [];
    let total = 0;
    for (let i = start; i < end; i++) {
      const entry = this.entries[i]!;
      if (!matches(entry)) continue;
      if (total >= offset && rows.length < limit) rows.push(this.listing(entry));
      total++;
    }
    return { rows, total };
  }

  /**
   * Photo counts per local calendar day (`YYYY-MM-DD` in this process's time zone), in `page()` order:
   * newest day first, undated photos last (`day: null`).
   */
  timeline(filter: PhotoFilter): { day: string | null; count: number }[] {
    const [start, end] = this.dateRange(filter);
    const matches = this.predicate(filter);
    // Entries are sorted by time, so each day is one run of entries.
    const days: { day: string | null; count: number }[] = [];
    let current = { day: null as string | null, count: 0 };
    let currentDay = -1;
    for (let i = start; i < end; i++) {
      const entry = this.entries[i]!;
      if (matches && !matches(entry)) continue;
      if (entry.day !== currentDay) {
        currentDay = entry.day;
        days.push((current = { day: this.label(entry.day), count: 0 }));
      }
      current.count++;
    }
    return days;
  }

  /** The folders (each photo's own), camera labels, capture dates and count of the searchable photos. */
  facets(): PhotoFacets {
    // A photo in `/` itself has an empty folder part.
    const folders = new Set([...this.folders.keys()].map((dir) => dir || this.sep));
    const newest = this.entries[0]?.takenAt ?? null;
    const oldest = this.entries[this.firstWhere((entry) => entry.takenAt === null) - 1]?.takenAt ?? null;
    return {
      folders: [...folders].sort(),
      cameras: [...this.cameras.keys()].sort(),
      takenRange: newest === null || oldest === null ? null : { from: oldest, to: newest },
      count: this.entries.length,
    };
  }

  /**
   * Sorts every entry anew. The entries are copied in their new order because objects allocated one after
   * another lie together in memory: a walk over the grid (a timeline, a filtered page) then reads memory in
   * sequence instead of jumping between objects scattered in the order their rows arrived.
   */
  private sortAll(): void {
    this.entries = [...this.byId.values()].sort((a, b) => this.compare(a, b)).map((entry) => ({ ...entry }));
    for (const entry of this.entries) this.byId.set(entry.id, entry);
  }

  private entry(row: PhotoListing): Entry {
    const cut = row.path.lastIndexOf(this.sep);
    const dir = row.path.slice(0, cut);
    const shared = this.folders.get(dir)?.dir ?? dir;
    return {
      id: row.id,
      takenAt: row.taken_at,
      day: row.taken_at === null ? 0 : localDay(row.taken_at),
      dir: shared,
      name: row.path.slice(cut + 1),
      camera: row.camera,
      width: row.width,
      height: row.height,
      thumb: row.thumb,
    };
  }

  /** Counts an entry in (replacing the one with its id, if any); the caller places it in `entries`. */
  private put(entry: Entry): void {
    const previous = this.byId.get(entry.id);
    if (previous) this.take(previous);
    this.byId.set(entry.id, entry);
    const folder = this.folders.get(entry.dir);
    if (folder) folder.photos++;
    else this.folders.set(entry.dir, { dir: entry.dir, photos: 1 });
    if (entry.camera) this.cameras.set(entry.camera, (this.cameras.get(entry.camera) ?? 0) + 1);
  }

  /** Counts an entry out; the caller removes it from `entries`. */
  private take(entry: Entry): void {
    this.byId.delete(entry.id);
    const folder = this.folders.get(entry.dir)!;
    if (--folder.photos === 0) this.folders.delete(entry.dir);
    if (entry.camera) {
      const left = this.cameras.get(entry.camera)! - 1;
      if (left === 0) this.cameras.delete(entry.camera);
      else this.cameras.set(entry.camera, left);
    }
  }

  private label(day: number): string | null {
    if (day === 0) return null;
    let label = this.labels.get(day);
    if (label === undefined) {
      const pad = (n: number) => String(n).padStart(2, '0');
      label = `${Math.floor(day / 10_000)}-${pad(Math.floor(day / 100) % 100)}-${pad(day % 100)}`;
      this.labels.set(day, label);
    }
    return label;
  }

  private listing(entry: Entry): PhotoListing {
    return {
      id: entry.id,
      path: entry.dir + this.sep + entry.name,
      width: entry.width,
      height: entry.height,
      taken_at: entry.takenAt,
      camera: entry.camera,
      thumb: entry.thumb,
    };
  }

  /** Newest first, undated last, then by path (as the table's `ORDER BY taken_at DESC NULLS LAST, path`), then id. */
  private compare(a: Entry, b: Entry): number {
    if (a.takenAt !== b.takenAt) {
      if (a.takenAt === null) return 1;
      if (b.takenAt === null) return -1;
      return b.takenAt - a.takenAt;
    }
    const pathA = a.dir === b.dir ? a.name : a.dir + this.sep + a.name;
    const pathB = a.dir === b.dir ? b.name : b.dir + this.sep + b.name;
    if (pathA !== pathB) return pathA < pathB ? -1 : 1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  }

  /** Where `entry` is, or would go, in the sorted entries. */
  private position(entry: Entry): number {
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.compare(this.entries[mid]!, entry) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** The run of entries inside the filter's dates: `[start, end)`. Any date bound leaves undated photos out, as SQL does. */
  private dateRange(filter: PhotoFilter): [number, number] {
    if (filter.takenFrom === undefined && filter.takenTo === undefined) return [0, this.entries.length];
    const to = filter.takenTo;
    const from = filter.takenFrom;
    const start = to === undefined ? 0 : this.firstWhere((entry) => entry.takenAt === null || entry.takenAt < to);
    const end = this.firstWhere((entry) => entry.takenAt === null || (from !== undefined && entry.takenAt < from));
    return [start, Math.max(start, end)];
  }

  /** The first index whose entry satisfies `past`, a condition that holds from some index to the end. */
  private firstWhere(past: (entry: Entry) => boolean): number {
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (past(this.entries[mid]!)) high = mid;
      else low = mid + 1;
    }
    return low;
  }

  /** The folder and camera test, or null when the filter has neither. */
  private predicate(filter: PhotoFilter): ((entry: Entry) => boolean) | null {
    const { folder, camera } = filter;
    if (folder === undefined && camera === undefined) return null;
    const prefix = folder === undefined ? '' : folder.endsWith(this.sep) ? folder : folder + this.sep;
    // A path is under the folder exactly when its own folder plus a separator starts with the prefix.
    const under = new Map<string, boolean>();
    const inFolder = (dir: string) => {
      let yes = under.get(dir);
      if (yes === undefined) under.set(dir, (yes = (dir + this.sep).startsWith(prefix)));
      return yes;
    };
    return (entry) => (camera === undefined || entry.camera === camera) && (folder === undefined || inFolder(entry.dir));
  }
}

/** The local calendar day (this process's time zone) of an instant, as yyyymmdd. */
function localDay(epochMs: number): number {
  const date = new Date(epochMs);
  return date.getFullYear() * 10_000 + (date.getMonth() + 1) * 100 + date.getDate();
}
