import { describe, expect, it } from 'vitest';
import { formatRoute, parseRoute, type Route } from './route.ts';

describe('routes', () => {
  it('round-trips every screen through the hash', () => {
    const routes: Route[] = [
      { name: 'library', filters: {} },
      { name: 'library', filters: { folder: '/home/me/Pictures/Trips 2024' } },
      { name: 'search', query: 'kids playing in the snow & sun?', filters: { dateFrom: '2024-01-01', dateTo: '2024-02-01' } },
      { name: 'similar', photoId: 'p:abc.1', filters: {} },
      { name: 'photo', photoId: 'p:abc/1' },
      { name: 'photo', photoId: 'p1', from: { source: { kind: 'library', filters: { camera: 'Canon EOS 5D' } }, index: 12_345 } },
      { name: 'photo', photoId: 'p1', from: { source: { kind: 'search', query: 'dogs & cats?', filters: { dateFrom: '2024-01-01' } }, index: 0 } },
      { name: 'photo', photoId: 'p1', from: { source: { kind: 'similar', photoId: 'p:9/x', filters: {} }, index: 3 } },
      { name: 'photo', photoId: 'p1', from: { source: { kind: 'note', noteId: 'n_42', list: 'suggested' }, index: 7 } },
      { name: 'photo', photoId: 'p1', from: { source: { kind: 'like', photoIds: ['p:a.1', 'p2'], filters: { folder: '/trips' } }, index: 4 } },
      { name: 'photo', photoId: 'p1', from: { source: { kind: 'passage', text: 'the harbour at dusk, & boats?' }, index: 11 } },
      { name: 'notes', noteId: null },
      { name: 'notes', noteId: 'n_42' },
      { name: 'folders' },
      { name: 'settings' },
    ];
    for (const route of routes) expect(parseRoute(formatRoute(route))).toEqual(route);
  });

  it('falls back to the library for an empty or unknown hash', () => {
    expect(parseRoute('')).toEqual({ name: 'library', filters: {} });
    expect(parseRoute('#/nowhere')).toEqual({ name: 'library', filters: {} });
    expect(parseRoute('#/photo')).toEqual({ name: 'library', filters: {} });
  });

  it('round-trips "more like these" and a note\'s photos', () => {
    const routes: Route[] = [
      { name: 'likeThese', photoIds: ['p:abc.1', 'b7f0c3e2-1d2a-4f5b-9c8d-0123456789ab'], filters: { camera: 'Canon EOS 5D' } },
      { name: 'notePhotos', noteId: 'n_42' },
    ];
    for (const route of routes) expect(parseRoute(formatRoute(route))).toEqual(route);
    expect(parseRoute('#/like-these?ids=')).toEqual({ name: 'library', filters: {} });
  });

  it('opens a photo alone when its list in the URL is damaged or incomplete', () => {
    for (const query of ['at=-1&in=library', 'at=x&in=library', 'in=library', 'at=2&in=search', 'at=2&in=note&note=n1&list=all', 'at=2&in=like&ids=', 'at=2&in=passage', 'at=2&in=elsewhere']) {
      expect(parseRoute(`#/photo/p1?${query}`)).toEqual({ name: 'photo', photoId: 'p1' });
    }
  });
});
