/**
 * Rows for files that could not be indexed. Both the worker (a file it could not read) and the indexer (a
 * file that stopped the worker) record them, so a failure is listed with its reason and is not retried at
 * every scan (only when asked: `rescan({ failedOnly })`, or when the file changes).
 */
import { chunkId } from '../library/note-store.ts';
import { NO_CAMERA_METADATA, type NoteChunkRow, type PhotoRow } from '../library/schema.ts';
import type { NoteTask, PhotoTask } from './worker-protocol.ts';

/** What is known of a file without reading it as a photo or note. `hash` is empty when it was not read. */
export interface FileFacts {
  size: number;
  mtimeMs: number;
  hash: string;
}

/** A photo row with no metadata yet, in status `error`: the base of every photo row, and a failure as is. */
export function photoRowFor(task: PhotoTask, file: FileFacts, error: string | null): PhotoRow {
  return {
    id: task.id,
    path: task.path,
    root: task.root,
    size: file.size,
    mtime_ms: file.mtimeMs,
    hash: file.hash,
    width: null,
    height: null,
    taken_at: file.mtimeMs,
    taken_at_exif: false,
    ...NO_CAMERA_METADATA,
    thumb: task.thumb,
    model_id: null,
    vector: null,
    status: 'error',
    error,
    missing_since: null,
    indexed_at: Date.now(),
  };
}

/** The single row recording a note that could not be indexed. */
export function failedNoteRow(task: NoteTask, file: FileFacts, error: string): NoteChunkRow {
  return {
    id: chunkId(task.id, 0),
    note_id: task.id,
    path: task.path,
    root: task.root,
    title: task.path,
    text: '',
    chunk_index: 0,
    chunk_count: 1,
    heading_path: [],
    char_start: 0,
    char_end: 0,
    size: file.size,
    mtime_ms: file.mtimeMs,
    hash: file.hash,
    model_id: null,
    vector: null,
    status: 'error',
    error,
    missing_since: null,
    indexed_at: Date.now(),
    chunker: null,
  };
}
