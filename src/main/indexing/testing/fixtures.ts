import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { chunkId } from '../../library/note-store.ts';
import { NO_CAMERA_METADATA, type NoteChunkRow, type PhotoRow } from '../../library/schema.ts';

/** A fresh folder under the system temp dir, and a function that deletes it. */
export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `subspace-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface PhotoOptions {
  width?: number;
  height?: number;
  format?: 'jpeg' | 'png' | 'webp' | 'gif' | 'tiff' | 'avif';
  make?: string;
  model?: string;
  /** EXIF DateTimeOriginal, `YYYY:MM:DD HH:MM:SS`. */
  takenAt?: string;
  /** EXIF orientation (6: the camera was turned a quarter clockwise). */
  orientation?: number;
}

/** Writes a photo of one flat colour (give photos of one colour different sizes to make their files differ). */
export async function writePhoto(path: string, colour: string, options: PhotoOptions = {}): Promise<string> {
  mkdirSync(dirname(path), { recursive: true });
  const width = options.width ?? 64;
  const height = options.height ?? 48;
  let image = sharp({ create: { width, height, channels: 3, background: colour } });
  if (options.make || options.model || options.takenAt) {
    image = image.withExif({
      IFD0: { ...(options.make ? { Make: options.make } : {}), ...(options.model ? { Model: options.model } : {}) },
      ...(options.takenAt ? { IFD2: { DateTimeOriginal: options.takenAt } } : {}),
    });
  }
  if (options.orientation) image = image.withMetadata({ orientation: options.orientation });
  await image.toFormat(options.format ?? 'jpeg').toFile(path);
  return path;
}

/** A unit vector along the given direction (for store tests that bring their own vectors). */
export function unit(...values: number[]): Float32Array {
  const norm = Math.hypot(...values);
  return Float32Array.from(values, (v) => v / norm);
}

/** A complete photos row with defaults, for store tests. */
export function photoRow(fields: Partial<PhotoRow> & Pick<PhotoRow, 'id' | 'path' | 'root'>): PhotoRow {
  return {
    size: 1000,
    mtime_ms: 1_700_000_000_000,
    hash: `hash-${fields.id}`,
    width: 64,
    height: 48,
    taken_at: 1_700_000_000_000,
    taken_at_exif: false,
    ...NO_CAMERA_METADATA,
    thumb: null,
    model_id: 'test-model',
    vector: null,
    status: 'ok',
    error: null,
    missing_since: null,
    indexed_at: 1_700_000_000_000,
    ...fields,
  };
}

/** A complete note-chunk row with defaults (a passage of a two-passage note), for store tests. */
export function noteChunk(noteId: string, index: number, text: string, vector: Float32Array | null, extra: Partial<NoteChunkRow> = {}): NoteChunkRow {
  return {
    id: chunkId(noteId, index),
    note_id: noteId,
    path: `/notes/${noteId}.md`,
    root: '/notes',
    title: `Title ${noteId}`,
    text,
    chunk_index: index,
    chunk_count: 2,
    heading_path: ['Trip', `Part ${index}`],
    char_start: index * 100,
    char_end: index * 100 + text.length,
    size: 200,
    mtime_ms: 1_700_000_000_000,
    hash: `h-${noteId}`,
    model_id: 'test-model',
    vector,
    status: 'ok',
    error: null,
    missing_since: null,
    indexed_at: 1_700_000_000_000,
    chunker: 2,
    ...extra,
  };
}
