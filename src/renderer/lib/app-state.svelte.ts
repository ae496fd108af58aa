/** State the whole window shares: the API client, the current screen, library facts and indexing progress. */
import type { AppInfo, Facets, IndexingProgress, ModelInfo, Settings, TextRange, Theme } from '../../shared/dto.ts';
import { ApiError } from '../../shared/errors.ts';
import { createApiClient, errorDetail, errorMessage, type ApiClient } from './api.ts';
import { ThumbnailLoader } from './thumbnail-loader.ts';
import type { LoadedSlice, PhotoFrom } from './photo-sequence.ts';
import { PlaceBook, entryOf, newEntry, type Place } from './places.ts';
import { formatRoute, parseRoute, type Route } from './route.ts';

export interface Toast {
  readonly id: number;
  readonly text: string;
  readonly tone: 'info' | 'error';
  /** The technical account, behind a "Details" disclosure. */
  readonly detail?: string | null;
}

type ChangeKind = 'photos' | 'notes' | 'links' | 'folders';

/** How often a place kept on every scroll event is written to sessionStorage. */
const PLACE_WRITE_MS = 250;

/** How long typing may pause before the address bar shows what was typed. */
const TYPED_HASH_DELAY_MS = 400;

class AppState {
  readonly api: ApiClient;
  /** Thumbnails for every photo grid, fetched a screenful at a time and kept for scrolling back. */
  readonly thumbnails: ThumbnailLoader;
  route = $state<Route>(parseRoute(window.location.hash));
  facets = $state<Facets | null>(null);
  progress = $state<IndexingProgress | null>(null);
  settings = $state<Settings | null>(null);
  model = $state<ModelInfo | null>(null);
  info = $state<AppInfo | null>(null);
  connected = $state(true);
  toasts = $state<Toast[]>([]);
  /** Bumped when the library reports a change of that kind; views re-query when it moves. */
  versions = $state<Record<ChangeKind, number>>({ photos: 0, notes: 0, links: 0, folders: 0 });
  /** The passage to select when a note opens from a search or a suggestion (consumed by the note editor). */
  notePassage = $state<{ noteId: string; range: TextRange } | null>(null);
  /** The library photo last focused, so coming back to the library lands on it; null before any. */
  libraryFocus = $state<number | null>(null);
  /** What the screen that opened a photo already holds of its list, so the lightbox's first steps need no request. */
  photoSlice = $state.raw<(LoadedSlice & { from: PhotoFrom }) | null>(null);
  private readonly places = new PlaceBook({
    getItem: (key) => window.sessionStorage.getItem(key),
    setItem: (key, value) => window.sessionStorage.setItem(key, value),
    removeItem: (key) => window.sessionStorage.removeItem(key),
  });
  private nextToastId = 1;
  private readonly toastTimers = new Map<number, ReturnType<typeof setTimeout>>();
  /** The route's hash while typing runs ahead of the address bar (see `navigate`). */
  private typedHash: string | null = null;
  private typedHashTimer: ReturnType<typeof setTimeout> | undefined;
  private unwrittenPlace: { entry: string; place: Place } | null = null;
  private placeTimer: ReturnType<typeof setTimeout> | undefined;
  private pendingChanges = new Set<ChangeKind>();
  private changeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    this.api = createApiClient((connected) => {
      this.connected = connected;
      if (connected) void this.refresh();
    });
    this.thumbnails = new ThumbnailLoader(async (photoIds) => (await this.api.call('photos.thumbnails', { photoIds })).thumbnails);
    markEntry();
    window.addEventListener('pagehide', () => this.writePlace());
    window.addEventListener('hashchange', () => {
      this.dropTypedHash();
      markEntry();
      this.route = parseRoute(window.location.hash);
    });
  }

  async start(): Promise<void> {
    const { api } = this;
    api.on('indexing.progress', (progress) => {
      const wasRunning = this.progress?.phase === 'indexing' || this.progress?.phase === 'scanning';
      this.progress = progress;
      if (wasRunning && progress.phase === 'done') void this.refreshFacets();
    });
    api.on('library.changed', ({ kind }) => this.changed(kind));
    api.on('model.changed', (model) => {
      this.model = model;
      if (model.status === 'ready') void this.refresh();
    });
    api.on('settings.changed', (settings) => {
      this.settings = settings;
      applyTheme(settings.theme);
    });
    // Desktop app: the service process crashed and was started again (what was on screen may be stale), or it stopped.
    api.on('service.status', ({ state, message }) => {
      this.notify(message, state === 'restarted' ? 'info' : 'error');
      if (state === 'restarted') void this.refresh();
    });
    await this.refresh();
  }

  /** Changes arrive in bursts while indexing: views re-query at most about once a second. */
  private changed(kind: ChangeKind): void {
    if (kind === 'photos') this.thumbnails.forget();
    this.pendingChanges.add(kind);
    if (this.changeTimer !== undefined) return;
    this.changeTimer = setTimeout(() => {
      this.changeTimer = undefined;
      const kinds = [...this.pendingChanges];
      this.pendingChanges.clear();
      const next = { ...this.versions };
      for (const changed of kinds) next[changed]++;
      this.versions = next;
      if (kinds.some((changed) => changed !== 'links')) void this.refreshFacets();
    }, 1000);
  }

  async refresh(): Promise<void> {
    try {
      const [settings, progress, model, info] = await Promise.all([
        this.api.call('settings.get', {}),
        this.api.call('indexing.status', {}),
        this.api.call('model.info', {}),
        this.api.call('app.info', {}),
      ]);
      this.settings = settings;
      this.model = model;
      this.info = info;
      applyTheme(settings.theme);
      this.progress = progress;
      await this.refreshFacets();
    } catch (error) {
      this.notifyError(error);
    }
  }

  async refreshFacets(): Promise<void> {
    try {
      this.facets = await this.api.call('library.facets', {});
    } catch (error) {
      // `unavailable` (no model yet) is explained by the model banner; a toast on every refresh would only nag.
      if (!(error instanceof ApiError && error.code === 'unavailable')) this.notifyError(error);
    }
  }

  /**
   * Shows `route`, in a new history entry or (`replace`) in the one on show. `typing`: the route follows a text
   * being typed (the search box), so the address bar is written once the typing pauses, or before any other
   * move: `history.replaceState` on every keystroke cost the page and the browser ~3 ms each while a search
   * was also being drawn.
   */
  navigate(route: Route, options: { replace?: boolean; typing?: boolean } = {}): void {
    const hash = formatRoute(route);
    if (hash === this.hash) return;
    if (options.replace && options.typing) {
      this.route = route;
      this.typedHash = hash;
      clearTimeout(this.typedHashTimer);
      this.typedHashTimer = setTimeout(() => this.writeTypedHash(), TYPED_HASH_DELAY_MS);
      return;
    }
    if (options.replace) {
      // The typed hash would be written over at once.
      this.dropTypedHash();
      window.history.replaceState({ depth: historyDepth(), entry: entryOf(window.history.state) ?? newEntry() }, '', hash);
    } else {
      // The entry being left keeps what was typed into it.
      this.writeTypedHash();
      window.history.pushState({ depth: historyDepth() + 1, entry: newEntry() }, '', hash);
    }
    this.route = route;
  }

  /** The hash of the route on show (the address bar's, unless typing is ahead of it). */
  get hash(): string {
    return this.typedHash ?? window.location.hash;
  }

  private writeTypedHash(): void {
    const hash = this.typedHash;
    this.dropTypedHash();
    if (hash !== null && hash !== window.location.hash) {
      window.history.replaceState({ depth: historyDepth(), entry: entryOf(window.history.state) ?? newEntry() }, '', hash);
    }
  }

  private dropTypedHash(): void {
    clearTimeout(this.typedHashTimer);
    this.typedHash = null;
  }

  /** Esc and the back button: to the previous screen inside the app, else to the library. */
  back(): void {
    this.writeTypedHash();
    if (historyDepth() > 0) {
      window.history.back();
    } else if (this.route.name !== 'library') {
      this.navigate({ name: 'library', filters: {} }, { replace: true });
    }
  }

  /** Opens a photo in the lightbox, which walks the list it was opened from (`slice`: the part of it at hand). */
  openPhoto(photoId: string, from: PhotoFrom, slice?: LoadedSlice): void {
    this.photoSlice = slice ? { ...slice, from } : null;
    this.navigate({ name: 'photo', photoId, from });
  }

  /** Where the screen on show was left (scroll position and the like), if it was shown in this history entry before. */
  place(): Place | null {
    this.writePlace();
    const entry = entryOf(window.history.state);
    return entry ? this.places.read(entry, this.hash) : null;
  }

  /**
   * Remembers where the screen on show is, for Back, Esc and reloads. Grids call this on every scroll event:
   * the place is written at most every PLACE_WRITE_MS, and when the page is left (sessionStorage took ~0.5 ms a
   * frame while scrolling).
   */
  keepPlace(place: Omit<Place, 'route'>): void {
    const entry = entryOf(window.history.state);
    if (!entry) return;
    if (this.unwrittenPlace && this.unwrittenPlace.entry !== entry) this.writePlace();
    this.unwrittenPlace = { entry, place: { ...place, route: this.hash } };
    this.placeTimer ??= setTimeout(() => this.writePlace(), PLACE_WRITE_MS);
  }

  private writePlace(): void {
    clearTimeout(this.placeTimer);
    this.placeTimer = undefined;
    const unwritten = this.unwrittenPlace;
    this.unwrittenPlace = null;
    if (unwritten) this.places.write(unwritten.entry, unwritten.place);
  }

  openNote(noteId: string, passage?: TextRange): void {
    this.notePassage = passage ? { noteId, range: passage } : null;
    this.navigate({ name: 'notes', noteId });
  }

  /** Shows a photo's or note's file in the system file manager (desktop app only). */
  async reveal(target: { photoId: string } | { noteId: string }): Promise<void> {
    try {
      await this.api.call('app.reveal', target);
    } catch (error) {
      this.notifyError(error);
    }
  }

  notify(text: string, tone: Toast['tone'] = 'info', detail: string | null = null): void {
    // The same message again (several calls failing for one reason) is already on screen: once is enough.
    if (this.toasts.some((toast) => toast.text === text && toast.tone === tone)) return;
    const id = this.nextToastId++;
    this.toasts = [...this.toasts, { id, text, tone, detail }];
    this.toastTimers.set(
      id,
      setTimeout(() => this.dismiss(id), tone === 'error' ? 8000 : 3500),
    );
  }

  /** Keeps a toast up until dismissed (its details are being read). */
  holdToast(id: number): void {
    clearTimeout(this.toastTimers.get(id));
    this.toastTimers.delete(id);
  }

  /** An error as a toast: its sentence, and its technical detail one click away. */
  notifyError(error: unknown): void {
    this.notify(errorMessage(error), 'error', errorDetail(error));
  }

  dismiss(id: number): void {
    this.holdToast(id);
    this.toasts = this.toasts.filter((toast) => toast.id !== id);
  }

  async setTheme(theme: Theme): Promise<void> {
    applyTheme(theme);
    try {
      this.settings = await this.api.call('settings.update', { theme });
    } catch (error) {
      this.notifyError(error);
    }
  }
}

/** How many screens deep inside the app this history entry is (0: the screen the window opened on). */
function historyDepth(): number {
  const state: unknown = window.history.state;
  return state && typeof state === 'object' && 'depth' in state && typeof state.depth === 'number' ? state.depth : 0;
}

/** Gives the history entry on show a key of its own (one the app did not make: the first, a typed URL, a link). */
function markEntry(): void {
  const state: unknown = window.history.state;
  if (entryOf(state) !== null) return;
  window.history.replaceState({ ...(state && typeof state === 'object' ? state : {}), entry: newEntry() }, '');
}

export function applyTheme(theme: Theme): void {
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

export const app = new AppState();
