import { readFile, stat } from 'node:fs/promises';
import { MAX_NOTE_BYTES } from '../../shared/limits.ts';
import type { Embedder, TokenBudget } from '../model/embedder-types.ts';
import { chunkId } from '../library/note-store.ts';
import type { NoteChunkRow } from '../library/schema.ts';
import { CHUNKER_VERSION, chunkNote, DEFAULT_CHUNK_LIMITS, type ChunkedNote } from './chunk-note.ts';
import { contentHashOf } from './content-hash.ts';
import { isMarkdown } from './formats.ts';
import { failedNoteRow } from './failure-rows.ts';
import { decodeNote } from './note-encoding.ts';
import type { NoteOutcome, NoteTask } from './worker-protocol.ts';

interface ReadNote {
  task: NoteTask;
  size: number;
  mtimeMs: number;
  hash: string;
  chunked?: ChunkedNote;
  error?: string;
}

/**
 * Reads, chunks and embeds a batch of notes (all their passages in one text-tower call). Whatever goes wrong
 * with one note (an unreadable file, a parser error) is that note's failure, recorded with the reason.
 */
export async function processNotes(tasks: readonly NoteTask[], embedder: Embedder): Promise<NoteOutcome[]> {
  const read: (ReadNote | null)[] = [];
  for (const task of tasks) read.push(await readNote(task, embedder.tokenBudget).catch((error) => failedRead(task, `Could not read the note: ${message(error)}`)));
  const vectors = await embedNotes(read, embedder);
  const now = Date.now();
  return read.map((note, i): NoteOutcome => {
    if (!note) return { kind: 'gone', id: tasks[i]!.id, path: tasks[i]!.path };
    const noteVectors = vectors[i];
    if (!note.chunked || !noteVectors) return { kind: 'failed', noteId: note.task.id, rows: [failedNoteRow(note.task, note, note.error ?? 'unknown error')] };
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
      vector: noteVectors[index]!,
      status: 'ok',
      error: null,
      missing_since: null,
      indexed_at: now,
      chunker: CHUNKER_VERSION,
    }));
    return { kind: 'indexed', noteId: note.task.id, rows };
  });
}

/**
 * Every passage's vector, per note (undefined for a note without passages or whose embedding failed). One
 * call for the batch; if it fails, one call per note, so one note's failure stays its own.
 */
async function embedNotes(notes: (ReadNote | null)[], embedder: Embedder): Promise<(Float32Array[] | undefined)[]> {
  const texts = notes.map((note) => note?.chunked?.chunks.map((chunk) => chunk.embedText) ?? []);
  const all = texts.flat();
  const together = all.length > 0 ? await embedder.embedTexts(all).catch(() => null) : [];
  if (together) {
    let next = 0;
    return texts.map((ofNote) => together.slice(next, (next += ofNote.length)));
  }
  const vectors: (Float32Array[] | undefined)[] = [];
  for (const [i, ofNote] of texts.entries()) {
    vectors.push(
      ofNote.length === 0
        ? []
        : await embedder.embedTexts(ofNote).catch((error) => {
            notes[i]!.error = `Could not embed the note: ${message(error)}`;
            return undefined;
          }),
    );
  }
  return vectors;
}

async function readNote(task: NoteTask, budget: TokenBudget): Promise<ReadNote | null> {
  const info = await stat(task.path).catch(() => null);
  if (!info?.isFile()) return null;
  const base = { task, size: info.size, mtimeMs: Math.floor(info.mtimeMs), hash: '' };
  if (info.size > MAX_NOTE_BYTES) return { ...base, error: `The note is larger than ${MAX_NOTE_BYTES / 1024 / 1024} MiB` };
  let bytes: Buffer;
  try {
    bytes = await readFile(task.path);
  } catch (error) {
    return { ...base, error: `Cannot read the file: ${message(error)}` };
  }
  const hash = contentHashOf(bytes);
  const decoded = decodeNote(bytes);
  if ('error' in decoded) return { ...base, hash, error: decoded.error };
  try {
    return { ...base, hash, chunked: chunkNote(decoded.text, task.path, isMarkdown(task.path), DEFAULT_CHUNK_LIMITS, budget) };
  } catch (error) {
    return { ...base, hash, error: `Could not split the note into passages: ${message(error)}` };
  }
}

async function failedRead(task: NoteTask, error: string): Promise<ReadNote | null> {
  const info = await stat(task.path).catch(() => null);
  return info ? { task, size: info.size, mtimeMs: Math.floor(info.mtimeMs), hash: '', error } : null;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
