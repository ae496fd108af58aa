import { opendir, realpath, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { RootKind } from '../library/schema.ts';
import { acceptsFile, skipsFile, skipsFolder } from './formats.ts';

export interface FileEntry {
  path: string;
  root: string;
  size: number;
  mtimeMs: number;
}

export interface WalkResult {
  files: FileEntry[];
  /** Folders that could not be read (permissions, vanished mid-walk); their files are not counted as deleted. */
  unreadable: { path: string; reason: string }[];
}

/**
 * Lists the photo or note files under a root. Symbolic links are followed, but each real folder is visited
 * once, which ends symlink loops; hidden and system folders are skipped.
 */
export async function walkRoot(root: string, kind: RootKind): Promise<WalkResult> {
  const files: FileEntry[] = [];
  const unreadable: WalkResult['unreadable'] = [];
  const visited = new Set<string>();
  const pending = [root];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    let real: string;
    try {
      real = await realpath(dir);
    } catch (error) {
      unreadable.push({ path: dir, reason: reason(error) });
      continue;
    }
    if (visited.has(real)) continue;
    visited.add(real);
    try {
      for await (const entry of await opendir(dir)) {
        const path = join(dir, entry.name);
        if (entry.isSymbolicLink()) {
          const target = await stat(path).catch(() => null);
          if (target?.isDirectory()) {
            if (!skipsFolder(entry.name)) pending.push(path);
            continue;
          }
          if (!target?.isFile()) continue;
        } else if (entry.isDirectory()) {
          if (!skipsFolder(entry.name)) pending.push(path);
          continue;
        } else if (!entry.isFile()) {
          continue;
        }
        if (skipsFile(entry.name) || !acceptsFile(kind, entry.name)) continue;
        const info = await stat(path).catch(() => null);
        if (info?.isFile()) files.push({ path, root, size: info.size, mtimeMs: Math.floor(info.mtimeMs) });
      }
    } catch (error) {
      unreadable.push({ path: dir, reason: reason(error) });
    }
  }
  return { files, unreadable };
}

/** One file's entry, or null when it is gone, not a file, or not of this kind. */
export async function statEntry(path: string, root: string, kind: RootKind): Promise<FileEntry | null> {
  if (skipsFile(basename(path)) || !acceptsFile(kind, path)) return null;
  const info = await stat(path).catch(() => null);
  return info?.isFile() ? { path, root, size: info.size, mtimeMs: Math.floor(info.mtimeMs) } : null;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
