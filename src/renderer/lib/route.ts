/** The app's screens as URL hashes, so Back/Forward, Esc and reloads all land where the user was. */
import type { PhotoFilters } from '../../shared/dto.ts';

export type Route =
  | { name: 'library'; filters: PhotoFilters }
  | { name: 'search'; query: string; filters: PhotoFilters }
  | { name: 'similar'; photoId: string; filters: PhotoFilters }
  | { name: 'photo'; photoId: string }
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
      return second ? { name: 'photo', photoId: second } : { name: 'library', filters: {} };
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
