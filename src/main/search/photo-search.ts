import { readFile } from 'node:fs/promises';
import type { PhotoFilter } from '../library/photo-store.ts';
import { combineVectors, type QueryTerm } from './combined-query.ts';
import { scoreOf } from './calibration.ts';
import type { Paging, PhotoHit, PhotoResults, SearchContext, TextRange } from './context.ts';
import { NotFoundError, QueryError } from './errors.ts';

export interface PhotoQueryOptions extends Paging {
  filter?: PhotoFilter;
}

/** Text → photos: "kids playing in the snow". */
export async function searchPhotosByText(ctx: SearchContext, query: string, options: PhotoQueryOptions): Promise<PhotoResults> {
  const [vector] = await ctx.embedder.embedTexts([query]);
  return photosNear(ctx, vector!, options);
}

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
 * Note → photos. With a passage (a selection in the note as it is on disk now), that text is embedded; without
 * one, each passage of the note searches on its own and a photo ranks by its best passage, so a note about
 * several scenes finds photos of each.
 */
export async function photosForNote(
  ctx: SearchContext,
  noteId: string,
  options: PhotoQueryOptions & { passage?: TextRange },
): Promise<PhotoResults> {
  if (options.passage) {
    const [head] = (await ctx.library.notes.chunks(noteId)).filter((chunk) => chunk.chunk_index === 0);
    if (!head) throw new NotFoundError('note', noteId);
    const content = await readFile(head.path, 'utf8').catch(() => {
      throw new NotFoundError('note', noteId, `cannot be read at ${head.path}`);
    });
    const text = content.slice(options.passage.start, options.passage.end).replace(/\s+/g, ' ').trim();
    if (!text) throw new QueryError('The selected passage is empty.');
    return searchPhotosByText(ctx, text, options);
  }
  const chunks = await ctx.library.notes.chunkVectors(noteId);
  if (chunks.length === 0) throw new NotFoundError('note', noteId, 'has no indexed text');
  const offset = options.offset ?? 0;
  const wanted = offset + options.limit + 1;
  const best = new Map<string, PhotoHit>();
  for (const { vector } of chunks.slice(0, MAX_PASSAGE_QUERIES)) {
    for (const match of await ctx.library.photos.search(vector, { filter: options.filter, limit: wanted })) {
      const known = best.get(match.photo.id);
      if (!known || known.similarity < match.similarity) best.set(match.photo.id, hit(ctx, match.photo, match.similarity));
    }
  }
  return page([...best.values()].sort((a, b) => b.similarity - a.similarity), offset, options.limit);
}

/** Passages of one note searched separately; a longer note's later passages are left out. */
const MAX_PASSAGE_QUERIES = 16;

async function photoVector(ctx: SearchContext, photoId: string): Promise<Float32Array> {
  const vector = await ctx.library.photos.vector(photoId);
  if (!vector) throw new NotFoundError('photo', photoId, 'is not in the library or not indexed yet');
  return vector;
}

async function photosNear(ctx: SearchContext, vector: Float32Array, options: PhotoQueryOptions, excludeIds: string[] = []): Promise<PhotoResults> {
  const offset = options.offset ?? 0;
  const matches = await ctx.library.photos.search(vector, { filter: options.filter, offset, limit: options.limit + 1, excludeIds });
  return page(
    matches.map((match) => hit(ctx, match.photo, match.similarity)),
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
