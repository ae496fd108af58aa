/** The data shapes that cross the API boundary (IPC, HTTP, WebSocket). Pure zod: no I/O, importable by the renderer. */
import { z } from 'zod';

/** Opaque identifier chosen by the library (never a path): the only way a client names a photo or note. */
export const Id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'can contain only letters, digits and _ . : -');

const isAbsolute = (p: string) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');

/** An absolute path on the user's machine, as typed or picked by the user (folders to add, models to load). */
export const AbsolutePath = z
  .string()
  .min(1)
  .max(4096)
  .refine(isAbsolute, 'must be a full path, like /home/ana/Pictures')
  .refine((p) => !p.includes('\0'), 'must not contain a NUL character');

/**
 * A path typed into a path box: absolute, or starting with `~` for the home folder of the user running the
 * service, which expands it (`~/Pictures`).
 */
export const UserPath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => isAbsolute(p) || p === '~' || p.startsWith('~/'), 'must be a full path, like /home/ana/Pictures or ~/Pictures')
  .refine((p) => !p.includes('\0'), 'must not contain a NUL character');

/** Calendar day `YYYY-MM-DD`, interpreted in the user's local time zone. */
export const IsoDate = z.iso.date();
/** Instant with offset, e.g. `2024-01-31T09:15:00.000Z`. */
export const IsoDateTime = z.iso.datetime({ offset: true });

export const Paging = {
  offset: z.number().int().min(0).max(1_000_000).default(0),
  limit: z.number().int().min(1).max(500).default(60),
};

/** The deepest a ranked result list (a search) can be read: each page costs the store offset + limit candidates. */
export const MAX_RANKED_OFFSET = 10_000;

/** Paging through ranked results: past the first 10,000 a ranking says nothing more, and only costs. */
export const RankedPaging = { ...Paging, offset: z.number().int().min(0).max(MAX_RANKED_OFFSET).default(0) };

export const PhotoFilters = z
  .object({
    /** Inclusive, on the photo's capture date (EXIF DateTimeOriginal, else file modification time). */
    dateFrom: IsoDate.optional(),
    dateTo: IsoDate.optional(),
    /** Only photos at or below this folder (one of the folders listed by `library.facets`). */
    folder: AbsolutePath.optional(),
    /** Camera label exactly as listed by `library.facets` (e.g. "Canon EOS 5D"). */
    camera: z.string().min(1).max(200).optional(),
  })
  .strict()
  .refine((f) => !f.dateFrom || !f.dateTo || f.dateFrom <= f.dateTo, { message: 'must not be after the end date', path: ['dateFrom'] });
export type PhotoFilters = z.infer<typeof PhotoFilters>;

export const PhotoSummary = z.object({
  id: Id,
  path: z.string(),
  fileName: z.string(),
  folder: z.string(),
  width: z.number().int().nonnegative(),
  height: z.number().int().nonnegative(),
  /** Capture time (EXIF) or, failing that, file modification time. */
  takenAt: IsoDateTime.nullable(),
  camera: z.string().nullable(),
});
export type PhotoSummary = z.infer<typeof PhotoSummary>;

export const PhotoMetadata = z.object({
  make: z.string().nullable(),
  model: z.string().nullable(),
  lens: z.string().nullable(),
  iso: z.number().nullable(),
  exposureTime: z.number().nullable(),
  fNumber: z.number().nullable(),
  focalLength: z.number().nullable(),
  gps: z.object({ latitude: z.number(), longitude: z.number() }).nullable(),
});
export type PhotoMetadata = z.infer<typeof PhotoMetadata>;

export const PhotoDetails = PhotoSummary.extend({
  sizeBytes: z.number().int().nonnegative(),
  modifiedAt: IsoDateTime,
  indexedAt: IsoDateTime,
  modelId: z.string(),
  metadata: PhotoMetadata,
});
export type PhotoDetails = z.infer<typeof PhotoDetails>;

/**
 * A photo in a ranked result; `score` is 0..1, higher is a better match (a match probability only where
 * `ModelInfo.scores.calibrated`). `good`: above the query's good-match cutoff (`search.text` only; absent where
 * the model cannot tell yet). Good hits come first.
 */
export const PhotoHit = z.object({
  photo: PhotoSummary,
  score: z.number(),
  good: z.boolean().optional(),
  /** Why it matched, where the model can tell: concepts of the query the photo shows ("golden retriever"). */
  recognised: z.array(z.string()).optional(),
});
export type PhotoHit = z.infer<typeof PhotoHit>;

/** Where good-match cutoffs come from: `measured` on labelled pairs, `estimated` from the library's photos, or `none` yet. */
export const CutoffSource = z.enum(['measured', 'estimated', 'none']);
export type CutoffSource = z.infer<typeof CutoffSource>;

/** How `search.text` read its query: the terms it ranked with (`beach + sunset − people`), the words the model does not know. */
export const QueryReading = z.object({
  terms: z.array(z.object({ sign: z.union([z.literal(1), z.literal(-1)]), text: z.string() })),
  unknownWords: z.array(z.string()),
  cutoff: CutoffSource,
  /** Photos that match a subtracted term on their own, ranked after all the others. */
  demoted: z.number().int().nonnegative(),
});
export type QueryReading = z.infer<typeof QueryReading>;

export const PhotoPage = z.object({
  items: z.array(PhotoHit),
  /** Offset to ask for the next page, or null when this was the last one. */
  nextOffset: z.number().int().nonnegative().nullable(),
  reading: QueryReading.optional(),
});
export type PhotoPage = z.infer<typeof PhotoPage>;

/**
 * Why one photo is where it is in a search's results: `good` as in `PhotoHit` (null where no cutoff is known yet),
 * the concepts of the query it shows, and whether a subtracted term (“− people”) ranked it down.
 */
export const MatchExplanation = z.object({
  good: z.boolean().nullable(),
  recognised: z.array(z.string()),
  demoted: z.boolean(),
});
export type MatchExplanation = z.infer<typeof MatchExplanation>;

/** Photos in browsing order (no ranking, so no score). */
export const PhotoList = z.object({
  items: z.array(PhotoSummary),
  total: z.number().int().nonnegative(),
  nextOffset: z.number().int().nonnegative().nullable(),
});
export type PhotoList = z.infer<typeof PhotoList>;

/** Half-open range [start, end) of UTF-16 code units, as JavaScript string indices. */
export const TextRange = z
  .object({ start: z.number().int().nonnegative(), end: z.number().int().nonnegative() })
  .refine((r) => r.end >= r.start, 'must not end before it starts');
export type TextRange = z.infer<typeof TextRange>;

export const NoteSummary = z.object({
  id: Id,
  path: z.string(),
  /** First heading or first line, else the file name without extension. */
  title: z.string(),
  folder: z.string(),
  modifiedAt: IsoDateTime,
  sizeBytes: z.number().int().nonnegative(),
});
export type NoteSummary = z.infer<typeof NoteSummary>;

/**
 * A note matched by a photo or by text. `snippet` is a short excerpt around the best passage;
 * `highlights` are ranges inside `snippet`; `passage` is the matched chunk's range inside the full note content.
 */
export const NoteHit = z.object({
  note: NoteSummary,
  score: z.number(),
  snippet: z.string(),
  highlights: z.array(TextRange),
  passage: TextRange,
  /** True when the user already linked this note to the photo in question (photo → notes only). */
  linked: z.boolean(),
  /** True when the photo and this passage stand out for each other (photo → notes only): "Likely match". */
  likely: z.boolean(),
});
export type NoteHit = z.infer<typeof NoteHit>;

export const NotePage = z.object({
  items: z.array(NoteHit),
  nextOffset: z.number().int().nonnegative().nullable(),
});
export type NotePage = z.infer<typeof NotePage>;

/**
 * How a note file stores its text; `notes.save` writes it back the same way (a byte order mark is kept).
 * `-bom` names start with a byte order mark; the others are UTF-8 without one, or a legacy encoding.
 */
export const NoteEncoding = z.enum([
  'utf-8',
  'utf-8-bom',
  'utf-16le-bom',
  'utf-16be-bom',
  'windows-1252',
  'iso-8859-1',
  'iso-8859-2',
  'iso-8859-5',
  'iso-8859-6',
  'iso-8859-7',
  'iso-8859-8',
  'iso-8859-9',
  'windows-1250',
  'windows-1251',
  'windows-1253',
  'windows-1254',
  'windows-1255',
  'windows-1256',
  'windows-1257',
  'windows-1258',
  'koi8-r',
  'shift_jis',
  'euc-jp',
  'euc-kr',
  'gb18030',
  'big5',
]);
export type NoteEncoding = z.infer<typeof NoteEncoding>;

export const NoteContent = z.object({
  note: NoteSummary,
  content: z.string(),
  encoding: NoteEncoding,
  /** Opaque token of the version read; `notes.save` refuses to overwrite a file changed since (conflict). */
  revision: z.string(),
});
export type NoteContent = z.infer<typeof NoteContent>;

/** A note that links to another with `[[wikilinks]]`: how many times, and the line of its first link. */
export const Backlink = z.object({
  note: NoteSummary,
  count: z.number().int().positive(),
  context: z.string(),
});
export type Backlink = z.infer<typeof Backlink>;

export const Link = z.object({
  photo: PhotoSummary,
  note: NoteSummary,
  createdAt: IsoDateTime,
});
export type Link = z.infer<typeof Link>;

export const LinkSuggestion = z.object({
  photo: PhotoSummary,
  note: NoteSummary,
  score: z.number(),
  snippet: z.string(),
  highlights: z.array(TextRange),
  passage: TextRange,
});
export type LinkSuggestion = z.infer<typeof LinkSuggestion>;

export const RootKind = z.enum(['photos', 'notes']);
export type RootKind = z.infer<typeof RootKind>;

export const Root = z.object({
  kind: RootKind,
  path: z.string(),
  addedAt: IsoDateTime,
  /** Photos or notes indexed under this root. */
  itemCount: z.number().int().nonnegative(),
  /** `missing`: the folder is gone or unreadable (e.g. an unplugged drive); its items are kept. */
  status: z.enum(['ok', 'missing']),
  /** Subfolders or files under it that could not be read or watched, with the reason (the first 50). */
  problems: z.array(z.object({ path: z.string(), reason: z.string() })).max(50),
});
export type Root = z.infer<typeof Root>;

export const Facets = z.object({
  folders: z.array(z.string()),
  cameras: z.array(z.string()),
  dateRange: z.object({ from: IsoDate, to: IsoDate }).nullable(),
  photoCount: z.number().int().nonnegative(),
  noteCount: z.number().int().nonnegative(),
});
export type Facets = z.infer<typeof Facets>;

export const IndexingPhase = z.enum(['idle', 'scanning', 'indexing', 'paused', 'cancelled', 'done', 'error']);
export type IndexingPhase = z.infer<typeof IndexingPhase>;

export const IndexingProgress = z.object({
  phase: IndexingPhase,
  /** Files processed in the current run (indexed, skipped as unchanged, or failed). */
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  /** Files per second over the recent window; 0 when unknown. */
  ratePerSecond: z.number().nonnegative(),
  etaSeconds: z.number().nonnegative().nullable(),
  currentFile: z.string().nullable(),
  /** Set when phase is `error`. */
  message: z.string().nullable(),
  /**
   * What the current (or last) run did: new files added, changed ones updated, vanished ones removed, and how
   * many were found unchanged. Absent where no run has happened.
   */
  changes: z
    .object({
      added: z.number().int().nonnegative(),
      updated: z.number().int().nonnegative(),
      removed: z.number().int().nonnegative(),
      unchanged: z.number().int().nonnegative(),
    })
    .optional(),
});
export type IndexingProgress = z.infer<typeof IndexingProgress>;

export const FailedFile = z.object({
  path: z.string(),
  kind: RootKind,
  reason: z.string(),
  failedAt: IsoDateTime,
});
export type FailedFile = z.infer<typeof FailedFile>;

export const ModelChoice = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('embedded') }).strict(),
  /** Another model described by a manifest (`model.json`), e.g. a standard CLIP ONNX export. */
  z.object({ kind: z.literal('manifest'), path: UserPath }).strict(),
]);
export type ModelChoice = z.infer<typeof ModelChoice>;

export const Theme = z.enum(['light', 'dark', 'system']);
export type Theme = z.infer<typeof Theme>;

export const Settings = z
  .object({
    model: ModelChoice.default({ kind: 'embedded' }),
    theme: Theme.default('system'),
    /** Closing the window keeps indexing running with a tray icon (desktop app only). */
    keepIndexingInTray: z.boolean().default(true),
    /** Launch at login (desktop app only); off unless the user asks. */
    startAtLogin: z.boolean().default(false),
  })
  .strict();
export type Settings = z.infer<typeof Settings>;

export const SettingsPatch = z
  .object({
    model: ModelChoice.optional(),
    theme: Theme.optional(),
    keepIndexingInTray: z.boolean().optional(),
    startAtLogin: z.boolean().optional(),
  })
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export const ProviderName = z.enum(['cuda', 'dml', 'coreml', 'cpu']);

export const ModelInfo = z.object({
  status: z.enum(['loading', 'ready', 'error']),
  /** Set when status is `error` (e.g. the backbone is missing: how to fetch it). */
  message: z.string().nullable(),
  choice: ModelChoice,
  modelId: z.string().nullable(),
  dim: z.number().int().positive().nullable(),
  provider: z
    .object({
      name: ProviderName,
      /**
       * Providers tried first and why each was not used, as a sentence ("No NVIDIA GPU found: using the CPU"), with
       * the runtime's own message as `detail`; empty when the first choice worked.
       */
      fallbacks: z.array(z.object({ name: ProviderName, reason: z.string(), detail: z.string().optional() })),
    })
    .nullable(),
  /**
   * The frozen image backbone the model needs (fetched once, never bundled): while it is missing, search works
   * (it needs only the text side) but new photos cannot be indexed. Null for models without one.
   */
  backbone: z.object({ id: z.string(), present: z.boolean() }).nullable(),
  /** Photos whose vectors came from another model and are being re-embedded in the background. */
  staleVectors: z.number().int().nonnegative(),
  /**
   * What scores mean: `calibrated` when they are match probabilities measured on labelled pairs (only then may a
   * screen say "likely match"); otherwise they only order results. `cutoff`: where good-match cutoffs come from.
   */
  scores: z
    .object({
      calibrated: z.boolean(),
      cutoff: CutoffSource,
      /** The score from which a match is likely (the model's threshold as a probability); null when not calibrated. */
      likely: z.number().nullable(),
    })
    .optional(),
});
export type ModelInfo = z.infer<typeof ModelInfo>;

export const AppInfo = z.object({
  version: z.string(),
  libraryDir: z.string(),
  /** The app's log file (desktop app and browser mode); null for the command line, which logs to the terminal. */
  logFile: z.string().nullable(),
  platform: z.string(),
  /** What the running shell supports; the browser mode has no tray and no login item. */
  capabilities: z.object({ tray: z.boolean(), startAtLogin: z.boolean(), revealInFolder: z.boolean() }),
});
export type AppInfo = z.infer<typeof AppInfo>;

/** The desktop app's service process: started again after a crash, or stopped for good after too many. */
export const ServiceStatus = z.object({ state: z.enum(['restarted', 'stopped']), message: z.string() });
export type ServiceStatus = z.infer<typeof ServiceStatus>;

/** One folder inside a listed folder (`fs.listDirectories`). */
export const DirectoryEntry = z.object({
  name: z.string(),
  path: z.string(),
  /** A dot folder (or marked hidden): listed only when asked. */
  hidden: z.boolean(),
  /** False when this user may not open it: shown, but it says so rather than failing when opened. */
  readable: z.boolean(),
});
export type DirectoryEntry = z.infer<typeof DirectoryEntry>;

/** A place to start browsing from: the home folder, Pictures, Documents, mounted drives, the top of the disk. */
export const Place = z.object({ name: z.string(), path: z.string(), kind: z.enum(['home', 'pictures', 'documents', 'desktop', 'downloads', 'drive', 'root']) });
export type Place = z.infer<typeof Place>;

export const DirectoryListing = z.object({
  /** The folder listed, as an absolute path (`~` expanded). */
  path: z.string(),
  parent: z.string().nullable(),
  /** From the top of the disk down to `path`, for breadcrumbs. */
  crumbs: z.array(z.object({ name: z.string(), path: z.string() })),
  /** Folders only, sorted by name; files are never listed. */
  entries: z.array(DirectoryEntry),
  /** Hidden folders left out (0 when they are shown). */
  hiddenCount: z.number().int().nonnegative(),
  /** More folders than a listing holds: the first ones by name are given. */
  truncated: z.boolean(),
  /** Why the folder could not be read (e.g. no permission), in words; null when it was. */
  problem: z.string().nullable(),
  /** The system's own message for `problem`. */
  problemDetail: z.string().nullable(),
  places: z.array(Place),
});
export type DirectoryListing = z.infer<typeof DirectoryListing>;
