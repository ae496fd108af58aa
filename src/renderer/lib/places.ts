/**
 * Places kept per history entry (how far a grid or list was scrolled, how much of a paged list was read),
 * so Back, Esc and a reload land where the user was. Each entry of the window's history carries a key of its
 * own in `history.state`; the places live in sessionStorage under that key (it survives a reload, and
 * writing it on every scroll is cheap, where `history.replaceState` is rate-limited by browsers).
 */
import { z } from 'zod';

export const Place = z.object({
  /** The URL hash the place was kept on: a screen whose entry now shows something else starts afresh. */
  route: z.string(),
  scrollTop: z.number().nonnegative(),
  /** How many items of a paged list were read, so it reads as many again before scrolling. */
  count: z.number().int().nonnegative().optional(),
  /** Text typed into the screen's own filter field. */
  filter: z.string().max(1000).optional(),
  /** Search results: sorted by date rather than relevance, and the nearest photos shown where none matched well. */
  byDate: z.boolean().optional(),
  showNearest: z.boolean().optional(),
});
export type Place = z.infer<typeof Place>;

/** The part of `Storage` used here. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const PREFIX = 'subspace.place.';
const INDEX = 'subspace.places';
const EntryList = z.array(z.string());

export class PlaceBook {
  private entries: string[] | null = null;

  /** `limit`: how many entries keep a place; the oldest are forgotten first. */
  constructor(
    private readonly store: KeyValueStore,
    private readonly limit = 200,
  ) {}

  read(entry: string, route: string): Place | null {
    const place = parse(Place, this.get(PREFIX + entry));
    return place && place.route === route ? place : null;
  }

  write(entry: string, place: Place): void {
    const entries = this.list();
    if (!entries.includes(entry)) {
      entries.push(entry);
      for (const old of entries.splice(0, Math.max(0, entries.length - this.limit))) this.remove(PREFIX + old);
      this.set(INDEX, JSON.stringify(entries));
    }
    this.set(PREFIX + entry, JSON.stringify(place));
  }

  private list(): string[] {
    this.entries ??= parse(EntryList, this.get(INDEX)) ?? [];
    return this.entries;
  }

  // A place is a convenience: a full or refused storage (private windows, quotas) must never stop the app.
  private get(key: string): string | null {
    try {
      return this.store.getItem(key);
    } catch {
      return null;
    }
  }

  private set(key: string, value: string): void {
    try {
      this.store.setItem(key, value);
    } catch {
      // See get().
    }
  }

  private remove(key: string): void {
    try {
      this.store.removeItem(key);
    } catch {
      // See get().
    }
  }
}

function parse<T>(schema: z.ZodType<T>, text: string | null): T | null {
  if (text === null) return null;
  try {
    const result = schema.safeParse(JSON.parse(text));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}

/** The key of a history entry, from its `history.state`; null for an entry the app has not marked yet. */
export function entryOf(state: unknown): string | null {
  return state && typeof state === 'object' && 'entry' in state && typeof state.entry === 'string' ? state.entry : null;
}

export function newEntry(): string {
  return Math.random().toString(36).slice(2, 12) + Date.now().toString(36);
}
