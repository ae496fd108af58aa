/** Note → photos for a selection in a note stored as UTF-16 or with a UTF-8 byte order mark (colour model, no ../shared). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Indexer } from '../indexing/indexer.ts';
import { COLOUR_MODEL_DIM, COLOUR_MODEL_ID, writeColourModel } from '../indexing/testing/colour-model.ts';
import { tempDir, writePhoto } from '../indexing/testing/fixtures.ts';
import { Library } from '../library/library.ts';
import { loadEmbedder } from '../model/embedder.ts';
import type { Embedder } from '../model/embedder-types.ts';
import { searchContext, type SearchContext } from './context.ts';
import { photosForNote } from './photo-search.ts';

const dir = tempDir('selected-passage');
const photos = join(dir.path, 'photos');
const notes = join(dir.path, 'notes');
const TEXT = '# Trip\n\nA red red wall.\n\nThe blue blue sea.\n';
let library: Library;
let embedder: Embedder;
let ctx: SearchContext;

beforeAll(async () => {
  await writePhoto(join(photos, 'red.png'), '#e01010', { format: 'png' });
  await writePhoto(join(photos, 'blue.png'), '#1010e0', { format: 'png' });
  mkdirSync(notes, { recursive: true });
  writeFileSync(join(notes, 'utf16.md'), Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(TEXT, 'utf-16le', { addBOM: false })]));
  writeFileSync(join(notes, 'bom.md'), `\ufeff${TEXT}`);
  const modelDir = writeColourModel(join(dir.path, 'model'));
  library = await Library.open({ dir: join(dir.path, 'library'), model: { id: COLOUR_MODEL_ID, dim: COLOUR_MODEL_DIM } });
  const indexer = new Indexer({ library, embedder: { modelDir, providers: ['cpu'] }, watch: false });
  await indexer.addRoot('photos', photos);
  await indexer.addRoot('notes', notes);
  await indexer.idle();
  await indexer.close();
  embedder = await loadEmbedder({ modelDir, providers: ['cpu'], threads: 1 });
  ctx = searchContext(library, embedder);
});

afterAll(async () => {
  await embedder?.close();
  library?.close();
  dir.remove();
});

describe('photos for a selected passage', () => {
  it.each(['utf16.md', 'bom.md'])('reads the selection of %s in the note’s own encoding', async (file) => {
    const noteId = (await library.notes.getByPath(join(notes, file)))!.note_id;
    const start = TEXT.indexOf('The blue blue sea.');
    const { items } = await photosForNote(ctx, noteId, { limit: 1, passage: { start, end: start + 'The blue blue sea.'.length } });
    expect(items[0]!.photo.path).toBe(join(photos, 'blue.png'));
  });
});
