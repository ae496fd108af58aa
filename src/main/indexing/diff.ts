import type { ItemStatus } from '../library/schema.ts';
import type { FileEntry } from './walk.ts';

/** What the store knows about one photo or note, as far as diffing is concerned. */
export interface StoredItem {
  id: string;
  path: string;
  size: number;
  mtime_ms: number;
  hash: string;
  status: ItemStatus;
  model_id: string | null;
}

export type IndexReason = 'new' | 'changed' | 'stale';

/** A file to (re-)embed; `id` is the stored id for a changed or stale file, a fresh one for a new file. */
export interface WorkItem {
  id: string;
  path: string;
  root: string;
  reason: IndexReason;
}

export interface DiffPlan {
  toIndex: WorkItem[];
  /** Stored rows found at another path (moved, renamed, or back after going missing): keep id and links. */
  relocations: { id: string; entry: FileEntry; stale: boolean }[];
  /** Stored rows whose file is gone: marked missing, links kept. */
  vanished: string[];
  unchanged: number;
}

export interface DiffInput {
  /** Files found on disk in the scanned scope. */
  entries: readonly FileEntry[];
  /** Rows for those paths, rows that used to live in the scope, and missing rows (candidates for a return). */
  stored: readonly StoredItem[];
  /** Whether a stored row's path lies in what was scanned (rows outside it are neither unchanged nor vanished). */
  inScope: (path: string) => boolean;
  modelId: string;
  /** Content hash of a file on disk; only asked for new files whose size matches a moved or missing row. */
  hashOf: (path: string) => Promise<string>;
  newId: () => string;
  /** Also re-embed files that failed before (an explicit retry). */
  retryFailed?: boolean;
}

/**
 * Compares a scan with the store. Unchanged size and mtime means unchanged (as rclip does); a file at an
 * unknown path is first matched by size and content hash against rows that vanished or went missing, so a
 * move or rename keeps its id, vector and links instead of being indexed again.
 */
export async function diffScan(input: DiffInput): Promise<DiffPlan> {
  const byPath = new Map(input.stored.map((item) => [item.path, item]));
  const seen = new Set<string>();
  const plan: DiffPlan = { toIndex: [], relocations: [], vanished: [], unchanged: 0 };
  const unknown: FileEntry[] = [];

  for (const entry of input.entries) {
    const item = byPath.get(entry.path);
    if (!item) {
      unknown.push(entry);
      continue;
    }
    seen.add(item.id);
    const same = item.size === entry.size && item.mtime_ms === entry.mtimeMs;
    const current = item.model_id === input.modelId;
    if (item.status === 'missing') {
      if (same) plan.relocations.push({ id: item.id, entry, stale: !current });
      else plan.toIndex.push({ id: item.id, path: entry.path, root: entry.root, reason: 'changed' });
    } else if (!same) {
      plan.toIndex.push({ id: item.id, path: entry.path, root: entry.root, reason: 'changed' });
    } else if (item.status === 'error') {
      if (input.retryFailed) plan.toIndex.push({ id: item.id, path: entry.path, root: entry.root, reason: 'changed' });
      else plan.unchanged++;
    } else if (item.status === 'stale' || !current) {
      plan.toIndex.push({ id: item.id, path: entry.path, root: entry.root, reason: 'stale' });
    } else {
      plan.unchanged++;
    }
  }

  const candidates = input.stored.filter(
    (item) => !seen.has(item.id) && (item.status === 'missing' || input.inScope(item.path)) && item.status !== 'error',
  );
  const candidateSizes = new Set(candidates.map((item) => item.size));
  const claimed = new Set<string>();
  for (const entry of unknown) {
    const match = candidateSizes.has(entry.size) ? await findMove(entry, candidates, claimed, input.hashOf) : undefined;
    if (match) {
      claimed.add(match.id);
      const stale = match.model_id !== input.modelId || match.status === 'stale';
      plan.relocations.push({ id: match.id, entry, stale });
    } else {
      plan.toIndex.push({ id: input.newId(), path: entry.path, root: entry.root, reason: 'new' });
    }
  }

  for (const item of input.stored) {
    if (seen.has(item.id) || claimed.has(item.id) || item.status === 'missing') continue;
    if (input.inScope(item.path)) plan.vanished.push(item.id);
  }
  return plan;
}

async function findMove(
  entry: FileEntry,
  candidates: readonly StoredItem[],
  claimed: ReadonlySet<string>,
  hashOf: (path: string) => Promise<string>,
): Promise<StoredItem | undefined> {
  const sameSize = candidates.filter((item) => item.size === entry.size && !claimed.has(item.id));
  if (sameSize.length === 0) return undefined;
  const hash = await hashOf(entry.path).catch(() => null);
  if (hash === null) return undefined;
  return sameSize.find((item) => item.hash === hash);
}
