/**
 * What a selection of photos in a grid asks of the service: "more like these" (the mean of their vectors) and
 * linking or unlinking many photos at once, over a real library with real photo vectors.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PHOTO_BATCH, MAX_SIMILAR_TO_MANY } from '../shared/api.ts';
import { openService, type Service } from './service.ts';
import { serviceCalls } from './service/test-calls.ts';
import { createTestLibrary } from './service/test-library.ts';

const lib = await createTestLibrary();

describe('selections through the service', () => {
  let service: Service;
  const { call, failure } = serviceCalls(() => service);
  const photo = (name: string) => call('photos.byPath', { path: join(lib.photosDir, name) });
  const note = (name: string) => call('notes.byPath', { path: join(lib.notesDir, name) });

  beforeAll(async () => {
    service = await openService({ dataDir: lib.dataDir, watch: false });
    await call('folders.add', { kind: 'photos', path: lib.photosDir });
    await call('folders.add', { kind: 'notes', path: lib.notesDir });
    await service.indexingSettled();
  });

  afterAll(async () => {
    await service?.close();
    await lib.cleanup();
  });

  it('finds photos like several together: the normalized mean of their vectors, without them', async () => {
    const [red, teal] = [await photo('red.jpg'), await photo('sub/teal.jpg')];
    const both = await call('search.similarToMany', { photoIds: [red.id, teal.id] });
    expect(both.items.map((h) => h.photo.fileName).sort()).toEqual(['blue.png', 'green.jpg']);
    expect(both.nextOffset).toBeNull();

    // The test model has no calibration, so a score is (1 + cosine) / 2. With unit vectors r and t, the cosine of
    // x with the normalized mean is (r·x + t·x) / |r + t|, and |r + t| = √(2 + 2 r·t).
    const cosine = (score: number) => 2 * score - 1;
    const fromRed = new Map((await call('search.similar', { photoId: red.id })).items.map((h) => [h.photo.id, cosine(h.score)]));
    const fromTeal = new Map((await call('search.similar', { photoId: teal.id })).items.map((h) => [h.photo.id, cosine(h.score)]));
    const norm = Math.sqrt(2 + 2 * fromRed.get(teal.id)!);
    const expected = [...fromRed.keys()]
      .filter((id) => id !== teal.id)
      .map((id) => ({ id, cosine: (fromRed.get(id)! + fromTeal.get(id)!) / norm }))
      .sort((a, b) => b.cosine - a.cosine);
    expect(both.items.map((h) => h.photo.id)).toEqual(expected.map((e) => e.id));
    both.items.forEach((hit, i) => expect(cosine(hit.score)).toBeCloseTo(expected[i]!.cosine, 4));

    // One photo is its own mean: the same answer as "similar".
    const one = await call('search.similarToMany', { photoIds: [red.id] });
    expect(one.items.map((h) => h.photo.id)).toEqual([...fromRed.keys()]);
  });

  it('pages, filters and refuses what it cannot answer', async () => {
    const [red, green] = [await photo('red.jpg'), await photo('green.jpg')];
    const all = await call('search.similarToMany', { photoIds: [red.id, green.id] });
    const first = await call('search.similarToMany', { photoIds: [red.id, green.id], limit: 1 });
    const second = await call('search.similarToMany', { photoIds: [red.id, green.id], offset: 1, limit: 1 });
    expect(first.nextOffset).toBe(1);
    expect([...first.items, ...second.items].map((h) => h.photo.id)).toEqual(all.items.map((h) => h.photo.id));
    const canon = await call('search.similarToMany', { photoIds: [red.id, green.id], filters: { camera: 'Canon EOS 5D' } });
    expect(canon.items.map((h) => h.photo.fileName)).toEqual(['teal.jpg']);

    expect(await failure('search.similarToMany', { photoIds: [red.id, 'gone'] })).toMatchObject({ code: 'not_found' });
    expect(await failure('search.similarToMany', { photoIds: [] })).toMatchObject({ code: 'bad_request' });
    expect(await failure('search.similarToMany', { photoIds: [red.id, red.id] })).toMatchObject({ code: 'bad_request' });
    const tooMany = Array.from({ length: MAX_SIMILAR_TO_MANY + 1 }, (_, i) => `p${i}`);
    expect(await failure('search.similarToMany', { photoIds: tooMany })).toMatchObject({ code: 'bad_request' });
  });

  it('links and unlinks many photos at once, skipping photos no longer in the library', async () => {
    const [red, green, blue] = [await photo('red.jpg'), await photo('green.jpg'), await photo('blue.png')];
    const trip = await note('trip.md');
    await call('links.add', { photoId: red.id, noteId: trip.id });

    const result = await call('links.addMany', { noteId: trip.id, photoIds: [red.id, green.id, blue.id, 'gone'] });
    expect(result).toEqual({ added: 2, alreadyLinked: 1, notFound: ['gone'] });
    const linked = (await call('links.list', { noteId: trip.id })).items.map((l) => l.photo.id);
    expect(linked.sort()).toEqual([red.id, green.id, blue.id].sort());
    expect(await call('links.addMany', { noteId: trip.id, photoIds: [green.id] })).toEqual({ added: 0, alreadyLinked: 1, notFound: [] });

    expect(await call('links.removeMany', { noteId: trip.id, photoIds: [red.id, green.id, 'gone'] })).toEqual({ removed: 2 });
    expect((await call('links.list', { noteId: trip.id })).items.map((l) => l.photo.id)).toEqual([blue.id]);
    expect(await call('links.removeMany', { noteId: trip.id, photoIds: [blue.id] })).toEqual({ removed: 1 });

    expect(await failure('links.addMany', { noteId: 'no-note', photoIds: [red.id] })).toMatchObject({ code: 'not_found' });
    const tooMany = Array.from({ length: MAX_PHOTO_BATCH + 1 }, (_, i) => `p${i}`);
    expect(await failure('links.addMany', { noteId: trip.id, photoIds: tooMany })).toMatchObject({ code: 'bad_request' });
    expect(await failure('links.removeMany', { noteId: trip.id, photoIds: [] })).toMatchObject({ code: 'bad_request' });
  });
});
