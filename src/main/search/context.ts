import type { Library } from '../library/library.ts';
import type { NoteChunkRow, PhotoRow } from '../library/schema.ts';
import type { TextEmbedder } from '../model/embedder-types.ts';
import { calibrationFor, type Calibration } from './calibration.ts';
import { Relevance, type CutoffSource } from './relevance.ts';

/** What every search needs: the library, the text tower of the library's model, its calibration and good-match cutoffs. */
export interface SearchContext {
  library: Library;
  embedder: Pick<TextEmbedder, 'embedTexts' | 'modelId' | 'tokenBudget' | 'unknownWords' | 'conceptNames'>;
  calibration: Calibration | undefined;
  relevance: Relevance;
}

/** `relevance` is kept by the caller across queries (it holds a sample of the library); a new one otherwise. */
export function searchContext(library: Library, embedder: SearchContext['embedder'], relevance?: Relevance): SearchContext {
  if (embedder.modelId !== library.model.id) {
    throw new Error(`The query model ${embedder.modelId} is not the library's model ${library.model.id}.`);
  }
  const calibration = calibrationFor(embedder.modelId);
  return { library, embedder, calibration, relevance: relevance ?? new Relevance(library.photos, library.notes, calibration) };
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
  /** Above the query's good-match cutoff (text queries only; absent where no cutoff is known). */
  good?: boolean;
  /** Concepts the query asked for that the photo shows (good matches of text queries, models with a concept channel). */
  recognised?: string[];
}

export interface PhotoResults {
  items: PhotoHit[];
  /** Offset of the next page, or null after the last one. */
  nextOffset: number | null;
  /** How a text query was read (text queries only). */
  reading?: QueryReading;
}

/** How a text query was read: its terms, the words the model does not know, where its cutoff came from. */
export interface QueryReading {
  terms: { sign: 1 | -1; text: string }[];
  unknownWords: string[];
  cutoff: CutoffSource;
  /** Photos moved after all others for matching a subtracted term. */
  demoted: number;
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
  /** The photo and this passage stand out for each other (photo → notes only; Relevance.likelyMatches). */
  likely: boolean;
}

export interface NoteResults {
  items: NoteHit[];
  nextOffset: number | null;
}
