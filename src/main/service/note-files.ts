/**
 * Reading and writing note files. A revision names the version read (modification time + size), so a save
 * never overwrites an edit made elsewhere since: the caller gets `conflict` and can reload. A note is written
 * back in the encoding it was read in (byte order mark included), so saving it unchanged gives back the same
 * bytes; text that encoding cannot hold is refused, never replaced.
 */
import { open, rename, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { NoteEncoding } from '../../shared/dto.ts';
import { ApiError } from '../../shared/errors.ts';
import { MAX_NOTE_BYTES } from '../../shared/limits.ts';
import { decodeNote, encodeNote, label, UnrepresentableTextError } from '../indexing/note-encoding.ts';

export interface NoteFile {
  content: string;
  encoding: NoteEncoding;
  revision: string;
  mtimeMs: number;
  size: number;
}

function revisionOf(info: { mtimeMs: number; size: number }): string {
  return `${Math.round(info.mtimeMs)}-${info.size}`;
}

export async function readNote(path: string): Promise<NoteFile> {
  const { bytes, info } = await readBytes(path);
  const decoded = decodeNote(bytes);
  if ('error' in decoded) throw new ApiError('unavailable', `${basename(path)} cannot be opened as a note: ${decoded.error}.`);
  return { content: decoded.text, encoding: decoded.encoding, revision: revisionOf(info), mtimeMs: info.mtimeMs, size: info.size };
}

/** The file's bytes and the facts of that same version (one open file, so they cannot disagree). */
async function readBytes(path: string) {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ApiError('not_found', `${basename(path)} is no longer on disk.`);
    throw error;
  }
  try {
    const info = await handle.stat();
    if (info.size > MAX_NOTE_BYTES) throw new ApiError('unavailable', `${basename(path)} is larger than ${mib(MAX_NOTE_BYTES)}, the limit for notes.`);
    return { bytes: await handle.readFile(), info };
  } finally {
    await handle.close();
  }
}

/** Replaces the file through a temporary file and a rename, so a crash leaves the old or the new note, never half. */
export async function saveNote(path: string, content: string, revision: string): Promise<NoteFile> {
  const info = await stat(path).catch(() => null);
  if (!info) throw new ApiError('not_found', `${basename(path)} is no longer on disk.`);
  if (revisionOf(info) !== revision) {
    throw new ApiError('conflict', `${basename(path)} was changed by another program since it was opened. Reload it before saving.`);
  }
  const { encoding } = await readNote(path);
  const bytes = encoded(content, encoding);
  const temporary = join(dirname(path), `.${basename(path)}.subspace-tmp`);
  await writeFile(temporary, bytes, { mode: info.mode });
  await rename(temporary, path);
  return readNote(path);
}

/** Creates a new UTF-8 note; refuses to replace an existing file. */
export async function createNote(path: string, content: string): Promise<NoteFile> {
  const bytes = encoded(content, 'utf-8');
  const name = basename(path);
  let handle;
  try {
    handle = await open(path, 'wx');
  } catch (error) {
    throw createError(name, error);
  }
  try {
    await handle.writeFile(bytes);
  } finally {
    await handle.close();
  }
  return readNote(path);
}

/** The note's bytes, or `bad_request` when the encoding cannot hold the text or the file would be too large. */
function encoded(content: string, encoding: NoteEncoding): Buffer {
  let bytes: Buffer;
  try {
    bytes = encodeNote(content, encoding);
  } catch (error) {
    if (error instanceof UnrepresentableTextError) throw new ApiError('bad_request', `${error.message} Remove it to save the note.`);
    throw error;
  }
  if (bytes.length > MAX_NOTE_BYTES) {
    throw new ApiError(
      'bad_request',
      `The note would take ${count(bytes.length)} bytes as ${label(encoding)}, over the ${mib(MAX_NOTE_BYTES)} (${count(MAX_NOTE_BYTES)} bytes) limit for notes. Split it into several notes.`,
    );
  }
  return bytes;
}

/** What went wrong creating a file, in words that name the file but not the folders above it. */
function createError(name: string, error: unknown): ApiError {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'EEXIST':
      return new ApiError('conflict', `${name} already exists in that folder.`);
    case 'ENOENT':
      return new ApiError('not_found', 'That notes folder is no longer on disk.');
    case 'ENAMETOOLONG':
      return new ApiError('bad_request', `${name} is too long a name for this file system.`);
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new ApiError('unavailable', `${name} cannot be created: the notes folder is not writable.`);
    case 'EINVAL':
    case 'EILSEQ':
    case 'ERR_INVALID_ARG_VALUE':
      return new ApiError('bad_request', `${name} is not a file name this file system accepts.`);
    default:
      return new ApiError('internal', `${name} could not be created (${(error as NodeJS.ErrnoException).code ?? 'unknown error'}).`);
  }
}

function mib(bytes: number): string {
  return `${bytes / 1024 / 1024} MiB`;
}

function count(bytes: number): string {
  return bytes.toLocaleString('en-US');
}
