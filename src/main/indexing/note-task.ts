import { readFile, stat } from 'node:fs/promises';
import type { Embedder } from '../model/embedder-types.ts';
import { chunkId } from '../library/note-store.ts';
import type { NoteChunkRow } from '../library/schema.ts';
import { chunkNote, type ChunkedNote } from './chunk-note.ts';
import { contentHashOf } from './content-hash.ts';
import { isMarkdown } from './formats.ts';
import type { NoteOutcome, NoteTask } from './worker-protocol.ts';

/** Notes larger than this are refused rather than split into thousands of passages. */
export const MAX_NOTE_BYTES = 5 * 1024 * 1024;

interface ReadNote {
  task: NoteTask;
  size: number;
  mtimeMs: number;
  hash: string;
  chunked?: ChunkedNote;
  error?: string;
}

/** Reads, chunks and embeds a batch of notes (all their passages in one text-tower call). */
export async function processNotes(tasks: readonly NoteTask[], embedder: Embedder): Promise<NoteOutcome[]> {
  const read = await Promise.all(tasks.map(readNote));
  const texts = read.flatMap((note) => (note && note.chunked ? note.chunked.chunks.map((chunk) => chunk.text) : []));
  const vectors = texts.length > 0 ? await embedder.embedTexts(texts) : [];
  const now = Date.now();
  let next = 0;
  return read.map((note, i): NoteOutcome => {
    if (!note) return { kind: 'gone', id: tasks[i]!.id, path: tasks[i]!.path };
    if (!note.chunked) return { kind: 'failed', noteId: note.task.id, rows: [failedRow(note, now)] };
    const { title, chunks } = note.chunked;
    const rows = chunks.map((chunk, index): NoteChunkRow => ({
      id: chunkId(note.task.id, index),
      note_id: note.task.id,
      path: note.task.path,
      root: note.task.root,
      title,
      text: chunk.text,
      chunk_index: index,
      chunk_count: chunks.length,
      heading_path: chunk.headingPath,
      char_start: chunk.start,
      char_end: chunk.end,
      size: note.size,
      mtime_ms: note.mtimeMs,
      hash: note.hash,
      model_id: embedder.modelId,
      vector: vectors[next++]!,
      status: 'ok',
      error: null,
      missing_since: null,
      indexed_at: now,
    }));
    return { kind: 'indexed', noteId: note.task.id, rows };
  });
}

async function readNote(task: NoteTask): Promise<ReadNote | null> {
  const info = await stat(task.path).catch(() => null);
  if (!info?.isFile()) return null;
  const base = { task, size: info.size, mtimeMs: Math.floor(info.mtimeMs), hash: '' };
  if (info.size > MAX_NOTE_BYTES) return { ...base, error: `The note is larger than ${MAX_NOTE_BYTES / 1024 / 1024} MiB` };
  let bytes: Buffer;
  try {
    bytes = await readFile(task.path);
  } catch (error) {
    return { ...base, error: `Cannot read the file: ${error instanceof Error ? error.message : String(error)}` };
  }
  const hash = contentHashOf(bytes);
  if (bytes.includes(0)) return { ...base, hash, error: 'Not a text file (it contains binary data)' };
  const content = new TextDecoder('utf-8').decode(bytes);
  return { ...base, hash, chunked: chunkNote(content, task.path, isMarkdown(task.path)) };
}

function failedRow(note: ReadNote, now: number): NoteChunkRow {
  return {
    id: chunkId(note.task.id, 0),
    note_id: note.task.id,
    path: note.task.path,
    root: note.task.root,
    title: note.task.path,
    text: '',
    chunk_index: 0,
    chunk_count: 1,
    heading_path: [],
    char_start: 0,
    char_end: 0,
    size: note.size,
    mtime_ms: note.mtimeMs,
    hash: note.hash,
    model_id: null,
    vector: null,
    status: 'error',
    error: note.error ?? 'unknown error',
    missing_since: null,
    indexed_at: now,
  };
}
