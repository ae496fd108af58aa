import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openService, type Service } from './service.ts';
import { serviceCalls } from './service/test-calls.ts';
import { createTestLibrary } from './service/test-library.ts';

const lib = await createTestLibrary();

describe('service over a real library', () => {
  let service: Service;

  const { call, failure } = serviceCalls(() => service);

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

  it('refuses unknown methods and bad payloads with a clear error', async () => {
    expect(await failure('photos.delete', {})).toMatchObject({ code: 'unknown_method' });
    expect(await failure('search.text', { query: '' })).toMatchObject({ code: 'bad_request', message: 'A search is empty.' });
    expect(await failure('search.text', { query: 'x', sql: 'DROP' })).toMatchObject({ code: 'bad_request' });
    expect(await failure('search.text', { query: 'x', filters: { dateFrom: '2022-02-01', dateTo: '2022-01-01' } })).toMatchObject({
      code: 'bad_request',
    });
    expect(await failure('photos.get', { photoId: '../../etc/passwd' })).toMatchObject({ code: 'bad_request' });
    expect(await failure('photos.get', { photoId: 'no-such-photo' })).toMatchObject({ code: 'not_found' });
    // A ranked list is read no deeper than 10,000: each page costs the store offset + limit candidates.
    expect(await failure('search.text', { query: 'x', offset: 10_001 })).toMatchObject({ code: 'bad_request' });
    expect(await failure('search.notes', { query: 'x', offset: 500_000 })).toMatchObject({ code: 'bad_request' });
  });

  it('indexes the photos, records the corrupt file with its reason, and keeps going', async () => {
    const facets = await call('library.facets', {});
    expect(facets.photoCount).toBe(4);
    expect(facets.noteCount).toBe(2);
    expect(facets.cameras).toEqual(['Canon EOS 5D', 'NIKON D750']);
    const failures = await call('indexing.failures', {});
    expect(failures.total).toBe(1);
    expect(failures.items[0]).toMatchObject({ path: join(lib.photosDir, 'corrupt.jpg'), kind: 'photos' });
    expect(failures.items[0]!.reason.length).toBeGreaterThan(5);
    const folders = await call('folders.list', {});
    expect(folders.items.map((f) => [f.kind, f.itemCount, f.status])).toEqual([
      ['photos', 4, 'ok'],
      ['notes', 2, 'ok'],
    ]);
  });

  it('refuses folders that do not exist or overlap a root', async () => {
    expect(await failure('folders.add', { kind: 'photos', path: join(lib.root, 'nowhere') })).toMatchObject({ code: 'bad_request' });
    expect(await failure('folders.add', { kind: 'photos', path: join(lib.photosDir, 'sub') })).toMatchObject({ code: 'conflict' });
    expect(await failure('folders.add', { kind: 'photos', path: 'relative/path' })).toMatchObject({ code: 'bad_request' });
  });

  it('searches by text with paging and filters', async () => {
    const all = await call('search.text', { query: 'a red cliff', limit: 10 });
    expect(all.items).toHaveLength(4);
    expect(all.nextOffset).toBeNull();
    for (const hit of all.items) expect(hit.score).toBeGreaterThanOrEqual(0);
    const first = await call('search.text', { query: 'a red cliff', limit: 3 });
    expect(first.nextOffset).toBe(3);
    const second = await call('search.text', { query: 'a red cliff', offset: 3, limit: 3 });
    expect([...first.items, ...second.items].map((h) => h.photo.id)).toEqual(all.items.map((h) => h.photo.id));
    const canon = await call('search.text', { query: 'a red cliff', filters: { camera: 'Canon EOS 5D' } });
    expect(canon.items.map((h) => h.photo.fileName).sort()).toEqual(['red.jpg', 'teal.jpg']);
    const july = await call('search.text', { query: 'x', filters: { dateFrom: '2021-07-15', dateTo: '2021-07-15' } });
    expect(july.items.map((h) => h.photo.fileName)).toEqual(['teal.jpg']);
    const sub = await call('search.text', { query: 'x', filters: { folder: join(lib.photosDir, 'sub') } });
    expect(sub.items.map((h) => h.photo.fileName)).toEqual(['teal.jpg']);
  });

  it('stops a search whose caller is gone, and says so without logging an error', async () => {
    const gone = new AbortController();
    gone.abort();
    expect(await service.dispatch('search.text', { query: 'a red cliff' }, gone.signal)).toEqual({
      ok: false,
      error: { code: 'unavailable', message: 'The request to search the photos was cancelled.' },
    });
    expect((await service.dispatch('search.text', { query: 'a red cliff' }, new AbortController().signal)).ok).toBe(true);
  });

  it('finds photos by path, details with EXIF, similar photos and combined queries', async () => {
    const red = await call('photos.byPath', { path: join(lib.photosDir, 'red.jpg') });
    const details = await call('photos.get', { photoId: red.id });
    expect(details.metadata).toMatchObject({ make: 'Canon', model: 'Canon EOS 5D' });
    expect(details.takenAt?.startsWith('2021-07-14')).toBe(true);
    const similar = await call('search.similar', { photoId: red.id });
    expect(similar.items.map((h) => h.photo.id)).not.toContain(red.id);
    expect(similar.items).toHaveLength(3);
    const combined = await call('search.combined', { terms: [{ sign: 1, photoId: red.id }, { sign: -1, text: 'green hills' }] });
    expect(combined.items.map((h) => h.photo.id)).not.toContain(red.id);
    expect(await failure('search.combined', { terms: [{ sign: -1, text: 'dogs' }] })).toMatchObject({ code: 'bad_request' });
    expect(await failure('photos.byPath', { path: join(lib.photosDir, 'corrupt.jpg') })).toMatchObject({ code: 'not_found' });
  });

  it('lists photos newest first with a timeline in the same order', async () => {
    const list = await call('photos.list', { limit: 2 });
    expect(list.total).toBe(4);
    expect(list.nextOffset).toBe(2);
    const { days } = await call('photos.timeline', {});
    expect(days.reduce((n, d) => n + d.count, 0)).toBe(4);
    const dated = days.filter((d) => d.day !== null).map((d) => d.day!);
    expect(dated).toEqual([...dated].sort().reverse());
  });

  it('reads notes, refuses a save over a changed file, saves and re-indexes', async () => {
    const trip = await call('notes.byPath', { path: join(lib.notesDir, 'trip.md') });
    expect(trip.title).toBe('Summer trip');
    const opened = await call('notes.get', { noteId: trip.id });
    expect(opened.content).toContain('red cliffs');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await writeFile(trip.path, `${opened.content}Edited elsewhere.\n`);
    expect(await failure('notes.save', { noteId: trip.id, content: 'mine', revision: opened.revision })).toMatchObject({ code: 'conflict' });
    expect(await readFile(trip.path, 'utf8')).toContain('Edited elsewhere.');
    const fresh = await call('notes.get', { noteId: trip.id });
    const saved = await call('notes.save', { noteId: trip.id, content: '# Autumn trip\n\nA quiet harbour with fishing boats.\n', revision: fresh.revision });
    expect(saved.revision).not.toBe(fresh.revision);
    expect(saved.note.title).toBe('Autumn trip');
    expect(await readFile(trip.path, 'utf8')).toContain('fishing boats');
    const found = await call('search.notes', { query: 'fishing boats harbour' });
    expect(found.items[0]?.note.id).toBe(trip.id);
    expect(found.items[0]?.highlights.length).toBeGreaterThan(0);
  });

  it('creates a note in a notes folder, searchable when the call returns, and never overwrites', async () => {
    const created = await call('notes.create', { root: lib.notesDir, fileName: 'ideas.md', content: '# Ideas\n\nPaint the shed.\n' });
    expect(created.note.path).toBe(join(lib.notesDir, 'ideas.md'));
    expect((await call('notes.get', { noteId: created.note.id })).content).toContain('Paint the shed');
    expect(await failure('notes.create', { root: lib.notesDir, fileName: 'ideas.md', content: 'x' })).toMatchObject({ code: 'conflict' });
    const empty = await call('notes.create', { root: lib.notesDir, fileName: 'blank.txt' });
    expect(empty.content).toBe('');
    expect(await failure('notes.create', { root: lib.photosDir, fileName: 'x.md' })).toMatchObject({ code: 'bad_request' });
    expect(await failure('notes.create', { root: lib.notesDir, fileName: '../escape.md' })).toMatchObject({ code: 'bad_request' });
  });

  it('links, lists and unlinks; linked notes come first for the photo', async () => {
    const green = await call('photos.byPath', { path: join(lib.photosDir, 'green.jpg') });
    const groceries = await call('notes.byPath', { path: join(lib.notesDir, 'groceries.txt') });
    const link = await call('links.add', { photoId: green.id, noteId: groceries.id });
    expect(link.note.id).toBe(groceries.id);
    expect((await call('links.list', { photoId: green.id })).items.map((l) => l.note.id)).toEqual([groceries.id]);
    const notes = await call('photos.notes', { photoId: green.id });
    expect(notes.items[0]).toMatchObject({ linked: true, note: { id: groceries.id } });
    expect(await call('links.remove', { photoId: green.id, noteId: groceries.id })).toEqual({ removed: true });
    expect(await call('links.remove', { photoId: green.id, noteId: groceries.id })).toEqual({ removed: false });
    expect(await failure('links.add', { photoId: 'missing', noteId: groceries.id })).toMatchObject({ code: 'not_found' });
    const byNote = await call('notes.photos', { noteId: groceries.id, limit: 2 });
    expect(byNote.items).toHaveLength(2);
  });

  it('serves library photos and thumbnails by id only', async () => {
    const blue = await call('photos.byPath', { path: join(lib.photosDir, 'blue.png') });
    const photo = await service.media('photo', blue.id);
    expect(photo).toEqual({ contentType: 'image/png', path: blue.path });
    const thumbnail = await service.media('thumbnail', blue.id);
    expect(thumbnail.contentType).toBe('image/jpeg');
    expect('path' in thumbnail && (await stat(thumbnail.path)).size).toBeGreaterThan(100);
    await expect(service.media('photo', 'not-an-id')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('gives a grid its thumbnails in one call, in the order asked, null where a photo has none', async () => {
    const blue = await call('photos.byPath', { path: join(lib.photosDir, 'blue.png') });
    const red = await call('photos.byPath', { path: join(lib.photosDir, 'red.jpg') });
    const { thumbnails } = await call('photos.thumbnails', { photoIds: [red.id, 'no-such-photo', blue.id] });
    expect(thumbnails).toHaveLength(3);
    expect(thumbnails[1]).toBeNull();
    const blueFile = await service.media('thumbnail', blue.id);
    const blueJpeg = 'path' in blueFile ? await readFile(blueFile.path) : blueFile.data;
    expect(thumbnails[2]).toBe(`data:image/jpeg;base64,${blueJpeg.toString('base64')}`);
    expect(Buffer.from(thumbnails[0]!.split(',')[1]!, 'base64').subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(await failure('photos.thumbnails', { photoIds: [] })).toMatchObject({ code: 'bad_request' });
    expect(await failure('photos.thumbnails', { photoIds: Array.from({ length: 65 }, (_, i) => `p${i}`) })).toMatchObject({ code: 'bad_request' });
    expect(await failure('photos.thumbnails', { photoIds: ['../../etc/passwd'] })).toMatchObject({ code: 'bad_request' });
  });

  it('persists settings, validates them, and tells the shell’s limits', async () => {
    const updated = await call('settings.update', { theme: 'dark', keepIndexingInTray: false });
    expect(updated.theme).toBe('dark');
    const onDisk = JSON.parse(await readFile(join(lib.dataDir, 'settings.json'), 'utf8'));
    expect(onDisk).toMatchObject({ theme: 'dark', keepIndexingInTray: false, model: { kind: 'manifest' } });
    expect(await failure('settings.update', { theme: 'purple' })).toMatchObject({ code: 'bad_request' });
    expect(await failure('settings.update', { startAtLogin: true })).toMatchObject({ code: 'unavailable' });
    const info = await call('app.info', {});
    expect(info.capabilities).toEqual({ tray: false, startAtLogin: false, revealInFolder: false });
    expect(info.logFile).toBeNull();
    const model = await call('model.info', {});
    expect(model).toMatchObject({ status: 'ready', modelId: 'tiny-clip-test', dim: 16, provider: { name: 'cpu' } });
    // A CLIP export has no separate backbone: nothing to fetch, the model is simply ready.
    expect(await call('model.fetchBackbone', {})).toMatchObject({ status: 'ready', modelId: 'tiny-clip-test' });
  });
});

describe('service start-up', () => {
  it('sets an unreadable settings file aside and explains an unusable model', async () => {
    const other = await createTestLibrary();
    try {
      await writeFile(join(other.dataDir, 'settings.json'), '{ not json');
      const service = await openService({ dataDir: other.dataDir, watch: false });
      try {
        expect(await readFile(join(other.dataDir, 'settings.json.invalid'), 'utf8')).toBe('{ not json');
        const envelope = await service.dispatch('settings.update', { model: { kind: 'manifest', path: join(other.root, 'no-model') } });
        expect(envelope.ok).toBe(true);
        const model = await service.dispatch('model.info', {});
        expect(model).toMatchObject({ ok: true, result: { status: 'error', message: expect.stringContaining('no-model') } });
        expect(await service.dispatch('search.text', { query: 'x' })).toMatchObject({ ok: false, error: { code: 'unavailable' } });
      } finally {
        await service.close();
      }
    } finally {
      await other.cleanup();
    }
  });
});
