import { randomUUID } from 'node:crypto';
import type { Library } from '../library/library.ts';
import type { RootKind } from '../library/schema.ts';
import { sqlIn, sqlUnder } from '../library/sql.ts';
import { sep } from 'node:path';
import { CHUNKER_VERSION } from './chunk-note.ts';
import { contentHashOfFile } from './content-hash.ts';
import { diffScan, type StoredItem, type WorkItem } from './diff.ts';
import { failedNoteRow, photoRowFor } from './failure-rows.ts';
import { isFolder } from './root-presence.ts';
import { isWithin, rootOf } from './roots.ts';
import { statEntry, walkRoot, type FileEntry } from './walk.ts';
import type { ChangeSet } from './watcher.ts';

/** A file waiting for the worker. `thumb`: a photo's existing thumbnail to keep (re-embedding only). */
export interface QueuedItem extends WorkItem {
  kind: RootKind;
  thumb: string | null;
}

export interface ScanOutcome {
  queued: QueuedItem[];
  relocated: number;
  vanished: number;
  unchanged: number;
  unreadable: { path: string; reason: string }[];
}

const OFFLINE = 'The folder is offline (unplugged, unmounted or deleted); its items are kept until it returns or is removed.';

interface KindAdapter {
  stored(where?: string): Promise<(StoredItem & { thumb: string | null })[]>;
  relocate(id: string, entry: FileEntry, stale: boolean): Promise<void>;
  markMissing(ids: string[], at: number): Promise<void>;
  /** Records files as failed, with the reason, without reading them. */
  recordFailures(failures: { item: WorkItem; entry: FileEntry }[], reason: string): Promise<void>;
}

/** Why a file whose name is not UTF-8 is not indexed. */
export const MISNAMED_REASON =
  'The file name (or a folder name in its path) is not valid UTF-8 text, so it cannot be indexed; the path shows each invalid byte as \\xNN. Rename it to index it.';

function adapter(library: Library, kind: RootKind): KindAdapter {
  const location = (entry: FileEntry) => ({ path: entry.path, root: entry.root, size: entry.size, mtime_ms: entry.mtimeMs });
  const facts = (entry: FileEntry) => ({ size: entry.size, mtimeMs: entry.mtimeMs, hash: '' });
  if (kind === 'photos') {
    return {
      stored: (where) => library.photos.scanState(where),
      relocate: (id, entry, stale) => library.photos.relocate(id, location(entry), stale ? 'stale' : 'ok'),
      markMissing: (ids, at) => library.photos.markMissing(ids, at),
      recordFailures: (failures, reason) =>
        library.photos.write(
          failures.map(({ item, entry }) => photoRowFor({ ...item, thumb: null }, facts(entry), reason)),
          new Set(failures.filter(({ item }) => item.reason === 'new').map(({ item }) => item.id)),
        ),
    };
  }
  return {
    // A note cut into passages by another chunker version is re-read like one embedded by another model, and
    // stays searchable (status ok) until its new passages replace the old.
    stored: async (where) =>
      (await library.notes.scanState(where)).map((note) => ({
        ...note,
        id: note.note_id,
        model_id: note.chunker === CHUNKER_VERSION ? note.model_id : null,
        thumb: null,
      })),
    relocate: (id, entry, stale) => library.notes.relocate(id, location(entry), stale ? 'stale' : 'ok'),
    markMissing: (ids, at) => library.notes.markMissing(ids, at),
    recordFailures: (failures, reason) =>
      library.notes.replace(failures.map(({ item, entry }) => ({ noteId: item.id, chunks: [failedNoteRow(item, facts(entry), reason)] }))),
  };
}

/**
 * Walks roots of one kind, diffs them with the store, and records at once what needs no model: moves and
 * returns (relocated, keeping ids and links) and deletions (marked missing). Returns the files to embed.
 * The queue is derived from disk and store each time, so work lost to a crash is found again at the next scan.
 */
export async function scanRoots(library: Library, kind: RootKind, options: { only?: string; retryFailed?: boolean } = {}): Promise<ScanOutcome> {
  const roots = (await library.roots.list(kind)).filter((root) => !options.only || root.path === options.only);
  const entries: FileEntry[] = [];
  const misnamed: FileEntry[] = [];
  const unreadable: ScanOutcome['unreadable'] = [];
  for (const root of roots) {
    const walked = await walkRoot(root.path, kind);
    entries.push(...walked.files);
    misnamed.push(...walked.misnamed);
    unreadable.push(...walked.unreadable);
  }
  const inScope = (path: string) =>
    roots.some((root) => isWithin(path, root.path)) && !unreadable.some((folder) => isWithin(path, folder.path));
  return apply(library, kind, entries, misnamed, inScope, unreadable, options.retryFailed ?? false, undefined);
}

/**
 * Handles a watcher's change set as a scan limited to the changed paths. Changes under a root that is itself
 * gone (an unplugged disk) are not deletions: the root is offline and its items are kept until it returns.
 */
export async function scanChanges(library: Library, kind: RootKind, changes: ChangeSet): Promise<ScanOutcome> {
  const roots = await library.roots.list(kind);
  const offline: ScanOutcome['unreadable'] = [];
  for (const root of roots) if (!(await isFolder(root.path))) offline.push({ path: root.path, reason: OFFLINE });
  const entries: FileEntry[] = [];
  for (const path of changes.files) {
    const root = rootOf(path, roots);
    const entry = root ? await statEntry(path, root.path, kind) : null;
    if (entry) entries.push(entry);
  }
  const files = [...changes.files];
  const folders = [...changes.removedFolders];
  const where = [sqlIn('path', files), "status = 'missing'", ...folders.map((folder) => sqlUnder('path', folder, sep))].join(' OR ');
  const inScope = (path: string) =>
    !offline.some((root) => isWithin(path, root.path)) && (changes.files.has(path) || folders.some((folder) => isWithin(path, folder)));
  return apply(library, kind, entries, [], inScope, offline, false, where);
}

async function apply(
  library: Library,
  kind: RootKind,
  entries: FileEntry[],
  misnamed: FileEntry[],
  inScope: (path: string) => boolean,
  unreadable: ScanOutcome['unreadable'],
  retryFailed: boolean,
  where: string | undefined,
): Promise<ScanOutcome> {
  const store = adapter(library, kind);
  const stored = await store.stored(where);
  const thumbs = new Map(stored.map((item) => [item.id, item.thumb]));
  const plan = await diffScan({
    entries: [...entries, ...misnamed],
    stored,
    inScope,
    modelId: library.model.id,
    hashOf: contentHashOfFile,
    newId: randomUUID,
    retryFailed,
  });
  // Files with names that are not UTF-8 cannot be read by path: recorded as failed in place of any work.
  const misnamedByPath = new Map(misnamed.map((entry) => [entry.path, entry]));
  const returning = plan.relocations.map((move): WorkItem => ({ id: move.id, path: move.entry.path, root: move.entry.root, reason: 'changed' }));
  const failures = [...plan.toIndex, ...returning].flatMap((item) => {
    const entry = misnamedByPath.get(item.path);
    return entry ? [{ item, entry }] : [];
  });
  if (failures.length > 0) await store.recordFailures(failures, MISNAMED_REASON);
  const queued: QueuedItem[] = plan.toIndex
    .filter((item) => !misnamedByPath.has(item.path))
    .map((item) => ({ ...item, kind, thumb: item.reason === 'stale' ? (thumbs.get(item.id) ?? null) : null }));
  const relocations = plan.relocations.filter((move) => !misnamedByPath.has(move.entry.path));
  for (const move of relocations) {
    await store.relocate(move.id, move.entry, move.stale);
    if (move.stale) queued.push({ id: move.id, path: move.entry.path, root: move.entry.root, reason: 'stale', kind, thumb: thumbs.get(move.id) ?? null });
  }
  if (plan.vanished.length > 0) await store.markMissing(plan.vanished, Date.now());
  return { queued, relocated: relocations.length, vanished: plan.vanished.length, unchanged: plan.unchanged, unreadable };
}
