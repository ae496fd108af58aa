import { readFile } from 'node:fs/promises';
import { chunkNote, DEFAULT_CHUNK_LIMITS } from '../indexing/chunk-note.ts';
import { isMarkdown } from '../indexing/formats.ts';
import { decodeNote } from '../indexing/note-encoding.ts';
import type { PhotoFilter } from '../library/photo-store.ts';
import { parseQueryTerms } from '../../shared/query-terms.ts';
import { onlyStopWords } from '../../shared/stop-words.ts';
import { dot } from '../model/vectors.ts';
import { combineVectors, type QueryTerm } from './combined-query.ts';
import { scoreOf } from './calibration.ts';
import { recognisedConcepts } from './why.ts';
import type { Paging, PhotoHit, PhotoResults, QueryReading, SearchContext, TextRange } from './context.ts';
import { NotFoundError, QueryError } from './errors.ts';

export interface PhotoQueryOptions extends Paging {
  filter?: PhotoFilter;
  /** Aborts when nobody waits for the answer any more; the search stops at its next step. */
  signal?: AbortSignal;
}

/** Text → photos: "kids playing in the snow", as one text. */
export async function searchPhotosByText(ctx: SearchContext, query: string, options: PhotoQueryOptions): Promise<PhotoResults> {
  const [vector] = await ctx.embedder.embedTexts([query]);
  return photosNear(ctx, vector!, options);
}

/** A search box query read once: its terms, their vectors, what is wanted, what subtracted, and the good-match cutoff. */
interface ReadQuery {
  vector: Float32Array;
  wanted: Float32Array;
  subtracted: Float32Array[];
  cutoff: number | null;
  reading: QueryReading;
}

async function readQuery(ctx: SearchContext, query: string, signal?: AbortSignal): Promise<ReadQuery> {
  signal?.throwIfAborted();
  const terms = parseQueryTerms(query);
  if (!terms.some((term) => term.sign === 1)) throw new QueryError('Say what to look for before what to leave out, such as “beach − people”.');
  const vectors = await ctx.embedder.embedTexts(terms.map((term) => term.text));
  signal?.throwIfAborted();
  const vector = terms.length === 1 ? vectors[0]! : combineVectors(terms.map((term, i) => ({ sign: term.sign, vector: vectors[i]! })));
  const unknown = terms.map((term) => ctx.embedder.unknownWords(term.text));
  const readable = terms.some((term, i) => term.sign === 1 && !onlyStopWords(term.text) && unknown[i]!.length < term.text.split(/\s+/).length);
  const subtracted = terms.flatMap((term, i) => (term.sign === -1 ? [vectors[i]!] : []));
  const wanted = subtracted.length > 0 ? combineVectors(terms.flatMap((term, i) => (term.sign === 1 ? [{ sign: 1 as const, vector: vectors[i]! }] : []))) : vector;
  const cutoff = readable ? await ctx.relevance.cutoff(wanted, (texts) => ctx.embedder.embedTexts(texts)) : Infinity;
  return { vector, wanted, subtracted, cutoff, reading: { terms, unknownWords: [...new Set(unknown.flat())], cutoff: ctx.relevance.source, demoted: 0 } };
}

/**
 * What the search box sends: a text, or terms to add and subtract ("beach + sunset − people"). Hits above the
 * query's cutoff (relevance.ts) are flagged `good`; a query of only words the model does not know, or only stop
 * words ("the of and"), has none.
 */
export async function searchPhotosByQuery(ctx: SearchContext, query: string, options: PhotoQueryOptions): Promise<PhotoResults> {
  const { vector, wanted, subtracted, cutoff, reading } = await readQuery(ctx, query, options.signal);
  options.signal?.throwIfAborted();
  const typical = subtracted.length > 0 ? await ctx.relevance.typical(wanted) : null;
  if (!typical) {
    const near = await photosNear(ctx, vector, options, [], cutoff);
    options.signal?.throwIfAborted();
    return withRecognised(ctx, wanted, { ...near, reading });
  }
  const { ranked, demoted } = await rankedAway(ctx, wanted, typical, subtracted, options, cutoff);
  return withRecognised(ctx, wanted, { ...page(ranked, options.offset ?? 0, options.limit), reading: { ...reading, demoted } });
}

/**
 * Why one photo stands where it does in `searchPhotosByQuery`'s results under the same filter: a good match or
 * not (by the same cutoff), the concepts of the query it shows, and whether a subtracted term ranked it down.
 */
export async function explainMatch(
  ctx: SearchContext,
  query: string,
  photoId: string,
  filter?: PhotoFilter,
): Promise<{ good: boolean | null; recognised: string[]; demoted: boolean }> {
  const photo = await ctx.library.photos.vector(photoId);
  if (!photo) throw new NotFoundError('photo', photoId, 'is not in the library or not indexed yet');
  const { wanted, subtracted, cutoff } = await readQuery(ctx, query);
  const demoted = standsOut(await subtractedPull(ctx, subtracted, filter), photoId);
  const good = cutoff === null ? null : !demoted && dot(wanted, photo) >= cutoff;
  return { good, recognised: good ? recognisedConcepts(wanted, photo, ctx.embedder.conceptNames) : [], demoted };
}

/** Names what each good match shows of what was asked for, where the model has a concept channel (why.ts). */
async function withRecognised(ctx: SearchContext, query: Float32Array, results: PhotoResults): Promise<PhotoResults> {
  const names = ctx.embedder.conceptNames;
  const good = results.items.filter((item) => item.good);
  if (names.length === 0 || good.length === 0) return results;
  const vectors = await ctx.library.photos.vectors(good.map((item) => item.photo.id));
  return {
    ...results,
    items: results.items.map((item) => {
      const vector = item.good ? vectors.get(item.photo.id) : undefined;
      const recognised = vector ? recognisedConcepts(query, vector, names) : [];
      return recognised.length > 0 ? { ...item, recognised } : item;
    }),
  };
}

/**
 * A query with subtracted terms: subtracting vectors alone barely moves photos that show the subtracted thing
 * clearly, and drifts towards whatever is unlike it (dog − grass → indoor scenes without dogs). So photos are
 * found and judged by what is wanted (`vector`: the added terms), and each is ranked down by how far above a
 * subtracted term's typical similarity it stands (in standard deviations), on the scale of the wanted terms' own
 * spread: a photo where the thing is small or half hidden (a dog far off in the water) scores only a little above
 * typical for it, and still moves down. Photos that stand out for it, STANDS_OUT_SD past typical, are never good
 * matches.
 */
async function rankedAway(
  ctx: SearchContext,
  vector: Float32Array,
  typical: { mean: number; sd: number },
  subtracted: readonly Float32Array[],
  options: PhotoQueryOptions,
  cutoff: number | null,
): Promise<{ ranked: PhotoHit[]; demoted: number }> {
  const wanted = (options.offset ?? 0) + options.limit + 1;
  const candidates = await ctx.library.photos.search(vector, { filter: options.filter, limit: Math.min(MAX_RERANKED, Math.max(2 * wanted, 200)) });
  const pull = await subtractedPull(ctx, subtracted, options.filter);
  const key = (match: { photo: { id: string }; similarity: number }) => (match.similarity - typical.mean) / typical.sd - (pull.get(match.photo.id) ?? 0);
  const ranked = [...candidates]
    .sort((a, b) => key(b) - key(a))
    .map((match) => {
      const found = hit(ctx, match.photo, match.similarity);
      return cutoff === null ? found : { ...found, good: !standsOut(pull, match.photo.id) && match.similarity >= cutoff };
    });
  return { ranked, demoted: candidates.filter((match) => standsOut(pull, match.photo.id)).length };
}

/**
 * How strongly subtracted terms pull on photos: among a term's nearest photos, how far above the term's typical
 * similarity one stands, in standard deviations (summed over the terms; photos below typical are left out).
 */
async function subtractedPull(ctx: SearchContext, subtracted: readonly Float32Array[], filter?: PhotoFilter): Promise<Map<string, number>> {
  const pull = new Map<string, number>();
  for (const term of subtracted) {
    const stats = await ctx.relevance.typical(term);
    if (!stats) continue;
    for (const match of await ctx.library.photos.search(term, { filter, limit: MAX_RERANKED })) {
      const above = (match.similarity - stats.mean) / stats.sd;
      if (above > 0) pull.set(match.photo.id, (pull.get(match.photo.id) ?? 0) + above);
    }
  }
  return pull;
}

const standsOut = (pull: ReadonlyMap<string, number>, photoId: string) => (pull.get(photoId) ?? 0) > STANDS_OUT_SD;

/** Standard deviations above a subtracted term's typical similarity from which a photo is taken to show that thing. */
const STANDS_OUT_SD = 1;

/** The most photos a query with subtracted terms re-ranks (and pages through). */
const MAX_RERANKED = 1_000;

/** Photo → photos that look alike (the photo itself left out). */
export async function similarPhotos(ctx: SearchContext, photoId: string, options: PhotoQueryOptions): Promise<PhotoResults> {
  return photosNear(ctx, await photoVector(ctx, photoId), options, [photoId]);
}

/**
 * Photos → photos like all of them together: the search runs for the normalized mean of their vectors, and the
 * photos asked about are left out. A photo that is not in the library (or not indexed yet) is NotFoundError.
 */
export async function similarToManyPhotos(ctx: SearchContext, photoIds: readonly string[], options: PhotoQueryOptions): Promise<PhotoResults> {
  const vectors = await ctx.library.photos.vectors(photoIds);
  const missing = photoIds.find((id) => !vectors.has(id));
  if (missing !== undefined) throw new NotFoundError('photo', missing, 'is not in the library or not indexed yet');
  const mean = combineVectors(photoIds.map((id) => ({ sign: 1 as const, vector: vectors.get(id)! })));
  return photosNear(ctx, mean, options, [...photoIds]);
}

/** `beach + sunset - people`: adds and subtracts the meanings of texts and photos (see combined-query.ts). */
export async function searchPhotosCombined(ctx: SearchContext, terms: readonly QueryTerm[], options: PhotoQueryOptions): Promise<PhotoResults> {
  if (!terms.some((term) => term.sign === 1)) throw new QueryError('A combined query needs at least one added term.');
  const texts = terms.filter((term) => term.text !== undefined);
  const textVectors = texts.length > 0 ? await ctx.embedder.embedTexts(texts.map((term) => term.text!)) : [];
  const parts = await Promise.all(
    terms.map(async (term) => ({
      sign: term.sign,
      vector: term.text !== undefined ? textVectors[texts.indexOf(term)]! : await photoVector(ctx, term.photoId!),
    })),
  );
  const photoIds = terms.flatMap((term) => (term.photoId ? [term.photoId] : []));
  return photosNear(ctx, combineVectors(parts), options, photoIds);
}

/**
 * Note → photos. Each passage of the note (or of the selection, a range of the note as it is on disk now)
 * searches on its own, and a photo ranks by its best passage, so a note about several scenes finds photos of
 * each, and a long selection is read whole rather than by the tower's first tokens.
 */
export async function photosForNote(
  ctx: SearchContext,
  noteId: string,
  options: PhotoQueryOptions & { passage?: TextRange },
): Promise<PhotoResults> {
  if (options.passage) {
    const [head] = (await ctx.library.notes.chunks(noteId)).filter((chunk) => chunk.chunk_index === 0);
    if (!head) throw new NotFoundError('note', noteId);
    const bytes = await readFile(head.path).catch(() => {
      throw new NotFoundError('note', noteId, `cannot be read at ${head.path}`);
    });
    // The range indexes the note's text as the editor has it: decoded from the file's own encoding.
    const decoded = decodeNote(bytes);
    if ('error' in decoded) throw new NotFoundError('note', noteId, `cannot be read at ${head.path}: ${decoded.error}`);
    const selected = decoded.text.slice(options.passage.start, options.passage.end);
    if (!selected.trim()) throw new QueryError('The selected passage is empty.');
    const passages = chunkNote(selected, head.path, isMarkdown(head.path), DEFAULT_CHUNK_LIMITS, ctx.embedder.tokenBudget).chunks;
    return photosForPassages(ctx, await ctx.embedder.embedTexts(passages.map((passage) => passage.embedText)), options);
  }
  const chunks = await ctx.library.notes.chunkVectors(noteId);
  if (chunks.length === 0) throw new NotFoundError('note', noteId, 'has no indexed text');
  return photosForPassages(ctx, spread(chunks.map((chunk) => chunk.vector), MAX_PASSAGE_QUERIES), options);
}

/**
 * Passages of one note searched separately. A note with more has this many taken evenly from start to end,
 * so a long note is represented throughout: each search costs a vector query (≈20 ms at 100k photos).
 */
const MAX_PASSAGE_QUERIES = 32;
/** Passage searches run at once (LanceDB runs each on its own threads). */
const CONCURRENT_QUERIES = 4;

/** Photos nearest to any of the vectors, each ranked by its best similarity to one of them. */
async function photosForPassages(ctx: SearchContext, vectors: readonly Float32Array[], options: PhotoQueryOptions): Promise<PhotoResults> {
  const offset = options.offset ?? 0;
  const wanted = offset + options.limit + 1;
  const best = new Map<string, PhotoHit>();
  for (let i = 0; i < vectors.length; i += CONCURRENT_QUERIES) {
    const batch = vectors.slice(i, i + CONCURRENT_QUERIES).map((vector) => ctx.library.photos.search(vector, { filter: options.filter, limit: wanted }));
    for (const match of (await Promise.all(batch)).flat()) {
      const known = best.get(match.photo.id);
      if (!known || known.similarity < match.similarity) best.set(match.photo.id, hit(ctx, match.photo, match.similarity));
    }
  }
  return page([...best.values()].sort((a, b) => b.similarity - a.similarity), offset, options.limit);
}

/** At most `count` of the items, evenly spaced from the first to the last. */
function spread<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  return Array.from({ length: count }, (_, i) => items[Math.round((i * (items.length - 1)) / (count - 1))]!);
}

async function photoVector(ctx: SearchContext, photoId: string): Promise<Float32Array> {
  const vector = await ctx.library.photos.vector(photoId);
  if (!vector) throw new NotFoundError('photo', photoId, 'is not in the library or not indexed yet');
  return vector;
}

/** `cutoff`: the cosine a good match needs, flagging hits `good`; null where none is known. */
async function photosNear(
  ctx: SearchContext,
  vector: Float32Array,
  options: PhotoQueryOptions,
  excludeIds: string[] = [],
  cutoff?: number | null,
): Promise<PhotoResults> {
  const offset = options.offset ?? 0;
  const matches = await ctx.library.photos.search(vector, { filter: options.filter, offset, limit: options.limit + 1, excludeIds });
  return page(
    matches.map((match) => {
      const found = hit(ctx, match.photo, match.similarity);
      return cutoff === undefined || cutoff === null ? found : { ...found, good: match.similarity >= cutoff };
    }),
    0,
    options.limit,
    offset,
  );
}

function hit(ctx: SearchContext, photo: PhotoHit['photo'], similarity: number): PhotoHit {
  return { photo, similarity, score: scoreOf(similarity, ctx.calibration) };
}

/** One page from a ranked list that holds one item more than the page when there is a next page. */
function page(ranked: PhotoHit[], from: number, limit: number, baseOffset = from): PhotoResults {
  const items = ranked.slice(from, from + limit);
  return { items, nextOffset: ranked.length > from + limit ? baseOffset + limit : null };
}
