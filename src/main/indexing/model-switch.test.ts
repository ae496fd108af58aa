import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Library } from '../library/library.ts';
import { Indexer } from './indexer.ts';
import { COLOUR_MODEL_DIM, COLOUR_MODEL_ID, writeColourModel } from './testing/colour-model.ts';
import { tempDir, writePhoto } from './testing/fixtures.ts';

const dir = tempDir('switch');
afterAll(dir.remove);

async function indexWith(modelId: string, modelDir: string): Promise<{ library: Library; indexer: Indexer }> {
  const library = await Library.open({ dir: join(dir.path, 'library'), model: { id: modelId, dim: COLOUR_MODEL_DIM } });
  const indexer = new Indexer({ library, embedder: { modelDir, providers: ['cpu'] }, watch: false });
  return { library, indexer };
}

/** The listed photos' whole rows, in list order. */
async function listedRows(library: Library) {
  const ids = (await library.photos.list({}, 0, 10)).rows.map((row) => row.id);
  const rows = await library.photos.getMany(ids);
  return ids.map((id) => rows.get(id)!);
}

describe('switching the model', () => {
  it('re-embeds every photo in the background, keeping ids, thumbnails and links', async () => {
    const photos = join(dir.path, 'photos');
    await writePhoto(join(photos, 'a.jpg'), '#d01010');
    await writePhoto(join(photos, 'b.jpg'), '#1010d0');

    const first = await indexWith(COLOUR_MODEL_ID, writeColourModel(join(dir.path, 'model-1')));
    await first.indexer.addRoot('photos', photos);
    await first.indexer.idle();
    const before = await listedRows(first.library);
    await first.library.links.add(before[0]!.id, 'some-note', 'user');
    await first.indexer.close();
    first.library.close();

    const second = await indexWith('colour-test-v2', writeColourModel(join(dir.path, 'model-2'), 'colour-test-v2'));
    expect(second.library.modelChanged).toBe(true);
    expect(await second.library.photos.count("status = 'stale'")).toBe(2);
    expect((await second.library.photos.list({}, 0, 10)).total).toBe(0);
    await second.indexer.start();
    await second.indexer.idle();
    expect(second.indexer.progress).toMatchObject({ phase: 'done', done: 2, failed: 0 });

    const after = await listedRows(second.library);
    expect(after.map((r) => [r.id, r.thumb, r.model_id])).toEqual(before.map((r) => [r.id, r.thumb, 'colour-test-v2']));
    expect((await second.library.links.list({ photoId: before[0]!.id })).length).toBe(1);
    await second.indexer.close();
    second.library.close();
  });
});
