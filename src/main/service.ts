/**
 * The service: implements the contract (src/shared/api.ts) by composing the library, the indexer, the search
 * functions and the model. Every transport (Electron IPC, HTTP/WebSocket, the command line) calls only this.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { EventName, MediaKind, ParsedRequestOf, ResponseOf } from '../shared/api.ts';
import { createDispatcher, type Dispatch, type Handlers } from '../shared/dispatch.ts';
import { Id, MAX_RANKED_OFFSET, type IndexingProgress, type ModelInfo, type NoteHit as NoteHitDto, type NotePage, type PhotoPage, type RootKind } from '../shared/dto.ts';
import { ApiError } from '../shared/errors.ts';
import { isFolder } from './indexing/root-presence.ts';
import type { Logger } from './log/logger.ts';
import { RootError } from './indexing/roots.ts';
import type { ItemStatus } from './library/schema.ts';
import { sqlString } from './library/sql.ts';
import { BackboneMissingError, findBackbone, loadBackboneSpec, obtainBackbone, sourceOf, type BackboneSpec } from './model/backbone.ts';
import { projectRoot } from './paths.ts';
import type { NoteHit, NoteResults, PhotoResults } from './search/context.ts';
import { NotFoundError, QueryError } from './search/errors.ts';
import { linkSuggestions } from './search/links.ts';
import { notesForPhoto, searchNotes } from './search/note-search.ts';
import { explainMatch, photosForNote, searchPhotosByQuery, searchPhotosCombined, similarPhotos, similarToManyPhotos } from './search/photo-search.ts';
import { scoreOf } from './search/calibration.ts';
import type { Relevance } from './search/relevance.ts';
import { BacklinkIndex } from './service/backlinks.ts';
import { EventHub } from './service/events.ts';
import { lockLibrary, type LibraryLock } from './service/library-lock.ts';
import { photoMedia, thumbnailDataUrls } from './service/media.ts';
import { listDirectories } from './service/directory-listing.ts';
import { createNote, readNote, saveNote } from './service/note-files.ts';
import { photosByName } from './service/photos-by-name.ts';
import { Runtime } from './service/runtime.ts';
import { SettingsStore } from './service/settings-store.ts';
import { isoTime, nextOffset, noteSummary, photoDetails, photoFilter, photoSummary } from './service/to-dto.ts';
import { expandHome } from './user-path.ts';

/** Problems listed per folder; the count of the rest is what a user needs. */
const MAX_LISTED_PROBLEMS = 50;

/** A library file a transport may stream: by path, or bytes made on demand (e.g. a JPEG of a HEIC). */
export type MediaFile = { contentType: string; path: string } | { contentType: string; data: Buffer };

/** What every transport (Electron IPC, HTTP/WebSocket, the command line) calls: nothing else. */
export interface Service {
  /** Validates and runs one contract method; never throws, always an Envelope. */
  readonly dispatch: Dispatch;
  /** Every event of the contract, already validated; returns an unsubscribe function. */
  subscribe(listener: (event: EventName, payload: unknown) => void): () => void;
  /** A photo or its thumbnail, by id only; throws ApiError `not_found` for anything not in the library. */
  media(kind: MediaKind, photoId: string): Promise<MediaFile>;
  /** Resolves with the last progress once nothing is queued or running (in-process callers such as tests). */
  indexingSettled(): Promise<IndexingProgress>;
  close(): Promise<void>;
}

/** What the shell running the service can do beyond it (the desktop app: reveal files, a login item, a tray). */
export interface Shell {
  tray?: boolean;
  revealInFolder?: (path: string) => void;
  setStartAtLogin?: (enabled: boolean) => Promise<void>;
}

export interface ServiceOptions {
  /** The app data folder: settings.json and library/ (the command line's --library). */
  dataDir: string;
  /** Watch the folders and index changes as they happen, resuming unfinished work at open (the app). */
  watch: boolean;
  /** Absent for browser mode and the command line, which can do none of it. */
  shell?: Shell;
  /** How other processes name this one while it holds the library's writer lock ("subspace index"). */
  holder?: string;
  /**
   * Open without the writer lock, for callers that only query (the command line's search, status…): the library
   * is not created, migrated or switched to another model, and every read sees what the writer has committed.
   */
  readOnly?: boolean;
  /** Where failures are logged (the console when absent). */
  log?: Logger;
  /** The log file those entries end up in, shown in Settings; absent for the command line, which has none. */
  logFile?: string;
}

/** Opens the data folder; unless read-only, first takes its writer lock (LibraryLockedError when another process holds it). */
export async function openService(options: ServiceOptions): Promise<Service> {
  await mkdir(options.dataDir, { recursive: true });
  const lock = options.readOnly ? null : await lockLibrary(options.dataDir, options.holder ?? 'Subspace');
  try {
    const settings = await SettingsStore.open(options.dataDir);
    const service = new LibraryService(options, settings, lock);
    await service.switchModel();
    return service;
  } catch (error) {
    await lock?.release();
    throw error;
  }
}

type Handler<M extends keyof Handlers> = (request: ParsedRequestOf<M>) => Promise<ResponseOf<M>>;

const IDLE: IndexingProgress = {
  phase: 'idle',
  done: 0,
  total: 0,
  failed: 0,
  ratePerSecond: 0,
  etaSeconds: null,
  currentFile: null,
  message: null,
};

class LibraryService implements Service {
  readonly dispatch: Dispatch;
  private readonly events = new EventHub();
  private readonly backlinkIndex = new BacklinkIndex();
  private runtime: Runtime | null = null;
  /** Why there is no runtime (the model or the library could not be opened). */
  private runtimeError: string | null = null;
  private stopProgress: (() => void) | undefined;
  private version: string | undefined;
  private readonly changedTimers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly options: ServiceOptions,
    private readonly settings: SettingsStore,
    private readonly lock: LibraryLock | null,
  ) {
    this.dispatch = createDispatcher(this.handlers(), (method, error) => {
      if (options.log) options.log.error(`${method} failed`, error);
      else console.error(`[subspace] ${method} failed:`, error);
    });
  }

  subscribe(listener: (event: EventName, payload: unknown) => void): () => void {
    return this.events.subscribe(listener);
  }

  async media(kind: MediaKind, photoId: string) {
    if (!Id.safeParse(photoId).success) throw new ApiError('bad_request', 'Not a photo id.');
    return photoMedia(this.active().library, kind, photoId);
  }

  async indexingSettled(): Promise<IndexingProgress> {
    const { indexer } = this.active();
    await indexer.idle();
    return indexer.progress;
  }

  async close(): Promise<void> {
    this.stopProgress?.();
    for (const timer of this.changedTimers.values()) clearTimeout(timer);
    this.events.close();
    await this.runtime?.close();
    this.runtime = null;
    await this.lock?.release();
  }

  /** Opens the library for the model in the settings (closing the previous one), then resumes indexing. */
  async switchModel(): Promise<void> {
    this.stopProgress?.();
    await this.runtime?.close();
    this.runtime = null;
    try {
      this.runtime = await Runtime.open({
        dataDir: this.options.dataDir,
        model: this.settings.get().model,
        watch: this.options.watch,
        readOnly: this.options.readOnly === true,
      });
      this.runtimeError = null;
    } catch (error) {
      this.runtimeError = describe(error);
      return;
    }
    const runtime = this.runtime;
    let lastDone = -1;
    this.stopProgress = runtime.indexer.subscribe((progress) => {
      this.events.progress(progress);
      if (progress.done !== lastDone || progress.phase === 'done') {
        lastDone = progress.done;
        this.changed('photos');
        this.changed('notes');
      }
    });
    if (this.options.watch) {
      await runtime.indexer.start();
      // Warm the query model in the background so the first search is quick; failures show in model.info.
      void runtime.embedder().then(
        async () => this.events.emit('model.changed', await this.modelInfo()),
        async () => this.events.emit('model.changed', await this.modelInfo()),
      );
    }
  }

  /** The open runtime, or `unavailable` with the reason there is none. */
  private active(): Runtime {
    if (!this.runtime) throw new ApiError('unavailable', this.runtimeError ?? 'The library is not open.');
    return this.runtime;
  }

  /** The search context, or `unavailable` with the reason the query model cannot load. */
  private async search() {
    try {
      return await this.active().search();
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError('unavailable', describe(error));
    }
  }

  /** `library.changed`, at most once a second per kind. */
  private changed(kind: 'photos' | 'notes' | 'links' | 'folders'): void {
    if (kind === 'links' || kind === 'folders') return this.events.emit('library.changed', { kind });
    if (this.changedTimers.has(kind)) return;
    this.changedTimers.set(
      kind,
      setTimeout(() => {
        this.changedTimers.delete(kind);
        this.events.emit('library.changed', { kind });
      }, 1000),
    );
  }

  private handlers(): Handlers {
    return {
      'search.text': async (r, signal) => {
        const ctx = await this.search();
        return photoPage(await found(searchPhotosByQuery(ctx, r.query, { filter: photoFilter(r.filters), offset: r.offset, limit: r.limit, signal })));
      },
      'search.similar': async (r) => {
        const ctx = await this.search();
        return photoPage(await found(similarPhotos(ctx, r.photoId, { filter: photoFilter(r.filters), offset: r.offset, limit: r.limit })));
      },
      'search.combined': async (r) => {
        const ctx = await this.search();
        return photoPage(await found(searchPhotosCombined(ctx, r.terms, { filter: photoFilter(r.filters), offset: r.offset, limit: r.limit })));
      },
      'search.similarToMany': async (r) => {
        const ctx = await this.search();
        return photoPage(await found(similarToManyPhotos(ctx, r.photoIds, { filter: photoFilter(r.filters), offset: r.offset, limit: r.limit })));
      },
      'search.explain': async (r) => found(explainMatch(await this.search(), r.query, r.photoId, photoFilter(r.filters))),
      'search.notes': async (r) => {
        const ctx = await this.search();
        return notePage(await searchNotes(ctx, r.query, { offset: r.offset, limit: r.limit }));
      },
      'photos.list': async (r) => {
        const { rows, total } = await this.active().library.photos.list(photoFilter(r.filters), r.offset, r.limit);
        return { items: rows.map(photoSummary), total, nextOffset: nextOffset(r.offset, rows.length, r.limit, total) };
      },
      'photos.timeline': async (r) => ({ days: await this.active().library.photos.timeline(photoFilter(r.filters)) }),
      'photos.byPath': async (r) => {
        const state = await this.active().library.photos.getByPath(r.path);
        const row = state && isShown(state.status) ? await this.active().library.photos.get(state.id) : null;
        if (!row) throw new ApiError('not_found', `${r.path} is not a photo in the library. Index its folder first: subspace index <folder>.`);
        return photoSummary(row);
      },
      'photos.get': async (r) => {
        const row = await this.active().library.photos.get(r.photoId);
        if (!row || !isShown(row.status)) throw new ApiError('not_found', `No photo ${r.photoId} in the library.`);
        return photoDetails(row);
      },
      'photos.thumbnails': async (r) => ({ thumbnails: await thumbnailDataUrls(this.active().library, r.photoIds) }),
      'photos.notes': async (r) => {
        const ctx = await this.search();
        return notePage(await found(notesForPhoto(ctx, r.photoId, { limit: r.limit })));
      },
      'notes.list': async (r) => {
        const { rows, total } = await this.active().library.notes.list(r.folder, r.offset, r.limit);
        return { items: rows.map(noteSummary), total, nextOffset: nextOffset(r.offset, rows.length, r.limit, total) };
      },
      'notes.byPath': async (r) => {
        const state = await this.active().library.notes.getByPath(r.path);
        const head = state ? await this.noteHead(state.note_id) : null;
        if (!head) throw new ApiError('not_found', `${r.path} is not a note in the library. Index its folder first: subspace index --notes <folder>.`);
        return noteSummary(head);
      },
      'notes.get': async (r) => {
        const head = await this.requireNote(r.noteId);
        const file = await readNote(head.path);
        return { note: noteSummary(head), content: file.content, encoding: file.encoding, revision: file.revision };
      },
      'notes.save': async (r) => {
        const head = await this.requireNote(r.noteId);
        const file = await saveNote(head.path, r.content, r.revision);
        await this.active().indexer.refresh('notes', [head.path]);
        this.changed('notes');
        // Re-read: the title follows the first heading, which the edit may have changed.
        const fresh = (await this.noteHead(r.noteId)) ?? head;
        return { note: noteSummary(fresh), content: file.content, encoding: file.encoding, revision: file.revision };
      },
      'notes.create': async (r) => {
        const runtime = this.active();
        const root = (await runtime.library.roots.list('notes')).find((candidate) => candidate.path === r.root);
        if (!root) throw new ApiError('bad_request', `${r.root} is not one of the notes folders.`);
        const path = join(await noteFolder(root.path, r.folder), r.fileName);
        const file = await createNote(path, r.content);
        await runtime.indexer.refresh('notes', [path]);
        const state = await runtime.library.notes.getByPath(path);
        const head = state ? await this.noteHead(state.note_id) : null;
        if (!head) throw new ApiError('internal', `${r.fileName} was written but could not be indexed.`);
        this.changed('notes');
        return { note: noteSummary(head), content: file.content, encoding: file.encoding, revision: file.revision };
      },
      'notes.photos': async (r) => {
        const ctx = await this.search();
        return photoPage(
          await found(photosForNote(ctx, r.noteId, { filter: photoFilter(r.filters), offset: r.offset, limit: r.limit, passage: r.passage })),
        );
      },
      'notes.backlinks': async (r) => {
        await this.requireNote(r.noteId);
        const { library } = this.active();
        const notes = (await library.notes.scanState()).filter((note) => isShown(note.status));
        const sources = await this.backlinkIndex.backlinks(r.noteId, notes);
        const heads = await library.notes.heads(sources.map((source) => source.noteId));
        return {
          items: sources.flatMap((source) => {
            const head = heads.get(source.noteId);
            return head ? [{ note: noteSummary(head), count: source.count, context: source.context }] : [];
          }),
        };
      },
      'photos.byName': async (r) => {
        const found = await photosByName(this.active().library.photos, r.names, r.near ?? '');
        const rows = await this.active().library.photos.getMany([...new Set([...found.values()].map((photo) => photo.id))]);
        return {
          items: [...found].flatMap(([name, photo]) => {
            const row = rows.get(photo.id);
            return row ? [{ name, photo: photoSummary(row) }] : [];
          }),
        };
      },
      'links.list': async (r) => {
        const { library } = this.active();
        const rows = await library.links.list(r);
        const photos = await library.photos.getMany([...new Set(rows.map((row) => row.photo_id))]);
        const notes = await library.notes.heads([...new Set(rows.map((row) => row.note_id))]);
        return {
          items: rows.flatMap((row) => {
            const photo = photos.get(row.photo_id);
            const note = notes.get(row.note_id);
            if (!photo || !note || !isShown(photo.status) || !isShown(note.status)) return [];
            return [{ photo: photoSummary(photo), note: noteSummary(note), createdAt: isoTime(row.created_at) }];
          }),
        };
      },
      'links.add': async (r) => {
        const runtime = this.active();
        const [photo, note] = await Promise.all([runtime.library.photos.get(r.photoId), this.noteHead(r.noteId)]);
        if (!photo || !isShown(photo.status)) throw new ApiError('not_found', `No photo ${r.photoId} in the library.`);
        if (!note) throw new ApiError('not_found', `No note ${r.noteId} in the library.`);
        const row = await runtime.library.links.add(r.photoId, r.noteId, 'user');
        this.changed('links');
        return { photo: photoSummary(photo), note: noteSummary(note), createdAt: isoTime(row.created_at) };
      },
      'links.remove': async (r) => {
        const removed = await this.active().library.links.remove(r.photoId, r.noteId);
        if (removed) this.changed('links');
        return { removed };
      },
      'links.addMany': async (r) => {
        const { library } = this.active();
        if (!(await this.noteHead(r.noteId))) throw new ApiError('not_found', `No note ${r.noteId} in the library.`);
        const photos = await library.photos.getMany(r.photoIds);
        const shown = (id: string) => {
          const photo = photos.get(id);
          return photo !== undefined && isShown(photo.status);
        };
        const present = r.photoIds.filter(shown);
        const added = await library.links.addMany(present, r.noteId, 'user');
        if (added > 0) this.changed('links');
        return { added, alreadyLinked: present.length - added, notFound: r.photoIds.filter((id) => !shown(id)) };
      },
      'links.removeMany': async (r) => {
        const removed = await this.active().library.links.removeMany(r.photoIds, r.noteId);
        if (removed > 0) this.changed('links');
        return { removed };
      },
      'links.suggestions': async (r) => {
        const ctx = await this.search();
        const suggestions = await linkSuggestions(ctx, { limit: r.limit });
        return {
          items: suggestions.map((s) => ({
            photo: photoSummary(s.photo),
            note: noteSummary(s.note),
            score: s.score,
            snippet: s.snippet,
            highlights: [],
            passage: s.passage,
          })),
        };
      },
      'folders.list': async () => {
        const runtime = this.active();
        const roots = await runtime.library.roots.list();
        const items = await Promise.all(
          roots.map(async (root) => ({
            kind: root.kind,
            path: root.path,
            addedAt: isoTime(root.added_at),
            itemCount: await countUnder(runtime, root.kind, root.path),
            status: (await isFolder(root.path)) ? ('ok' as const) : ('missing' as const),
            problems: runtime.indexer.problemsUnder(root.kind, root.path).slice(0, MAX_LISTED_PROBLEMS),
          })),
        );
        return { items };
      },
      'folders.add': async (r) => {
        try {
          const root = await this.active().indexer.addRoot(r.kind, expandHome(r.path));
          this.changed('folders');
          return { kind: root.kind, path: root.path, addedAt: isoTime(root.added_at), itemCount: 0, status: 'ok', problems: [] };
        } catch (error) {
          if (error instanceof RootError) throw new ApiError(error.code === 'overlap' ? 'conflict' : 'bad_request', error.message, undefined, error.detail);
          throw error;
        }
      },
      'folders.remove': async (r) => {
        const removed = await this.active().indexer.removeRoot(r.kind, r.path);
        if (removed) this.changed('folders');
        return { removed };
      },
      'library.facets': async () => {
        const runtime = this.active();
        const [facets, noteCount] = await Promise.all([runtime.library.photos.facets(), runtime.library.notes.countNotes("status = 'ok'")]);
        return {
          folders: facets.folders,
          cameras: facets.cameras,
          dateRange: facets.takenRange ? { from: localDay(facets.takenRange.from), to: localDay(facets.takenRange.to) } : null,
          photoCount: facets.count,
          noteCount,
        };
      },
      'indexing.status': async () => this.runtime?.indexer.progress ?? IDLE,
      'indexing.pause': async () => {
        const { indexer } = this.active();
        indexer.pause();
        return indexer.progress;
      },
      'indexing.resume': async () => {
        const { indexer } = this.active();
        indexer.resume();
        return indexer.progress;
      },
      'indexing.cancel': async () => {
        const { indexer } = this.active();
        indexer.cancel();
        return indexer.progress;
      },
      'indexing.reindex': async (r) => {
        const { indexer } = this.active();
        indexer.rescan({ root: r.root, failedOnly: r.failedOnly });
        return indexer.progress;
      },
      'indexing.failures': this.failures,
      'settings.get': async () => this.settings.get(),
      'settings.update': this.updateSettings,
      'model.info': async () => {
        await this.runtime?.embedder().catch(() => undefined);
        return this.modelInfo();
      },
      'model.fetchBackbone': async () => {
        const runtime = this.active();
        const missing = runtime.backboneIds.map((id) => loadBackboneSpec(id)).filter((spec) => !backbonePresent(spec));
        for (const spec of missing) {
          try {
            await obtainBackbone(spec, { onProgress: (received, total) => this.events.emit('model.download', { file: spec.file, received, total }) });
          } catch (error) {
            throw new ApiError('unavailable', `Could not get ${spec.file} from ${sourceOf(spec)}: ${describe(error)}`);
          }
        }
        if (missing.length > 0) runtime.indexer.rescan();
        await runtime.embedder().catch(() => undefined);
        const info = await this.modelInfo();
        this.events.emit('model.changed', info);
        return info;
      },
      'app.info': async () => ({
        version: await this.appVersion(),
        libraryDir: this.options.dataDir,
        logFile: this.options.logFile ?? null,
        platform: process.platform,
        capabilities: {
          tray: this.options.shell?.tray === true,
          startAtLogin: this.options.shell?.setStartAtLogin !== undefined,
          revealInFolder: this.options.shell?.revealInFolder !== undefined,
        },
      }),
      'app.reveal': async (r) => {
        const reveal = this.options.shell?.revealInFolder;
        if (!reveal) throw new ApiError('unavailable', 'Showing files in their folder needs the desktop app.');
        const path = r.photoId !== undefined ? (await this.active().library.photos.get(r.photoId))?.path : (await this.noteHead(r.noteId!))?.path;
        if (!path) throw new ApiError('not_found', `No ${r.photoId !== undefined ? 'photo' : 'note'} with that id in the library.`);
        reveal(path);
        return { revealed: true as const };
      },
      'fs.listDirectories': async (r) => listDirectories(r.path, { showHidden: r.showHidden }),
    };
  }

  private readonly updateSettings: Handler<'settings.update'> = async (request) => {
    const patch = request.model?.kind === 'manifest' ? { ...request, model: { ...request.model, path: expandHome(request.model.path) } } : request;
    const before = this.settings.get();
    if (patch.startAtLogin !== undefined && patch.startAtLogin !== before.startAtLogin) {
      const apply = this.options.shell?.setStartAtLogin;
      if (!apply) throw new ApiError('unavailable', 'Starting at login needs the desktop app.');
      await apply(patch.startAtLogin);
    }
    const after = await this.settings.update(patch);
    this.events.emit('settings.changed', after);
    if (JSON.stringify(after.model) !== JSON.stringify(before.model)) {
      await this.switchModel();
      this.events.emit('model.changed', await this.modelInfo());
      this.changed('photos');
      this.changed('notes');
    }
    return after;
  };

  private readonly failures: Handler<'indexing.failures'> = async (r) => {
    const { library } = this.active();
    const [photos, notes] = await Promise.all([library.photos.failures(0, r.offset + r.limit), library.notes.failures()]);
    const all = [
      ...photos.rows.map((row) => ({ path: row.path, kind: 'photos' as RootKind, reason: row.error ?? 'unreadable', at: row.indexed_at })),
      ...notes.map((row) => ({ path: row.path, kind: 'notes' as RootKind, reason: row.error ?? 'unreadable', at: row.indexed_at })),
    ].sort((a, b) => b.at - a.at);
    return {
      items: all.slice(r.offset, r.offset + r.limit).map(({ at, ...rest }) => ({ ...rest, failedAt: isoTime(at) })),
      total: photos.total + notes.length,
    };
  };

  private async modelInfo(): Promise<ModelInfo> {
    const choice = this.settings.get().model;
    const runtime = this.runtime;
    if (!runtime) {
      return { status: 'error', message: this.runtimeError, choice, modelId: null, dim: null, provider: null, backbone: null, staleVectors: 0 };
    }
    const state = runtime.embedderStatus;
    const stale = await runtime.library.photos.count("status = 'stale'");
    return {
      status: state.status,
      message: state.status === 'error' ? state.message : null,
      choice,
      modelId: runtime.library.model.id,
      dim: runtime.library.model.dim,
      provider: state.status === 'ready' ? state.embedder.provider : null,
      backbone: backboneInfo(runtime.backboneIds),
      staleVectors: stale,
      scores: scoresInfo(runtime.relevance),
    };
  }

  private async noteHead(noteId: string) {
    const heads = await this.active().library.notes.heads([noteId]);
    const head = heads.get(noteId);
    return head && isShown(head.status) ? head : null;
  }

  private async requireNote(noteId: string) {
    const head = await this.noteHead(noteId);
    if (!head) throw new ApiError('not_found', `No note ${noteId} in the library.`);
    return head;
  }

  private async appVersion(): Promise<string> {
    this.version ??= (JSON.parse(await readFile(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;
    return this.version;
  }
}

function scoresInfo(relevance: Relevance): NonNullable<ModelInfo['scores']> {
  const calibration = relevance.calibration;
  return { calibrated: calibration !== undefined, cutoff: relevance.source, likely: calibration ? scoreOf(calibration.suggestThreshold, calibration) : null };
}

function photoPage(results: PhotoResults): PhotoPage {
  return {
    items: results.items.map((hit) => ({
      photo: photoSummary(hit.photo),
      score: hit.score,
      ...(hit.good === undefined ? {} : { good: hit.good }),
      ...(hit.recognised ? { recognised: hit.recognised } : {}),
    })),
    nextOffset: rankedNext(results.nextOffset),
    ...(results.reading ? { reading: results.reading } : {}),
  };
}

function noteHitDto(hit: NoteHit): NoteHitDto {
  return { note: noteSummary(hit.note), score: hit.score, snippet: hit.snippet, highlights: hit.highlights, passage: hit.passage, linked: hit.linked, likely: hit.likely };
}

function notePage(results: NoteResults): NotePage {
  return { items: results.items.map(noteHitDto), nextOffset: rankedNext(results.nextOffset) };
}

/** A ranked list ends where it can no longer be paged into (`MAX_RANKED_OFFSET`). */
function rankedNext(next: number | null): number | null {
  return next !== null && next <= MAX_RANKED_OFFSET ? next : null;
}

/** The search layer's "no such photo/note" becomes the contract's `not_found`; a query it cannot answer, `bad_request`. */
async function found<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof NotFoundError) throw new ApiError('not_found', error.message);
    if (error instanceof QueryError) throw new ApiError('bad_request', error.message);
    throw error;
  }
}

/** Items the user sees: indexed, or indexed with an older model and waiting to be re-embedded; not failed or missing ones. */
/** Where `notes.create` writes: the root itself, or `folder` when it is an existing folder inside the root. */
async function noteFolder(root: string, folder: string | undefined): Promise<string> {
  if (folder === undefined || resolve(folder) === resolve(root)) return root;
  const inside = relative(root, resolve(folder));
  if (!inside || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) throw new ApiError('bad_request', `That folder is not inside the notes folder ${root}.`);
  if (!(await isFolder(resolve(folder)))) throw new ApiError('not_found', `The folder ${inside} is no longer in ${root}.`);
  return resolve(folder);
}

function isShown(status: ItemStatus): boolean {
  return status === 'ok' || status === 'stale';
}

/** Searchable items indexed under a root. */
function countUnder(runtime: Runtime, kind: RootKind, root: string): Promise<number> {
  const where = `root = ${sqlString(root)} AND status = 'ok'`;
  return kind === 'photos' ? runtime.library.photos.count(where) : runtime.library.notes.countNotes(where);
}

/** The first backbone the model lacks, or its first one when none is missing. */
function backboneInfo(ids: readonly string[]): { id: string; present: boolean } | null {
  const all = ids.map((id) => ({ id, present: backbonePresent(loadBackboneSpec(id)) }));
  return all.find((b) => !b.present) ?? all[0] ?? null;
}

function backbonePresent(spec: BackboneSpec): boolean {
  try {
    findBackbone(spec);
    return true;
  } catch (error) {
    if (error instanceof BackboneMissingError) return false;
    throw error;
  }
}

function describe(error: unknown): string {
  if (error instanceof Error && error.cause instanceof Error) return `${error.message} (${error.cause.message})`;
  return error instanceof Error ? error.message : String(error);
}

function localDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
