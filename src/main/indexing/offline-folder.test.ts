/** A photo folder that goes offline (an unplugged disk) keeps its photos, and is picked up again when it returns. */
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Library } from '../library/library.ts';
import { Indexer } from './indexer.ts';
import { COLOUR_MODEL_DIM, COLOUR_MODEL_ID, writeColourModel } from './testing/colour-model.ts';
import { tempDir, writePhoto } from './testing/fixtures.ts';

const dir = tempDir('offline');
const disk = join(dir.path, 'disk');
const unplugged = join(dir.path, 'unplugged');
let library: Library;
let indexer: Indexer;

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const searchable = () => library.photos.count("status = 'ok'");

beforeAll(async () => {
  await writePhoto(join(disk, 'red.jpg'), '#d01010');
  await writePhoto(join(disk, 'trip', 'blue.jpg'), '#1010d0');
  library = await Library.open({ dir: join(dir.path, 'library'), model: { id: COLOUR_MODEL_ID, dim: COLOUR_MODEL_DIM } });
  indexer = new Indexer({
    library,
    embedder: { modelDir: writeColourModel(join(dir.path, 'model')), providers: ['cpu'] },
    watchDebounceMs: 100,
    offlinePollMs: 200,
  });
  await indexer.start();
  await indexer.addRoot('photos', disk);
  await indexer.idle();
});

afterAll(async () => {
  await indexer.close();
  await library.close();
  dir.remove();
});

describe('a photo folder that goes offline', () => {
  it('keeps its photos while away and indexes what is new when it returns', async () => {
    expect(await searchable()).toBe(2);
    renameSync(disk, unplugged);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await indexer.idle();
    expect(await searchable()).toBe(2);

    await writePhoto(join(unplugged, 'green.jpg'), '#10c010');
    renameSync(unplugged, disk);
    await until('the returned folder to be rescanned', async () => (await searchable()) === 3);
    await indexer.idle();
    expect(await library.photos.getByPath(join(disk, 'green.jpg'))).toMatchObject({ status: 'ok' });
  }, 30_000);
});
