/**
 * The one contract between the renderer and the app: every method and event, as zod schemas.
 * Transports (Electron IPC, HTTP + WebSocket) and the client are generic over these two maps.
 */
import { z } from 'zod';
import {
  AbsolutePath,
  AppInfo,
  Backlink,
  Facets,
  FailedFile,
  DirectoryListing,
  Id,
  IsoDate,
  IndexingProgress,
  Link,
  LinkSuggestion,
  ModelInfo,
  NoteContent,
  NotePage,
  NoteSummary,
  PhotoDetails,
  PhotoFilters,
  PhotoList,
  MatchExplanation,
  PhotoPage,
  PhotoSummary,
  Paging,
  RankedPaging,
  Root,
  RootKind,
  ServiceStatus,
  Settings,
  SettingsPatch,
  TextRange,
  UserPath,
} from './dto.ts';
import { MAX_NOTE_BYTES } from './limits.ts';

const Empty = z.object({}).strict();
const Filters = { filters: PhotoFilters.optional() };

/** One term of a combined query `a + b - c`: text or a photo, added (+1) or subtracted (-1). */
export const QueryTerm = z
  .object({
    sign: z.union([z.literal(1), z.literal(-1)]),
    text: z.string().trim().min(1).max(500).optional(),
    photoId: Id.optional(),
  })
  .strict()
  .refine((t) => (t.text === undefined) !== (t.photoId === undefined), 'must each be either text or a photo, not both');
export type QueryTerm = z.infer<typeof QueryTerm>;

/**
 * A note's text. Every encoding takes at least one byte per UTF-16 code unit, so this is a first check;
 * the service checks the encoded size against MAX_NOTE_BYTES.
 */
const NoteText = z.string().max(MAX_NOTE_BYTES, `at most ${MAX_NOTE_BYTES / 1024 / 1024} MiB`);

/** A name every file system we run on accepts, so that creating the file fails only for reasons on disk. */
const NoteFileName = z
  .string()
  .min(1)
  .refine((n) => !/[\u0000-\u001f\u007f]/.test(n), 'must not contain control characters (such as NUL or a line break)')
  .refine((n) => !/[/\\]/.test(n), 'must be a name alone, without folders')
  .refine((n) => !/[<>:"|?*]/.test(n), 'must not contain any of < > : " | ? * (Windows does not allow them)')
  .refine((n) => !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(n), 'must be valid Unicode')
  .refine((n) => /\.(md|txt)$/i.test(n), 'must end in .md or .txt')
  .refine((n) => !n.startsWith('.'), 'must not start with a dot (that would hide the file)')
  .refine((n) => !/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i.test(n), 'must not be a name Windows reserves (CON, NUL, COM1…)')
  .refine((n) => new TextEncoder().encode(n).length <= 255, 'can be at most 255 bytes long');

/** The most photos one bulk call takes; a client sends larger selections in batches. */
export const MAX_PHOTO_BATCH = 1000;
/** "More like these" averages at most this many photos. */
export const MAX_SIMILAR_TO_MANY = 500;
/** Thumbnails per `photos.thumbnails` request: a screenful or two of the grid (about 1 MB of JPEG). */
export const MAX_THUMBNAILS = 64;

const photoIdBatch = (max: number) =>
  z
    .array(Id)
    .min(1)
    .max(max)
    .refine((ids) => new Set(ids).size === ids.length, 'must name each photo once');

function method<Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) {
  return { request, response };
}

export const methods = {
  // Search
  'search.text': method(z.object({ query: z.string().trim().min(1).max(500), ...Filters, ...RankedPaging }).strict(), PhotoPage),
  'search.similar': method(z.object({ photoId: Id, ...Filters, ...RankedPaging }).strict(), PhotoPage),
  'search.combined': method(
    z
      .object({ terms: z.array(QueryTerm).min(1).max(8), ...Filters, ...RankedPaging })
      .strict()
      .refine((r) => r.terms.some((t) => t.sign === 1), 'a combined search needs at least one term that is added (+)'),
    PhotoPage,
  ),
  /** Photos like all of these together (the mean of their vectors), the given photos left out: "more like these". */
  'search.similarToMany': method(z.object({ photoIds: photoIdBatch(MAX_SIMILAR_TO_MANY), ...Filters, ...RankedPaging }).strict(), PhotoPage),
  /** Why a photo is a match for a `search.text` query, or not (the lightbox's info panel). */
  'search.explain': method(z.object({ query: z.string().trim().min(1).max(500), photoId: Id, ...Filters }).strict(), MatchExplanation),
  /** Text → notes (hybrid full-text + meaning). */
  'search.notes': method(z.object({ query: z.string().trim().min(1).max(500), ...RankedPaging }).strict(), NotePage),

  // Photos
  /** Browse all photos, newest first, with the same filters as search. */
  'photos.list': method(z.object({ ...Filters, ...Paging }).strict(), PhotoList),
  /** Photo counts per capture day, newest first and in `photos.list` order; undated photos last as `day: null`. */
  'photos.timeline': method(
    z.object({ ...Filters }).strict(),
    z.object({ days: z.array(z.object({ day: IsoDate.nullable(), count: z.number().int().positive() })) }),
  ),
  /** The library photo at this file path (the command line names photos by path). */
  'photos.byPath': method(z.object({ path: AbsolutePath }).strict(), PhotoSummary),
  'photos.get': method(z.object({ photoId: Id }).strict(), PhotoDetails),
  /**
   * Thumbnails for a photo grid, a screenful per request (one request per thumbnail cost more CPU than drawing
   * the grid): JPEG `data:` URLs in the order asked, null for a photo without one.
   */
  'photos.thumbnails': method(
    z.object({ photoIds: z.array(Id).min(1).max(MAX_THUMBNAILS) }).strict(),
    z.object({ thumbnails: z.array(z.string().startsWith('data:image/jpeg;base64,').nullable()) }),
  ),
  /**
   * Library photos by file name (`![[fjord.jpg]]` embeds in notes): case-insensitive, a name with folders
   * matches the end of the path; of several, the one nearest to `near` (the note's path). Names not found are absent.
   */
  'photos.byName': method(
    z.object({ names: z.array(z.string().min(1).max(1000)).min(1).max(100), near: AbsolutePath.optional() }).strict(),
    z.object({ items: z.array(z.object({ name: z.string(), photo: PhotoSummary })) }),
  ),
  /** Photo → suggested notes, best passage first; linked notes are flagged and ranked first. */
  'photos.notes': method(z.object({ photoId: Id, limit: z.number().int().min(1).max(50).default(10) }).strict(), NotePage),

  // Notes
  'notes.list': method(
    z.object({ folder: AbsolutePath.optional(), ...Paging }).strict(),
    z.object({ items: z.array(NoteSummary), total: z.number().int().nonnegative(), nextOffset: z.number().int().nonnegative().nullable() }),
  ),
  'notes.byPath': method(z.object({ path: AbsolutePath }).strict(), NoteSummary),
  'notes.get': method(z.object({ noteId: Id }).strict(), NoteContent),
  /**
   * Overwrites the note file in the encoding it was read in; refused with `conflict` when it changed on disk
   * since `revision` was read, and with `bad_request` when that encoding cannot hold the text or the file
   * would be larger than MAX_NOTE_BYTES.
   */
  'notes.save': method(z.object({ noteId: Id, content: NoteText, revision: z.string().min(1).max(200) }).strict(), NoteContent),
  /** Creates `fileName` (a .md or .txt name, no folders) in a notes root, or in `folder` (an existing folder inside it), in UTF-8. */
  'notes.create': method(
    z.object({ root: AbsolutePath, fileName: NoteFileName, content: NoteText.default(''), folder: AbsolutePath.optional() }).strict(),
    NoteContent,
  ),
  /** Note (or a selected passage of it) → photos. */
  'notes.photos': method(
    z
      .object({ noteId: Id, passage: TextRange.refine((r) => r.end > r.start, 'is empty: select some text').optional(), ...Filters, ...RankedPaging })
      .strict(),
    PhotoPage,
  ),

  /** The notes whose `[[wikilinks]]` lead to this note (resolved by file name, as Obsidian does), most links first, then by path. */
  'notes.backlinks': method(z.object({ noteId: Id }).strict(), z.object({ items: z.array(Backlink) })),

  // Links between photos and notes
  'links.list': method(
    z
      .object({ photoId: Id.optional(), noteId: Id.optional() })
      .strict()
      .refine((r) => r.photoId !== undefined || r.noteId !== undefined, 'give photoId, noteId or both'),
    z.object({ items: z.array(Link) }),
  ),
  'links.add': method(z.object({ photoId: Id, noteId: Id }).strict(), Link),
  'links.remove': method(z.object({ photoId: Id, noteId: Id }).strict(), z.object({ removed: z.boolean() })),
  /** Links many photos to one note in one write; photos no longer in the library are skipped and named. */
  'links.addMany': method(
    z.object({ noteId: Id, photoIds: photoIdBatch(MAX_PHOTO_BATCH) }).strict(),
    z.object({ added: z.number().int().nonnegative(), alreadyLinked: z.number().int().nonnegative(), notFound: z.array(Id) }),
  ),
  'links.removeMany': method(z.object({ noteId: Id, photoIds: photoIdBatch(MAX_PHOTO_BATCH) }).strict(), z.object({ removed: z.number().int().nonnegative() })),
  /** Library-wide photo–note pairs that match well and are not linked yet, best first. */
  'links.suggestions': method(
    z.object({ limit: z.number().int().min(1).max(100).default(20) }).strict(),
    z.object({ items: z.array(LinkSuggestion) }),
  ),

  // Folders (roots)
  'folders.list': method(Empty, z.object({ items: z.array(Root) })),
  /** Adds a folder to watch and index; refused when it does not exist, is not a folder, or overlaps a root. */
  'folders.add': method(z.object({ kind: RootKind, path: UserPath }).strict(), Root),
  /** Stops watching a folder and removes its items from the library (the files are untouched). */
  'folders.remove': method(z.object({ kind: RootKind, path: AbsolutePath }).strict(), z.object({ removed: z.boolean() })),
  'library.facets': method(Empty, Facets),

  // Indexing
  'indexing.status': method(Empty, IndexingProgress),
  'indexing.pause': method(Empty, IndexingProgress),
  'indexing.resume': method(Empty, IndexingProgress),
  'indexing.cancel': method(Empty, IndexingProgress),
  /** Rescans everything, one root, or only the files that failed last time. */
  'indexing.reindex': method(
    z.object({ root: AbsolutePath.optional(), failedOnly: z.boolean().default(false) }).strict(),
    IndexingProgress,
  ),
  'indexing.failures': method(
    z.object({ ...Paging }).strict(),
    z.object({ items: z.array(FailedFile), total: z.number().int().nonnegative() }),
  ),

  // Settings, model, app
  'settings.get': method(Empty, Settings),
  'settings.update': method(SettingsPatch, Settings),
  'model.info': method(Empty, ModelInfo),
  /** Downloads and verifies the current model's image backbone when it is missing (progress: `model.download`), then loads the model. */
  'model.fetchBackbone': method(Empty, ModelInfo),
  'app.info': method(Empty, AppInfo),
  /** Shows the file in the system file manager; `unavailable` where the shell cannot (browser mode). */
  'app.reveal': method(
    z
      .object({ photoId: Id.optional(), noteId: Id.optional() })
      .strict()
      .refine((r) => (r.photoId === undefined) !== (r.noteId === undefined), 'give exactly one of photoId, noteId'),
    z.object({ revealed: z.literal(true) }),
  ),

  // The server's file system
  /**
   * The folders inside a folder (default: the home folder; `~` expands), for browser mode's folder browser.
   * Folders only; one this user may not read comes back with `problem` saying so.
   */
  'fs.listDirectories': method(
    z.object({ path: UserPath.optional(), showHidden: z.boolean().default(false) }).strict(),
    DirectoryListing,
  ),
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
/** What a caller passes (defaults may be omitted). */
export type RequestOf<M extends MethodName> = z.input<Methods[M]['request']>;
/** What a handler receives (defaults filled in, validated). */
export type ParsedRequestOf<M extends MethodName> = z.output<Methods[M]['request']>;
export type ResponseOf<M extends MethodName> = z.output<Methods[M]['response']>;

export const events = {
  'indexing.progress': IndexingProgress,
  /** Something in the library changed: refresh views that show this kind. */
  'library.changed': z.object({ kind: z.enum(['photos', 'notes', 'links', 'folders']) }),
  'settings.changed': Settings,
  'model.changed': ModelInfo,
  'model.download': z.object({ file: z.string(), received: z.number().int().nonnegative(), total: z.number().int().nonnegative() }),
  /**
   * Desktop app only, from the shell rather than the service: the service process died and was started again
   * (calls in flight were answered `unavailable`), or it kept dying and was left stopped.
   */
  'service.status': ServiceStatus,
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventOf<E extends EventName> = z.output<Events[E]>;

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(methods, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}

export { transport, type MediaKind } from './channels.ts';
