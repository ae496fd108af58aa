/** The app's screens as URL hashes, so Back/Forward, Esc and reloads all land where the user was. */
import type { PhotoFilters } from '../../shared/dto.ts';
import type { PhotoFrom, PhotoSource } from './photo-sequence.ts';

export type Route =
  | { name: 'library'; filters: PhotoFilters }
  | { name: 'search'; query: string; filters: PhotoFilters }
  | { name: 'similar'; photoId: string; filters: PhotoFilters }
  | { name: 'photo'; photoId: string; from?: PhotoFrom }
  | { name: 'notes'; noteId: string | null }
  | { name: 'folders' }
  | { name: 'settings' }
  /** "More like these": photos like the selected ones together. */
  | { name: 'likeThese'; photoIds: string[]; filters: PhotoFilters }
  /** A note's linked photos as a grid. */
  | { name: 'notePhotos'; noteId: string };

const FILTER_KEYS = ['dateFrom', 'dateTo', 'folder', 'camera'] as const;

function readFilters(params: URLSearchParams): PhotoFilters {
  const filters: PhotoFilters = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value) filters[key] = value;
  }
  return filters;
}

function writeFilters(params: URLSearchParams, filters: PhotoFilters): void {
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
}

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?', 2);
  const params = new URLSearchParams(query);
  const [first = '', second] = path.split('/').filter(Boolean).map(decodeURIComponent);
  switch (first) {
    case 'search':
      return { name: 'search', query: params.get('q') ?? '', filters: readFilters(params) };
    case 'similar':
      return second ? { name: 'similar', photoId: second, filters: readFilters(params) } : { name: 'library', filters: {} };
    case 'photo':
      return second ? photoRoute(second, readFrom(params)) : { name: 'library', filters: {} };
    case 'notes':
      if (second && path.split('/').filter(Boolean)[2] === 'photos') return { name: 'notePhotos', noteId: second };
      return { name: 'notes', noteId: second ?? null };
    case 'like-these': {
      const photoIds = (params.get('ids') ?? '').split(',').filter(Boolean);
      return photoIds.length > 0 ? { name: 'likeThese', photoIds, filters: readFilters(params) } : { name: 'library', filters: {} };
    }
    case 'folders':
      return { name: 'folders' };
    case 'settings':
      return { name: 'settings' };
    default:
      return { name: 'library', filters: readFilters(params) };
  }
}

export function formatRoute(route: Route): string {
  const params = new URLSearchParams();
  let path: string;
  switch (route.name) {
    case 'library':
      path = 'library';
      writeFilters(params, route.filters);
      break;
    case 'search':
      path = 'search';
      params.set('q', route.query);
      writeFilters(params, route.filters);
      break;
    case 'similar':
      path = `similar/${encodeURIComponent(route.photoId)}`;
      writeFilters(params, route.filters);
      break;
    case 'photo':
      path = `photo/${encodeURIComponent(route.photoId)}`;
      if (route.from) writeFrom(params, route.from);
      break;
    case 'notes':
      path = route.noteId ? `notes/${encodeURIComponent(route.noteId)}` : 'notes';
      break;
    case 'likeThese':
      path = 'like-these';
      params.set('ids', route.photoIds.join(','));
      writeFilters(params, route.filters);
      break;
    case 'notePhotos':
      path = `notes/${encodeURIComponent(route.noteId)}/photos`;
      break;
    default:
      path = route.name;
  }
  const query = params.toString();
  return `#/${path}${query ? `?${query}` : ''}`;
}

function photoRoute(photoId: string, from: PhotoFrom | undefined): Route {
  return from ? { name: 'photo', photoId, from } : { name: 'photo', photoId };
}

/** A photo's list in its URL: `in` names the source, `at` the photo's position in it. */
function readFrom(params: URLSearchParams): PhotoFrom | undefined {
  const at = params.get('at') ?? '';
  const index = Number(at);
  if (!/^\d+$/.test(at) || !Number.isSafeInteger(index)) return undefined;
  const source = readSource(params);
  return source ? { source, index } : undefined;
}

function readSource(params: URLSearchParams): PhotoSource | undefined {
  const filters = readFilters(params);
  switch (params.get('in')) {
    case 'library':
      return { kind: 'library', filters };
    case 'search': {
      const query = params.get('q');
      return query ? { kind: 'search', query, filters } : undefined;
    }
    case 'similar': {
      const photoId = params.get('of');
      return photoId ? { kind: 'similar', photoId, filters } : undefined;
    }
    case 'note': {
      const noteId = params.get('note');
      const list = params.get('list');
      return noteId && (list === 'linked' || list === 'suggested') ? { kind: 'note', noteId, list } : undefined;
    }
    case 'like': {
      const photoIds = (params.get('ids') ?? '').split(',').filter(Boolean);
      return photoIds.length > 0 ? { kind: 'like', photoIds, filters } : undefined;
    }
    case 'passage': {
      const text = params.get('q');
      return text ? { kind: 'passage', text } : undefined;
    }
    default:
      return undefined;
  }
}

function writeFrom(params: URLSearchParams, { source, index }: PhotoFrom): void {
  params.set('in', source.kind);
  switch (source.kind) {
    case 'search':
      params.set('q', source.query);
      break;
    case 'similar':
      params.set('of', source.photoId);
      break;
    case 'note':
      params.set('note', source.noteId);
      params.set('list', source.list);
      break;
    case 'like':
      params.set('ids', source.photoIds.join(','));
      break;
    case 'passage':
      params.set('q', source.text);
      break;
  }
  if (source.kind !== 'note' && source.kind !== 'passage') writeFilters(params, source.filters);
  params.set('at', String(index));
}
