import type { LinkRow, NoteChunkRow, PhotoRow } from '../library/schema.ts';
import { linkId } from '../library/link-store.ts';
import { scoreOf } from './calibration.ts';
import type { SearchContext, TextRange } from './context.ts';
import { NotFoundError } from './errors.ts';
import { bestPassage } from './note-search.ts';

export interface LinkDetails {
  link: LinkRow;
  photo: PhotoRow;
  /** The note's first chunk (id, path, title, …). */
  note: NoteChunkRow;
}

export interface LinkSuggestion {
  photo: PhotoRow;
  note: NoteChunkRow;
  similarity: number;
  score: number;
  snippet: string;
  passage: TextRange;
}

/** Links a photo and a note, both of which must exist (missing ones included: their files may come back). */
export async function linkPhotoNote(ctx: SearchContext, photoId: string, noteId: string, origin: LinkRow['origin'] = 'user'): Promise<LinkDetails> {
  const [photo, notes] = await Promise.all([ctx.library.photos.getMany([photoId]), ctx.library.notes.heads([noteId])]);
  if (!photo.get(photoId)) throw new NotFoundError('photo', photoId);
  if (!notes.get(noteId)) throw new NotFoundError('note', noteId);
  const link = await ctx.library.links.add(photoId, noteId, origin);
  return { link, photo: photo.get(photoId)!, note: notes.get(noteId)! };
}

export function unlinkPhotoNote(ctx: SearchContext, photoId: string, noteId: string): Promise<boolean> {
  return ctx.library.links.remove(photoId, noteId);
}

/** Links of a photo, a note or a pair, with both ends; links whose photo or note was purged are left out. */
export async function listLinks(ctx: SearchContext, by: { photoId?: string; noteId?: string }): Promise<LinkDetails[]> {
  const links = await ctx.library.links.list(by);
  const photos = await ctx.library.photos.getMany([...new Set(links.map((l) => l.photo_id))]);
  const notes = await ctx.library.notes.heads([...new Set(links.map((l) => l.note_id))]);
  return links.flatMap((link) => {
    const photo = photos.get(link.photo_id);
    const note = notes.get(link.note_id);
    return photo && note ? [{ link, photo, note }] : [];
  });
}

/** Notes looked at for library-wide suggestions, most recently changed first. */
const SUGGESTION_NOTES = 200;
/** Passage searches one library-wide request may make (each is one vector query, ~10–40 ms on 2 cores). */
const SUGGESTION_SEARCHES = 120;
/** Photos considered per note passage. */
const PHOTOS_PER_PASSAGE = 5;

/**
 * Photo–note pairs that match well and are not linked yet, best first. A pair qualifies when the photo's
 * similarity to one of the note's passages reaches the model's calibrated threshold (calibration.ts); a
 * model without calibration gets no suggestions rather than guessed ones.
 */
export async function linkSuggestions(ctx: SearchContext, options: { limit: number; photoId?: string; noteId?: string }): Promise<LinkSuggestion[]> {
  const threshold = ctx.calibration?.suggestThreshold;
  if (threshold === undefined) return [];
  const linked = new Set((await ctx.library.links.all()).map((link) => link.id));
  const pairs = new Map<string, { photoId: string; noteId: string; similarity: number; chunk: NoteChunkRow }>();
  const consider = (photoId: string, chunk: NoteChunkRow, similarity: number) => {
    const key = linkId(photoId, chunk.note_id);
    if (similarity < threshold || linked.has(key)) return;
    const known = pairs.get(key);
    if (!known || known.similarity < similarity) pairs.set(key, { photoId, noteId: chunk.note_id, similarity, chunk });
  };

  if (options.photoId) {
    const vector = await ctx.library.photos.vector(options.photoId);
    if (!vector) throw new NotFoundError('photo', options.photoId, 'is not in the library or not indexed yet');
    for (const match of await ctx.library.notes.searchVector(vector, options.limit * 8)) consider(options.photoId, match.chunk, match.similarity!);
  } else {
    const noteIds = options.noteId ? [options.noteId] : (await ctx.library.notes.list(undefined, 0, SUGGESTION_NOTES)).rows.map((row) => row.note_id);
    let searches = 0;
    for (const noteId of noteIds) {
      for (const { chunk, vector } of await ctx.library.notes.chunkVectors(noteId)) {
        if (searches++ >= SUGGESTION_SEARCHES) break;
        for (const match of await ctx.library.photos.search(vector, { limit: PHOTOS_PER_PASSAGE })) consider(match.photo.id, chunk, match.similarity);
      }
      if (searches >= SUGGESTION_SEARCHES) break;
    }
  }

  const ranked = [...pairs.values()].sort((a, b) => b.similarity - a.similarity).slice(0, options.limit);
  const photos = await ctx.library.photos.getMany(ranked.map((pair) => pair.photoId));
  const notes = await ctx.library.notes.heads(ranked.map((pair) => pair.noteId));
  return ranked.flatMap((pair) => {
    const photo = photos.get(pair.photoId);
    const note = notes.get(pair.noteId);
    if (!photo || !note) return [];
    return [
      {
        photo,
        note,
        similarity: pair.similarity,
        score: scoreOf(pair.similarity, ctx.calibration),
        snippet: pair.chunk.text,
        passage: { start: pair.chunk.char_start, end: pair.chunk.char_end },
      },
    ];
  });
}

