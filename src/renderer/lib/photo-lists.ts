/**
 * The photo lists shown as a grid of their own (`views/PhotoListView.svelte`): photos like one photo, like
 * several together, and a note's linked photos. Each is a `PhotoSource`, so a photo opened from the grid names
 * the same list in its URL and the lightbox walks it in the grid's order.
 */
import type { ApiClient } from './api.ts';
import type { FetchPage } from './paged-photos.svelte.ts';
import type { PhotoSource } from './photo-sequence.ts';

export type ListSource = Extract<PhotoSource, { kind: 'similar' } | { kind: 'like' }> | { kind: 'note'; noteId: string; list: 'linked' };

/** Reads the list by pages, ranked lists with their scores. */
export function listPages(api: ApiClient, source: ListSource): FetchPage {
  switch (source.kind) {
    case 'similar':
      return (offset, limit, signal) => api.call('search.similar', { photoId: source.photoId, filters: source.filters, offset, limit }, signal);
    case 'like':
      return (offset, limit, signal) => api.call('search.similarToMany', { photoIds: source.photoIds, filters: source.filters, offset, limit }, signal);
    case 'note':
      return linkedPages(api, source.noteId);
  }
}

/** A note's links come in one answer: read from the first page's request, later pages cut from it. */
function linkedPages(api: ApiClient, noteId: string): FetchPage {
  const readLinked = (signal: AbortSignal) => api.call('links.list', { noteId }, signal).then((result) => result.items.map((link) => ({ photo: link.photo })));
  let read: ReturnType<typeof readLinked> | null = null;
  return async (offset, limit, signal) => {
    if (offset === 0 || !read) read = readLinked(signal);
    const listed = await read;
    const end = offset + limit;
    return { items: listed.slice(offset, end), nextOffset: end < listed.length ? end : null };
  };
}

/** The photo a "similar" list is like ranks among its matches: the grid leaves it out, as the lightbox's walk does. */
export function hiddenIn(source: ListSource): string | null {
  return source.kind === 'similar' ? source.photoId : null;
}

/** Each list keeps its own selection. */
export function selectionKey(source: ListSource): string {
  return `list:${JSON.stringify(source)}`;
}
