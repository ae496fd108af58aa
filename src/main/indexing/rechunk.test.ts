import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, makeArrowTable } from '@lancedb/lancedb';
import { afterAll, describe, expect, it } from 'vitest';
import { Library } from '../library/library.ts';
import { metaSchema } from '../library/schema.ts';
import { CHUNKER_VERSION } from './chunk-note.ts';
import { Indexer } from './indexer.ts';
import { COLOUR_MODEL_DIM, COLOUR_MODEL_ID, writeColourModel } from './testing/colour-model.ts';
import { tempDir } from './testing/fixtures.ts';

const dir = tempDir('rechunk');
afterAll(dir.remove);

describe('notes cut into passages by an older version', () => {
  it('are cut again in the background, keeping their id and links and staying searchable meanwhile', async () => {
    const notes = join(dir.path, 'notes');
    mkdirSync(notes);
    writeFileSync(join(notes, 'trip.md'), '# Trip\n\nThe red car by the blue sea. The yellow sand and the white sky.');
    const libraryDir = join(dir.path, 'library');
    const modelDir = writeColourModel(join(dir.path, 'model'));
    const open = async () => {
      const library = await Library.open({ dir: libraryDir, model: { id: COLOUR_MODEL_ID, dim: COLOUR_MODEL_DIM } });
      return { library, indexer: new Indexer({ library, embedder: { modelDir, providers: ['cpu'] }, watch: false }) };
    };

    const first = await open();
    await first.indexer.addRoot('notes', notes);
    await first.indexer.idle();
    const [note] = (await first.library.notes.list(undefined, 0, 10)).rows;
    await first.library.links.add('some-photo', note!.note_id, 'user');
    const passages = (await first.library.notes.chunks(note!.note_id)).map((chunk) => chunk.text);
    await first.indexer.close();
    first.library.close();

    // The library as the version before wrote it: schema 1, no chunker column, one passage for the whole note.
    const db = await connect(join(libraryDir, 'db'));
    const table = await db.openTable('notes');
    await table.dropColumns(['chunker']);
    await table.delete(`note_id = '${note!.note_id}' AND chunk_index > 0`);
    await table.update({ values: { chunk_count: 1, text: passages.join(' ') }, where: 'chunk_index = 0' });
    const meta = await db.openTable('meta');
    await meta.mergeInsert('key').whenMatchedUpdateAll().whenNotMatchedInsertAll().execute(makeArrowTable([{ key: 'schema_version', value: '1' }], { schema: metaSchema() }));
    db.close();

    const second = await open();
    expect((await second.library.notes.chunks(note!.note_id)).map((chunk) => [chunk.chunker, chunk.status])).toEqual([[null, 'ok']]);
    expect((await second.library.notes.list(undefined, 0, 10)).total).toBe(1);
    await second.indexer.start();
    await second.indexer.idle();
    expect(second.indexer.progress).toMatchObject({ phase: 'done', done: 1, failed: 0 });
    const chunks = await second.library.notes.chunks(note!.note_id);
    expect(chunks.map((chunk) => chunk.text)).toEqual(passages);
    expect(passages.length).toBeGreaterThan(1);
    expect(chunks.every((chunk) => chunk.chunker === CHUNKER_VERSION && chunk.status === 'ok')).toBe(true);
    expect((await second.library.links.list({ noteId: note!.note_id })).map((link) => link.photo_id)).toEqual(['some-photo']);
    await second.indexer.close();
    second.library.close();
  });
});
