/** Messages between the indexer (main thread) and its worker thread. Both sides are our code in one process. */
import type { EmbedderOptions } from '../model/embedder.ts';
import type { NoteChunkRow, PhotoRow } from '../library/schema.ts';
import type { ProviderInfo } from '../model/embedder-types.ts';

export interface WorkerInit {
  libraryDir: string;
  embedder: EmbedderOptions;
}

export interface PhotoTask {
  id: string;
  path: string;
  root: string;
  /** The photo's existing thumbnail (relative to the library), kept as is; null to make one. */
  thumb: string | null;
}

export interface NoteTask {
  id: string;
  path: string;
  root: string;
}

/** `gone`: the file disappeared between the scan and its turn. */
export type PhotoOutcome = { kind: 'indexed' | 'failed'; row: PhotoRow } | { kind: 'gone'; id: string; path: string };
export type NoteOutcome = { kind: 'indexed' | 'failed'; noteId: string; rows: NoteChunkRow[] } | { kind: 'gone'; id: string; path: string };

export type ToWorker = { type: 'photos'; batch: number; tasks: PhotoTask[] } | { type: 'notes'; batch: number; tasks: NoteTask[] };

export type FromWorker =
  | { type: 'ready'; modelId: string; dim: number; provider: ProviderInfo }
  | { type: 'photos'; batch: number; outcomes: PhotoOutcome[] }
  | { type: 'notes'; batch: number; outcomes: NoteOutcome[] }
  | { type: 'batch-error'; batch: number; message: string }
  | { type: 'fatal'; message: string };
