import type { Library } from '../library/library.ts';
import type { NoteChunkRow, PhotoRow } from '../library/schema.ts';
import type { TextEmbedder } from '../model/embedder-types.ts';
import { calibrationFor, type Calibration } from './calibration.ts';

/** What every search needs: the library, the text tower of the library's model, and its calibration. */
export interface SearchContext {
  library: Library;
  embedder: Pick<TextEmbedder, 'embedTexts' | 'modelId' | 'tokenBudget'>;
  calibration: Calibration | undefined;
}

export function searchContext(library: Library, embedder: SearchContext['embedder']): SearchContext {
  if (embedder.modelId !== library.model.id) {
    throw new Error(`The query model ${embedder.modelId} is not the library's model ${library.model.id}.`);
  }
  return { library, embedder, calibration: calibrationFor(embedder.modelId) };
}

export interface Paging {
  offset?: number;
  limit: number;
}

/** A photo in a ranked list: `similarity` is the cosine, `score` its calibrated 0…1 form. */
export interface PhotoHit {
  photo: PhotoRow;
  similarity: number;
  score: number;
}

export interface PhotoResults {
  items: PhotoHit[];
  /** Offset of the next page, or null after the last one. */
  nextOffset: number | null;
}

/** Half-open range [start, end) in UTF-16 code units. */
export interface TextRange {
  start: number;
  end: number;
}

/** A note in a ranked list, represented by its best-matching passage. */
export interface NoteHit {
  /** The note's first chunk: note id, path, title, size, mtime. */
  note: NoteChunkRow;
  score: number;
  /** The best passage's plain text; for photo → notes, with the end and start of the passages around it. */
  snippet: string;
  /** Query words found in the snippet; for photo → notes (no query), the passage within the snippet. */
  highlights: TextRange[];
  /** The best passage's range in the note file. */
  passage: TextRange;
  headingPath: string[];
  /** The user linked this note to the photo asked about (photo → notes only). */
  linked: boolean;
}

export interface NoteResults {
  items: NoteHit[];
  nextOffset: number | null;
}
