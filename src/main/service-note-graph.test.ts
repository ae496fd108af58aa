/**
 * The notes graph through the service, with real files, a real library and the indexing worker:
 * backlinks from `[[wikilinks]]`, `![[photo]]` embeds resolved to library photos, and notes created in a subfolder.
 * Runs on the colour model (in the repository), so it needs nothing from ../shared.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeColourModel } from './indexing/testing/colour-model.ts';
import { tempDir, writePhoto } from './indexing/testing/fixtures.ts';
import { openService, type Service } from './service.ts';
import { serviceCalls } from './service/test-calls.ts';

const dir = tempDir('service-note-graph');
const notes = join(dir.path, 'notes');
const photos = join(dir.path, 'photos');

let service: Service;
const { call, failure } = serviceCalls(() => service);
const idOf = async (relative: string) => (await call('notes.byPath', { path: join(notes, relative) })).id;
const backlinks = async (relative: string) =>
  (await call('notes.backlinks', { noteId: await idOf(relative) })).items.map((item) => ({
    from: item.note.path.slice(notes.length + 1),
    count: item.count,
    context: item.context,
  }));

beforeAll(async () => {
  const data = join(dir.path, 'data');
  mkdirSync(data, { recursive: true });
  mkdirSync(join(notes, 'trips'), { recursive: true });
  mkdirSync(join(notes, 'empty folder'), { recursive: true });
  const model = writeColourModel(join(dir.path, 'model'));
  writeFileSync(join(data, 'settings.json'), JSON.stringify({ model: { kind: 'manifest', path: model } }));
  writeFileSync(join(notes, 'Bergen.md'), '# Bergen\n\nThe city of rain.\n');
  writeFileSync(join(notes, 'trips', 'Bergen.md'), '# Bergen trip\n\nTwo days in Bergen.\n');
  writeFileSync(
    join(notes, 'Oslo.md'),
    '---\r\ntags: [trip]\r\n---\r\n# Oslo\r\n\r\nThen on to [[bergen]] by train, see [[trips/Bergen|the trip]] and [[Bergen#Rain]].\r\n![[fjord.jpg]]\r\n',
  );
  writeFileSync(join(notes, 'trips', 'plan.md'), '# Plan\n\nFirst [[Bergen]] (the trip note: nearest), then [[Oslo]].\n\n```\n[[Oslo]] in code\n```\n');
  writeFileSync(join(notes, 'café.md'), iconv.encode('# Café\n\nAvant [[Oslo]], un café.\n', 'windows-1252'));
  writeFileSync(join(notes, 'code.md'), '# Code\n\n`[[Bergen]]` is how a link is written.\n');
  await writePhoto(join(photos, 'fjord.jpg'), '#2a6f97');
  await writePhoto(join(photos, 'trips', 'fjord.jpg'), '#2a6f97', { width: 80 });
  await writePhoto(join(photos, 'Harbour Night.PNG'), '#102030', { format: 'png' });
  service = await openService({ dataDir: data, watch: false });
  await call('folders.add', { kind: 'notes', path: notes });
  await call('folders.add', { kind: 'photos', path: photos });
  await service.indexingSettled();
}, 120_000);

afterAll(async () => {
  await service?.close();
  dir.remove();
});

describe('backlinks', () => {
  it('lists the notes that link to a note, resolved by name and nearest folder, with the line of the link', async () => {
    expect(await backlinks('Bergen.md')).toEqual([
      { from: 'Oslo.md', count: 2, context: 'Then on to [[bergen]] by train, see [[trips/Bergen|the trip]] and [[Bergen#Rain]].' },
    ]);
    expect(await backlinks('trips/Bergen.md')).toEqual([
      { from: 'Oslo.md', count: 1, context: expect.stringContaining('[[trips/Bergen|the trip]]') },
      { from: 'trips/plan.md', count: 1, context: 'First [[Bergen]] (the trip note: nearest), then [[Oslo]].' },
    ]);
    expect((await backlinks('Oslo.md')).map((b) => b.from).sort()).toEqual(['café.md', 'trips/plan.md']);
    expect(await backlinks('code.md')).toEqual([]);
  });

  it('follows edits: a link removed or added shows at once', async () => {
    const plan = await call('notes.get', { noteId: await idOf('trips/plan.md') });
    await call('notes.save', { noteId: plan.note.id, content: plan.content.replace('then [[Oslo]]', 'then Oslo'), revision: plan.revision });
    expect((await backlinks('Oslo.md')).map((b) => b.from)).toEqual(['café.md']);
    const code = await call('notes.get', { noteId: await idOf('code.md') });
    await call('notes.save', { noteId: code.note.id, content: `${code.content}Now a real one: [[Oslo]].\n`, revision: code.revision });
    expect((await backlinks('Oslo.md')).map((b) => b.from).sort()).toEqual(['café.md', 'code.md']);
  });

  it('answers not_found for an unknown note', async () => {
    expect(await failure('notes.backlinks', { noteId: 'nope' })).toMatchObject({ code: 'not_found' });
  });
});

describe('photos by name', () => {
  it('finds embedded photos by file name, case-insensitive, the nearest one on ties, and leaves out the unknown', async () => {
    const found = await call('photos.byName', { names: ['FJORD.jpg', 'harbour night.png', 'missing.jpg'], near: join(notes, 'Oslo.md') });
    expect(found.items.map((item) => [item.name, item.photo.path])).toEqual([
      ['FJORD.jpg', join(photos, 'fjord.jpg')],
      ['harbour night.png', join(photos, 'Harbour Night.PNG')],
    ]);
    const nearTrip = await call('photos.byName', { names: ['fjord.jpg', 'trips/fjord.jpg'], near: join(photos, 'trips', 'x.md') });
    expect(nearTrip.items.map((item) => item.photo.path)).toEqual([join(photos, 'trips', 'fjord.jpg'), join(photos, 'trips', 'fjord.jpg')]);
  });

  it('takes a name with quotes or wildcards as plain text', async () => {
    expect((await call('photos.byName', { names: ["it's%.jpg", '_jord.jpg'] })).items).toEqual([]);
  });
});

describe('creating a note in a folder', () => {
  it('creates it in a subfolder of the notes root, and refuses folders outside it', async () => {
    const created = await call('notes.create', { root: notes, folder: join(notes, 'empty folder'), fileName: 'Idea.md', content: '# Idea\n' });
    expect(created.note.path).toBe(join(notes, 'empty folder', 'Idea.md'));
    expect(readFileSync(join(notes, 'empty folder', 'Idea.md'), 'utf8')).toBe('# Idea\n');
    expect(await failure('notes.create', { root: notes, folder: dir.path, fileName: 'Out.md' })).toMatchObject({ code: 'bad_request' });
    expect(await failure('notes.create', { root: notes, folder: join(notes, '..', 'photos'), fileName: 'Out.md' })).toMatchObject({ code: 'bad_request' });
    expect(await failure('notes.create', { root: notes, folder: join(notes, 'gone'), fileName: 'Out.md' })).toMatchObject({ code: 'not_found' });
    const atRoot = await call('notes.create', { root: notes, folder: notes, fileName: 'Top.md' });
    expect(atRoot.note.path).toBe(join(notes, 'Top.md'));
  });
});
