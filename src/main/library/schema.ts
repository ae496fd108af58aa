/**
 * The on-disk shape of the library: one LanceDB table per kind of record. Column names are snake_case
 * because LanceDB's SQL filters fold unquoted identifiers to lower case.
 */
import { arrow } from './arrow.ts';

/** Bump when a table's columns change, and add a step to `migrations.ts`. */
export const SCHEMA_VERSION = 2;

export const TABLES = { photos: 'photos', notes: 'notes', links: 'links', roots: 'roots', meta: 'meta' } as const;

/**
 * `ok`: embedded with the library's current model; `error`: could not be read (see `error`); `stale`: the
 * vector came from another model and waits to be re-embedded; `missing`: the file is gone (links are kept
 * until a purge, and the row comes back if a file with the same content hash reappears).
 */
export type ItemStatus = 'ok' | 'error' | 'stale' | 'missing';
export type RootKind = 'photos' | 'notes';
export type LinkOrigin = 'user' | 'suggestion';

const { Schema, Field, Utf8, Float32, Float64, Int32, FixedSizeList, List, Bool } = arrow;

/** Nullable: a photo that failed to decode, or whose model changed dimension, has no vector. */
export function vectorField(dim: number) {
  return new Field('vector', new FixedSizeList(dim, new Field('item', new Float32(), true)), true);
}

export function photosSchema(dim: number) {
  return new Schema([
    new Field('id', new Utf8(), false),
    new Field('path', new Utf8(), false),
    new Field('root', new Utf8(), false),
    new Field('size', new Float64(), false),
    new Field('mtime_ms', new Float64(), false),
    new Field('hash', new Utf8(), false),
    new Field('width', new Int32(), true),
    new Field('height', new Int32(), true),
    new Field('taken_at', new Float64(), true),
    new Field('taken_at_exif', new Bool(), false),
    new Field('camera_make', new Utf8(), true),
    new Field('camera_model', new Utf8(), true),
    new Field('camera', new Utf8(), true),
    new Field('lens', new Utf8(), true),
    new Field('iso', new Float64(), true),
    new Field('exposure_time', new Float64(), true),
    new Field('f_number', new Float64(), true),
    new Field('focal_length', new Float64(), true),
    new Field('gps_lat', new Float64(), true),
    new Field('gps_lon', new Float64(), true),
    new Field('thumb', new Utf8(), true),
    new Field('model_id', new Utf8(), true),
    vectorField(dim),
    new Field('status', new Utf8(), false),
    new Field('error', new Utf8(), true),
    new Field('missing_since', new Float64(), true),
    new Field('indexed_at', new Float64(), false),
  ]);
}

export function notesSchema(dim: number) {
  return new Schema([
    new Field('id', new Utf8(), false),
    new Field('note_id', new Utf8(), false),
    new Field('path', new Utf8(), false),
    new Field('root', new Utf8(), false),
    new Field('title', new Utf8(), false),
    new Field('text', new Utf8(), false),
    new Field('chunk_index', new Int32(), false),
    new Field('chunk_count', new Int32(), false),
    new Field('heading_path', new List(new Field('item', new Utf8(), true)), false),
    new Field('char_start', new Int32(), false),
    new Field('char_end', new Int32(), false),
    new Field('size', new Float64(), false),
    new Field('mtime_ms', new Float64(), false),
    new Field('hash', new Utf8(), false),
    new Field('model_id', new Utf8(), true),
    vectorField(dim),
    new Field('status', new Utf8(), false),
    new Field('error', new Utf8(), true),
    new Field('missing_since', new Float64(), true),
    new Field('indexed_at', new Float64(), false),
    chunkerField(),
  ]);
}

/** Which version of the chunker cut a note's passages (null: before versions were recorded, or a failed note). */
export function chunkerField() {
  return new Field('chunker', new Int32(), true);
}

export function linksSchema() {
  return new Schema([
    new Field('id', new Utf8(), false),
    new Field('photo_id', new Utf8(), false),
    new Field('note_id', new Utf8(), false),
    new Field('origin', new Utf8(), false),
    new Field('created_at', new Float64(), false),
  ]);
}

export function rootsSchema() {
  return new Schema([
    new Field('path', new Utf8(), false),
    new Field('kind', new Utf8(), false),
    new Field('added_at', new Float64(), false),
  ]);
}

export function metaSchema() {
  return new Schema([new Field('key', new Utf8(), false), new Field('value', new Utf8(), false)]);
}

/** A photos row as stored (vector omitted unless selected). */
export interface PhotoRow {
  id: string;
  path: string;
  root: string;
  size: number;
  mtime_ms: number;
  hash: string;
  width: number | null;
  height: number | null;
  taken_at: number | null;
  taken_at_exif: boolean;
  camera_make: string | null;
  camera_model: string | null;
  camera: string | null;
  lens: string | null;
  iso: number | null;
  exposure_time: number | null;
  f_number: number | null;
  focal_length: number | null;
  gps_lat: number | null;
  gps_lon: number | null;
  thumb: string | null;
  model_id: string | null;
  vector: Float32Array | null;
  status: ItemStatus;
  error: string | null;
  missing_since: number | null;
  indexed_at: number;
}

/** The camera and place fields of a photo whose file carries no EXIF (or has not been read yet). */
export const NO_CAMERA_METADATA = {
  camera_make: null,
  camera_model: null,
  camera: null,
  lens: null,
  iso: null,
  exposure_time: null,
  f_number: null,
  focal_length: null,
  gps_lat: null,
  gps_lon: null,
} as const satisfies Partial<PhotoRow>;

/** One chunk of a note as stored. */
export interface NoteChunkRow {
  id: string;
  note_id: string;
  path: string;
  root: string;
  title: string;
  text: string;
  chunk_index: number;
  chunk_count: number;
  heading_path: string[];
  char_start: number;
  char_end: number;
  size: number;
  mtime_ms: number;
  hash: string;
  model_id: string | null;
  vector: Float32Array | null;
  status: ItemStatus;
  error: string | null;
  missing_since: number | null;
  indexed_at: number;
  /** `CHUNKER_VERSION` of the chunker that cut the passages; a note cut by another is read again. */
  chunker: number | null;
}

export interface LinkRow {
  id: string;
  photo_id: string;
  note_id: string;
  origin: LinkOrigin;
  created_at: number;
}

export interface RootRow {
  path: string;
  kind: RootKind;
  added_at: number;
}
