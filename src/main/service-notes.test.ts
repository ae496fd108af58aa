/**
 * Notes through the service, end to end with real files, a real library and the indexing worker: what a
 * note's bytes become (encodings), what a save writes back, and which files the indexer refuses and why.
 * Runs on the colour model (in the repository), so it needs nothing from ../shared.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_NOTE_BYTES } from '../shared/limits.ts';
import { writeColourModel } from './indexing/testing/colour-model.ts';
import { tempDir } from './indexing/testing/fixtures.ts';
import { openService, type Service } from './service.ts';
import { serviceCalls } from './service/test-calls.ts';

const dir = tempDir('service-notes');
const notes = join(dir.path, 'notes');
const utf16le = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le', { addBOM: false })]);

/** One file per way a note can be stored, with the title it should get. */
const FILES: { name: string; bytes: Buffer; encoding: string; title: string }[] = [
  { name: 'plain.md', bytes: Buffer.from('# Café ☕\r\n\r\nWindows line endings.\r\n'), encoding: 'utf-8', title: 'Café ☕' },
  { name: 'bom.md', bytes: Buffer.from('\ufeff# Été\n\nSoleil.\n'), encoding: 'utf-8-bom', title: 'Été' },
  { name: 'utf16.md', bytes: utf16le('# Grüße 😀\r\n\r\nHallo.\r\n'), encoding: 'utf-16le-bom', title: 'Grüße 😀' },
  { name: 'latin1.md', bytes: iconv.encode('# Café au lait\n\nUn café crème à emporter.\n', 'windows-1252'), encoding: 'windows-1252', title: 'Café au lait' },
];

let service: Service;

const { call, failure } = serviceCalls(() => service);

const open = async (name: string) => call('notes.get', { noteId: (await call('notes.byPath', { path: join(notes, name) })).id });

beforeAll(async () => {
  const data = join(dir.path, 'data');
  mkdirSync(data, { recursive: true });
  mkdirSync(notes, { recursive: true });
  const model = writeColourModel(join(dir.path, 'model'));
  writeFileSync(join(data, 'settings.json'), JSON.stringify({ model: { kind: 'manifest', path: model } }));
  for (const file of FILES) writeFileSync(join(notes, file.name), file.bytes);
  writeFileSync(join(notes, 'quotes.md'), '>'.repeat(20_000));
  writeFileSync(Buffer.concat([Buffer.from(`${notes}/caf`), Buffer.from([0xe9]), Buffer.from('.md')]), 'Un café.');
  service = await openService({ dataDir: data, watch: false });
  await call('folders.add', { kind: 'notes', path: notes });
  await service.indexingSettled();
}, 120_000);

afterAll(async () => {
  await service?.close();
  dir.remove();
});

describe('notes through the service', () => {
  it('indexes the other notes of a batch alongside one marked cannot lex, and names the file it cannot index', async () => {
    expect((await call('indexing.status', {})).phase).not.toBe('error');
    const listed = await call('notes.list', {});
    expect(listed.items.map((note) => note.path.slice(notes.length + 1)).sort()).toEqual(['bom.md', 'latin1.md', 'plain.md', 'quotes.md', 'utf16.md']);
    const failures = await call('indexing.failures', {});
    expect(failures.items).toEqual([
      expect.objectContaining({ path: join(notes, 'caf\\xE9.md'), kind: 'notes', reason: expect.stringContaining('not valid UTF-8') }),
    ]);
  });

  it.each(FILES)('reads $name as $encoding and saves it unchanged byte for byte', async ({ name, bytes, encoding, title }) => {
    expect((await call('notes.byPath', { path: join(notes, name) })).title).toBe(title);
    const note = await open(name);
    expect(note.encoding).toBe(encoding);
    expect(note.content).not.toContain('\ufffd');
    await call('notes.save', { noteId: note.note.id, content: note.content, revision: note.revision });
    expect(readFileSync(join(notes, name)).equals(bytes)).toBe(true);
  });

  it('writes an edit in the note’s own encoding and refuses text that encoding cannot hold', async () => {
    const latin = await open('latin1.md');
    const refused = await failure('notes.save', { noteId: latin.note.id, content: `${latin.content}Łódź\n`, revision: latin.revision });
    expect(refused).toMatchObject({ code: 'bad_request', message: expect.stringContaining('Windows-1252, which cannot hold “Ł” (U+0141) on line 4') });
    const saved = await call('notes.save', { noteId: latin.note.id, content: `${latin.content}Déjà vu.\n`, revision: latin.revision });
    expect(saved.encoding).toBe('windows-1252');
    expect(readFileSync(join(notes, 'latin1.md'))).toEqual(iconv.encode(`${latin.content}Déjà vu.\n`, 'windows-1252'));

    const wide = await open('utf16.md');
    await call('notes.save', { noteId: wide.note.id, content: `${wide.content}Łódź 🌍\r\n`, revision: wide.revision });
    expect(readFileSync(join(notes, 'utf16.md'))).toEqual(utf16le(`${wide.content}Łódź 🌍\r\n`));
  });

  it('saves a note of exactly the size limit, and refuses a larger one so that the note never drops out', async () => {
    const note = await open('plain.md');
    const sentences = 'Un café crème à emporter, près du port. '.repeat(100_000);
    const atLimit = sentences + 'a'.repeat(MAX_NOTE_BYTES - Buffer.byteLength(sentences));
    const saved = await call('notes.save', { noteId: note.note.id, content: atLimit, revision: note.revision });
    expect(readFileSync(join(notes, 'plain.md')).length).toBe(MAX_NOTE_BYTES);
    expect((await call('notes.byPath', { path: join(notes, 'plain.md') })).sizeBytes).toBe(MAX_NOTE_BYTES);

    const tooLarge = 'é'.repeat(3_000_000);
    expect(await failure('notes.save', { noteId: note.note.id, content: tooLarge, revision: saved.revision })).toMatchObject({
      code: 'bad_request',
      message: expect.stringContaining('6,000,000 bytes as UTF-8, over the 5 MiB'),
    });
    expect(readFileSync(join(notes, 'plain.md')).length).toBe(MAX_NOTE_BYTES);
    expect((await call('notes.get', { noteId: note.note.id })).revision).toBe(saved.revision);
  }, 300_000);

  it('refuses file names no file system should get, without naming the folders', async () => {
    for (const fileName of ['nul\0byte.md', 'line\nbreak.md', 'a:b.md', 'CON.md', 'x'.repeat(253) + '.md', 'é'.repeat(127) + '.md', 'lone\ud800.md']) {
      const refused = await failure('notes.create', { root: notes, fileName });
      expect(refused.code).toBe('bad_request');
      expect(refused.message).not.toContain(dir.path);
    }
    const created = await call('notes.create', { root: notes, fileName: 'Réunion 😀.md', content: '# Réunion\n' });
    expect(created.encoding).toBe('utf-8');
    expect(readFileSync(join(notes, 'Réunion 😀.md'), 'utf8')).toBe('# Réunion\n');
    expect(await failure('notes.create', { root: notes, fileName: 'big.md', content: 'é'.repeat(3_000_000) })).toMatchObject({ code: 'bad_request' });
  });

  it('still records a file whose name is not UTF-8 as failed after its folder is removed and added back', async () => {
    await call('folders.remove', { kind: 'notes', path: notes });
    await call('folders.add', { kind: 'notes', path: notes });
    await service.indexingSettled();
    expect((await call('indexing.failures', {})).items.map((failed) => failed.path)).toEqual([join(notes, 'caf\\xE9.md')]);
    expect((await call('notes.list', {})).items.map((note) => note.path)).not.toContain(join(notes, 'caf\\xE9.md'));
  });
});
