import { chunkId, type NoteChunkMatch } from '../library/note-store.ts';
import type { NoteChunkRow } from '../library/schema.ts';
import { scoreOf } from './calibration.ts';
import type { NoteHit, NoteResults, Paging, SearchContext } from './context.ts';
import { NotFoundError } from './errors.ts';
import { hybridScore } from './hybrid-score.ts';
import { passageInContext } from './passage-context.ts';
import { highlight } from './snippet.ts';
import { dot } from '../model/vectors.ts';

/** Candidates taken from each of the vector and keyword searches before fusing them. */
const CANDIDATES = 100;

/**
 * Text → notes, hybrid: the passages nearest in meaning and the passages with the query's words (BM25 on the
 * full-text index) are pooled, each gets a mix of both scores (hybrid-score.ts), and each note is
 * represented by its best passage. Words alone miss "pup" for "dog"; meaning alone can rank a note that
 * names the exact thing ("snowman") below a vaguely similar one. `score` is the hybrid score (0…1).
 */
export async function searchNotes(ctx: SearchContext, query: string, options: Paging): Promise<NoteResults> {
  const [vector] = await ctx.embedder.embedTexts([query]);
  const [byMeaning, byWords] = await Promise.all([
    ctx.library.notes.searchVector(vector!, CANDIDATES),
    ctx.library.notes.searchText(query, CANDIDATES),
  ]);
  const similarity = new Map(byMeaning.map((m) => [m.chunk.id, m.similarity!]));
  const keywordOnly = byWords.filter((m) => !similarity.has(m.chunk.id)).map((m) => m.chunk.id);
  for (const [id, chunkVector] of await ctx.library.notes.vectorsOf(keywordOnly)) similarity.set(id, dot(vector!, chunkVector));
  const bm25 = new Map(byWords.map((m) => [m.chunk.id, m.keywordScore!]));
  const chunks = new Map<string, NoteChunkRow>();
  for (const match of [...byMeaning, ...byWords]) chunks.set(match.chunk.id, match.chunk);

  const best = new Map<string, { chunk: NoteChunkRow; score: number }>();
  for (const [id, chunk] of chunks) {
    const score = hybridScore(similarity.get(id) ?? 0, bm25.get(id) ?? 0);
    const known = best.get(chunk.note_id);
    if (!known || known.score < score) best.set(chunk.note_id, { chunk, score });
  }
  const ranked = [...best.values()].sort((a, b) => b.score - a.score);
  const offset = options.offset ?? 0;
  const slice = ranked.slice(offset, offset + options.limit);
  const heads = await ctx.library.notes.heads(slice.map((entry) => entry.chunk.note_id));
  return {
    items: slice.map(({ chunk, score }) => toHit(heads.get(chunk.note_id) ?? chunk, chunk, score, query, false)),
    nextOffset: ranked.length > offset + options.limit ? offset + options.limit : null,
  };
}

/**
 * Photo → notes: notes ranked by their passage nearest to the photo (a second good passage adds nothing: on
 * bench/passages.ts a bonus for it never moved the right note up), each shown by that passage. Notes the user
 * linked to the photo come first and are flagged, whatever their score.
 */
export async function notesForPhoto(ctx: SearchContext, photoId: string, options: { limit: number; query?: string }): Promise<NoteResults> {
  const vector = await ctx.library.photos.vector(photoId);
  if (!vector) throw new NotFoundError('photo', photoId, 'is not in the library or not indexed yet');
  const linkedIds = (await ctx.library.links.list({ photoId })).map((link) => link.note_id);
  const linked = await Promise.all(linkedIds.map((noteId) => bestPassage(ctx, noteId, vector)));
  const suggested = await nearestNotes(ctx, vector, options.limit, linkedIds);
  const heads = await ctx.library.notes.heads([...linkedIds, ...suggested.map((m) => m.chunk.note_id)]);
  const linkedFound = linked.filter((match) => match !== undefined);
  const shown = [...linkedFound, ...suggested].slice(0, Math.max(options.limit, linkedFound.length));
  const neighbours = await ctx.library.notes.chunksById(
    shown.flatMap(({ chunk }) => [chunkId(chunk.note_id, chunk.chunk_index - 1), chunkId(chunk.note_id, chunk.chunk_index + 1)]),
  );
  const passageVectors = await ctx.library.notes.vectorsOf(shown.map(({ chunk }) => chunk.id));
  const withVectors = shown.flatMap(({ chunk, similarity }) => {
    const passage = passageVectors.get(chunk.id);
    return passage ? [{ id: chunk.id, similarity: similarity!, passage }] : [];
  });
  const likelyIds = new Set(
    (await ctx.relevance.likelyMatches(vector, withVectors, (texts) => ctx.embedder.embedTexts(texts))).flatMap((likely, i) => (likely ? [withVectors[i]!.id] : [])),
  );
  const items = shown.map(({ chunk, similarity }, i): NoteHit => {
    const context = passageInContext(
      chunk,
      neighbours.get(chunkId(chunk.note_id, chunk.chunk_index - 1)),
      neighbours.get(chunkId(chunk.note_id, chunk.chunk_index + 1)),
    );
    return {
      ...toHit(heads.get(chunk.note_id) ?? chunk, chunk, scoreOf(similarity!, ctx.calibration), '', i < linkedFound.length),
      likely: likelyIds.has(chunk.id),
      snippet: context.text,
      highlights: options.query ? highlight(context.text, options.query) : [context.passage],
    };
  });
  return { items, nextOffset: null };
}

/** The passage of one note nearest to a vector (linked notes that are missing or unindexed yield none). */
export async function bestPassage(ctx: SearchContext, noteId: string, vector: Float32Array): Promise<NoteChunkMatch | undefined> {
  let best: NoteChunkMatch | undefined;
  for (const { chunk, vector: chunkVector } of await ctx.library.notes.chunkVectors(noteId)) {
    const similarity = dot(vector, chunkVector);
    if (!best || similarity > best.similarity!) best = { chunk, similarity };
  }
  return best;
}

/** Passages fetched per note wanted; doubled until that many notes are found, since one note may hold many near passages. */
const PASSAGES_PER_NOTE = 8;
const MAX_PASSAGES = 4096;

/** The best passage of each of the `limit` notes nearest to a vector. */
async function nearestNotes(ctx: SearchContext, vector: Float32Array, limit: number, exclude: readonly string[]): Promise<NoteChunkMatch[]> {
  for (let passages = limit * PASSAGES_PER_NOTE; ; passages *= 2) {
    const matches = await ctx.library.notes.searchVector(vector, passages, exclude);
    const notes = bestPerNote(matches);
    if (notes.length >= limit || matches.length < passages || passages >= MAX_PASSAGES) return notes.slice(0, limit);
  }
}

function bestPerNote(matches: readonly NoteChunkMatch[]): NoteChunkMatch[] {
  const seen = new Set<string>();
  return matches.filter((match) => !seen.has(match.chunk.note_id) && seen.add(match.chunk.note_id));
}

function toHit(head: NoteChunkRow, chunk: NoteChunkRow, score: number, query: string, linked: boolean): NoteHit {
  return {
    note: head,
    score,
    snippet: chunk.text,
    highlights: query ? highlight(chunk.text, query) : [],
    passage: { start: chunk.char_start, end: chunk.char_end },
    headingPath: chunk.heading_path,
    linked,
    likely: false,
  };
}
