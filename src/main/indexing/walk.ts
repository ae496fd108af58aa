import { isUtf8 } from 'node:buffer';
import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, join, sep } from 'node:path';
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
  /**
   * Files whose name, or a folder's name above them, is not valid UTF-8 (written on Linux by an old system
   * or a tool in another locale). Paths are text throughout the app, so these cannot be indexed; their
   * `path` shows each invalid byte as `\xNN`, and the scan records them as failed.
   */
  misnamed: FileEntry[];
  /** Folders that could not be read (permissions, vanished mid-walk); their files are not counted as deleted. */
  unreadable: { path: string; reason: string }[];
}

/** A folder to visit: `fsPath` is what the file system takes (bytes where the name is not UTF-8), `path` the text. */
interface Folder {
  fsPath: string | Buffer;
  path: string;
  misnamed: boolean;
}

/**
 * Lists the photo or note files under a root. Symbolic links are followed, but each real folder is visited
 * once, which ends symlink loops; hidden and system folders are skipped.
 */
export async function walkRoot(root: string, kind: RootKind): Promise<WalkResult> {
  const result: WalkResult = { files: [], misnamed: [], unreadable: [] };
  const visited = new Set<string>();
  const pending: Folder[] = [{ fsPath: root, path: root, misnamed: false }];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    let real: Buffer;
    try {
      real = await realpath(dir.fsPath, { encoding: 'buffer' });
    } catch (error) {
      result.unreadable.push({ path: dir.path, reason: reason(error) });
      continue;
    }
    if (visited.has(real.toString('latin1'))) continue;
    visited.add(real.toString('latin1'));
    try {
      for (const entry of await readdir(dir.fsPath, { withFileTypes: true, encoding: 'buffer' })) {
        const valid = isUtf8(entry.name);
        const name = valid ? entry.name.toString('utf8') : showBytes(entry.name);
        const child: Folder = {
          fsPath: dir.misnamed || !valid ? Buffer.concat([Buffer.from(dir.fsPath), Buffer.from(sep), entry.name]) : join(dir.path, name),
          path: join(dir.path, name),
          misnamed: dir.misnamed || !valid,
        };
        if (entry.isSymbolicLink()) {
          const target = await stat(child.fsPath).catch(() => null);
          if (target?.isDirectory()) {
            if (!skipsFolder(name)) pending.push(child);
            continue;
          }
          if (!target?.isFile()) continue;
        } else if (entry.isDirectory()) {
          if (!skipsFolder(name)) pending.push(child);
          continue;
        } else if (!entry.isFile()) {
          continue;
        }
        if (skipsFile(name) || !acceptsFile(kind, name)) continue;
        const info = await stat(child.fsPath).catch(() => null);
        if (info?.isFile()) (child.misnamed ? result.misnamed : result.files).push({ path: child.path, root, size: info.size, mtimeMs: Math.floor(info.mtimeMs) });
      }
    } catch (error) {
      result.unreadable.push({ path: dir.path, reason: reason(error) });
    }
  }
  return result;
}

/** A name that is not valid UTF-8, with its valid parts as text and each invalid byte as `\xNN`. */
function showBytes(name: Buffer): string {
  let shown = '';
  let i = 0;
  while (i < name.length) {
    const lead = name[i]!;
    const length = lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    const sequence = name.subarray(i, i + length);
    if (sequence.length === length && isUtf8(sequence)) {
      shown += sequence.toString('utf8');
      i += length;
    } else {
      shown += `\\x${lead.toString(16).toUpperCase().padStart(2, '0')}`;
      i++;
    }
  }
  return shown;
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
