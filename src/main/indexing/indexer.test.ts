import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Library } from '../library/library.ts';
import { loadEmbedder } from '../model/embedder.ts';
import type { Embedder } from '../model/embedder-types.ts';
import { searchContext, type SearchContext } from '../search/context.ts';
import { linkPhotoNote, listLinks } from '../search/links.ts';
import { notesForPhoto, searchNotes } from '../search/note-search.ts';
import { searchPhotosByText, similarPhotos } from '../search/photo-search.ts';
import { Indexer } from './indexer.ts';
import { RootError } from './roots.ts';
import { COLOUR_MODEL_DIM, COLOUR_MODEL_ID, writeColourModel } from './testing/colour-model.ts';
import { tempDir, writePhoto } from './testing/fixtures.ts';

const dir = tempDir('indexer');
const photos = join(dir.path, 'photos');
const notes = join(dir.path, 'notes');
const modelDir = writeColourModel(join(dir.path, 'model'));
const embedderOptions = { modelDir, providers: ['cpu' as const] };

let library: Library;
let indexer: Indexer;
let embedder: Embedder;
let ctx: SearchContext;

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function idOf(path: string): Promise<string> {
  const row = await library.photos.getByPath(path);
  if (!row) throw new Error(`${path} is not in the library`);
  return row.id;
}

beforeAll(async () => {
  await writePhoto(join(photos, 'red.jpg'), '#d01010', { make: 'Canon', model: 'Canon EOS 5D', takenAt: '2021:07:04 10:30:00' });
  await writePhoto(join(photos, 'green.png'), '#10c010', { format: 'png' });
  await writePhoto(join(photos, 'trip', 'blue.webp'), '#1010d0', { format: 'webp' });
  await writePhoto(join(photos, 'trip', 'yellow.gif'), '#e0e010', { format: 'gif' });
  await writePhoto(join(photos, 'trip', 'black.tiff'), '#080808', { format: 'tiff' });
  await writePhoto(join(photos, 'portrait.avif'), '#f0f0f0', { format: 'avif', width: 400, height: 300 });
  await writePhoto(join(photos, 'turned.jpg'), '#f0f0f0', { width: 400, height: 300, orientation: 6 });
  writeFileSync(join(photos, 'corrupt.jpg'), 'this is not a jpeg at all');
  writeFileSync(join(photos, 'phone.heic'), Buffer.from('00000018667479706865696300000000', 'hex'));
  mkdirSync(join(photos, '.git'), { recursive: true });
  await writePhoto(join(photos, '.git', 'ignored.jpg'), '#d01010');

  mkdirSync(notes, { recursive: true });
  writeFileSync(join(notes, 'red.md'), '# Red car\n\nOur red red car, parked outside.\n\n## Other\n\nNothing to see.');
  writeFileSync(join(notes, 'sea.txt'), 'The blue sea and the blue sky.');
  writeFileSync(join(notes, 'binary.md'), Buffer.from([0x23, 0x20, 0x00, 0x01, 0x02]));

  library = await Library.open({ dir: join(dir.path, 'library'), model: { id: COLOUR_MODEL_ID, dim: COLOUR_MODEL_DIM } });
  embedder = await loadEmbedder({ ...embedderOptions, threads: 1 });
  ctx = searchContext(library, embedder);
  indexer = new Indexer({ library, embedder: embedderOptions, photoBatchSize: 4, watchDebounceMs: 300 });
});

afterAll(async () => {
  await indexer?.close();
  await embedder?.close();
  library?.close();
  dir.remove();
});

describe('Indexer with the colour model, on real files', () => {
  it('indexes photo and note folders, records corrupt and unsupported files, and reports progress', async () => {
    const phases = new Set<string>();
    indexer.subscribe((p) => phases.add(p.phase));
    await indexer.addRoot('photos', photos);
    await indexer.addRoot('notes', notes);
    await indexer.start();
    await indexer.idle();

    expect(indexer.progress).toMatchObject({ phase: 'done', failed: 3, total: 12, done: 12 });
    expect(phases).toEqual(new Set(['scanning', 'indexing', 'done']));
    expect(await library.photos.count("status = 'ok'")).toBe(7);
    const failures = (await library.photos.failures(0, 10)).rows;
    expect(failures.map((f) => f.path).sort()).toEqual([join(photos, 'corrupt.jpg'), join(photos, 'phone.heic')]);
    expect(failures.find((f) => f.path.endsWith('.heic'))!.error).toMatch(/HEIC|readable/);
    expect((await library.notes.failures()).map((f) => [f.path, f.error])).toEqual([[join(notes, 'binary.md'), 'Not a text file (it contains binary data)']]);
    expect(await library.notes.countNotes("status = 'ok'")).toBe(2);
  });

  it('stores EXIF facts, the rotated size and a thumbnail of about 256 px', async () => {
    const red = (await library.photos.getByPath(join(photos, 'red.jpg')))!;
    expect(red).toMatchObject({ camera: 'Canon EOS 5D', camera_make: 'Canon', taken_at_exif: true, width: 64, height: 48 });
    expect(new Date(red.taken_at!).getFullYear()).toBe(2021);
    const turned = (await library.photos.getByPath(join(photos, 'turned.jpg')))!;
    expect([turned.width, turned.height]).toEqual([300, 400]);
    const thumb = await sharp(library.thumbnailPath(turned.thumb!)).metadata();
    expect([thumb.format, thumb.width, thumb.height]).toEqual(['jpeg', 192, 256]);
  });

  it('finds photos by text and by likeness, and notes by photo and by text', async () => {
    const byText = await searchPhotosByText(ctx, 'red', { limit: 3 });
    expect(byText.items[0]!.photo.path).toBe(join(photos, 'red.jpg'));
    expect(byText.nextOffset).toBe(3);
    expect((await searchPhotosByText(ctx, 'blue', { limit: 1, filter: { folder: join(photos, 'trip') } })).items[0]!.photo.path).toBe(
      join(photos, 'trip', 'blue.webp'),
    );
    const similar = await similarPhotos(ctx, await idOf(join(photos, 'red.jpg')), { limit: 2 });
    expect(similar.items.map((h) => h.photo.path)).not.toContain(join(photos, 'red.jpg'));

    const forRed = await notesForPhoto(ctx, await idOf(join(photos, 'red.jpg')), { limit: 2 });
    expect(forRed.items[0]!.note.path).toBe(join(notes, 'red.md'));
    expect(forRed.items[0]!.snippet).toBe('Our red red car, parked outside.');

    const hybrid = await searchNotes(ctx, 'parked', { limit: 5 });
    expect(hybrid.items[0]!.note.title).toBe('Red car');
    expect(hybrid.items[0]!.highlights).toEqual([{ start: 17, end: 23 }]);
  });

  it('keeps a moved photo’s id, vector and links without embedding it again', async () => {
    const id = await idOf(join(photos, 'red.jpg'));
    const before = (await library.photos.get(id))!;
    const noteId = (await library.notes.getByPath(join(notes, 'red.md')))!.note_id;
    await linkPhotoNote(ctx, id, noteId);

    mkdirSync(join(photos, 'moved'));
    renameSync(join(photos, 'red.jpg'), join(photos, 'moved', 'red car.jpg'));
    await until('the move to be seen', async () => (await library.photos.getByPath(join(photos, 'moved', 'red car.jpg')))?.id === id);

    const after = (await library.photos.get(id))!;
    expect(after.indexed_at).toBe(before.indexed_at);
    expect(after.status).toBe('ok');
    expect((await listLinks(ctx, { photoId: id })).map((l) => l.note.note_id)).toEqual([noteId]);
    expect((await notesForPhoto(ctx, id, { limit: 1 })).items[0]).toMatchObject({ linked: true });
  });

  it('marks a deleted photo missing and restores it, id and links included, when it comes back', async () => {
    const id = await idOf(join(photos, 'moved', 'red car.jpg'));
    const saved = join(dir.path, 'red-backup.jpg');
    copyFileSync(join(photos, 'moved', 'red car.jpg'), saved);
    rmSync(join(photos, 'moved', 'red car.jpg'));
    await until('the photo to go missing', async () => (await library.photos.get(id))?.status === 'missing');
    expect((await searchPhotosByText(ctx, 'red', { limit: 10 })).items.map((h) => h.photo.id)).not.toContain(id);

    copyFileSync(saved, join(photos, 'restored.jpg'));
    await until('the photo to come back', async () => (await library.photos.get(id))?.status === 'ok');
    expect((await library.photos.get(id))!.path).toBe(join(photos, 'restored.jpg'));
    expect((await library.links.list({ photoId: id })).length).toBe(1);
  });

  it('picks up a new photo through the watcher', async () => {
    await writePhoto(join(photos, 'trip', 'new-green.jpg'), '#20e020');
    const row = await until('the new photo to be indexed', () => library.photos.getByPath(join(photos, 'trip', 'new-green.jpg')));
    expect(row.status).toBe('ok');
    await until('the new photo to be searchable', async () =>
      (await searchPhotosByText(ctx, 'green', { limit: 2 })).items.some((h) => h.photo.id === row.id),
    );
  });

  it('indexes a note the app just wrote before refresh() returns', async () => {
    const path = join(notes, 'written.md');
    writeFileSync(path, '# Yellow\n\nA yellow kite.');
    await indexer.refresh('notes', [path]);
    const note = await library.notes.getByPath(path);
    expect(note?.status).toBe('ok');
    expect((await notesForPhoto(ctx, await idOf(join(photos, 'trip', 'yellow.gif')), { limit: 1 })).items[0]!.note.path).toBe(path);
  });

  it('refuses overlapping and missing folders', async () => {
    await expect(indexer.addRoot('photos', join(photos, 'trip'))).rejects.toBeInstanceOf(RootError);
    await expect(indexer.addRoot('photos', dir.path)).rejects.toMatchObject({ code: 'overlap' });
    await expect(indexer.addRoot('notes', join(dir.path, 'absent'))).rejects.toMatchObject({ code: 'not-found' });
  });

  it('finds nothing to do when started again, and takes a removed folder’s items out of search', async () => {
    await indexer.idle();
    const again = new Indexer({ library, embedder: embedderOptions, watch: false });
    await again.start();
    await again.idle();
    expect(again.progress).toMatchObject({ total: 0, done: 0 });
    await again.close();

    expect(await indexer.removeRoot('notes', notes)).toBe(true);
    expect(await library.notes.countNotes("status = 'ok'")).toBe(0);
    expect(existsSync(join(notes, 'red.md'))).toBe(true);
  });
});
