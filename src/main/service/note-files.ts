/**
 * Reading and writing note files. A revision names the version read (modification time + size), so a save
 * never overwrites an edit made elsewhere since: the caller gets `conflict` and can reload.
 */
import { open, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ApiError } from '../../shared/errors.ts';

export interface NoteFile {
  content: string;
  revision: string;
  mtimeMs: number;
  size: number;
}

function revisionOf(info: { mtimeMs: number; size: number }): string {
  return `${Math.round(info.mtimeMs)}-${info.size}`;
}

export async function readNote(path: string): Promise<NoteFile> {
  try {
    const [content, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    return { content, revision: revisionOf(info), mtimeMs: info.mtimeMs, size: info.size };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ApiError('not_found', `${path} is no longer on disk.`);
    throw error;
  }
}

/** Replaces the file through a temporary file and a rename, so a crash leaves the old or the new note, never half. */
export async function saveNote(path: string, content: string, revision: string): Promise<NoteFile> {
  const info = await stat(path).catch(() => null);
  if (!info) throw new ApiError('not_found', `${path} is no longer on disk.`);
  if (revisionOf(info) !== revision) {
    throw new ApiError('conflict', `${basename(path)} was changed by another program since it was opened. Reload it before saving.`);
  }
  const temporary = join(dirname(path), `.${basename(path)}.subspace-tmp`);
  await writeFile(temporary, content, { mode: info.mode });
  await rename(temporary, path);
  return readNote(path);
}

/** Creates a new note; refuses to replace an existing file. */
export async function createNote(path: string, content: string): Promise<NoteFile> {
  let handle;
  try {
    handle = await open(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new ApiError('conflict', `${basename(path)} already exists in that folder.`);
    throw error;
  }
  try {
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
  return readNote(path);
}
