import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Library } from '../library/library.ts';
import { Indexer } from './indexer.ts';
import { COLOUR_MODEL_DIM, COLOUR_MODEL_ID, writeColourModel } from './testing/colour-model.ts';
import { tempDir, writePhoto } from './testing/fixtures.ts';

const dir = tempDir('crash');
afterAll(dir.remove);
const PHOTOS = 40;

/** Runs the indexing child and SIGKILLs it once it has committed at least `killAfter` photos. */
function indexThenKill(args: string[], killAfter: number): Promise<{ killed: boolean; lastDone: number }> {
  const script = fileURLToPath(new URL('./testing/index-child.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let lastDone = 0;
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      lastDone = (JSON.parse(line) as { done: number }).done;
      if (lastDone >= killAfter) child.kill('SIGKILL');
    }
  });
  return new Promise((resolve) => child.on('exit', (_code, signal) => resolve({ killed: signal === 'SIGKILL', lastDone })));
}

describe('an indexing run killed part-way', () => {
  it('resumes where it stopped: nothing lost, nothing indexed twice', async () => {
    const photos = join(dir.path, 'photos');
    for (let i = 0; i < PHOTOS; i++) await writePhoto(join(photos, `p${i}.png`), `rgb(${i * 6}, 90, ${250 - i * 6})`, { format: 'png', width: 40 + i });
    const modelDir = writeColourModel(join(dir.path, 'model'));
    const libraryDir = join(dir.path, 'library');
    const model = { id: COLOUR_MODEL_ID, dim: COLOUR_MODEL_DIM };

    const run = await indexThenKill([libraryDir, photos, modelDir, model.id, String(model.dim)], 6);
    expect(run.killed).toBe(true);

    const library = await Library.open({ dir: libraryDir, model });
    const listed = async () => [...(await library.photos.getMany((await library.photos.list({}, 0, 100)).rows.map((row) => row.id))).values()];
    const before = new Map((await listed()).map((row) => [row.path, row]));
    expect(before.size).toBeGreaterThanOrEqual(6);
    expect(before.size).toBeLessThan(PHOTOS);

    const indexer = new Indexer({ library, embedder: { modelDir, providers: ['cpu'] }, watch: false });
    await indexer.start();
    await indexer.idle();
    expect(indexer.progress).toMatchObject({ phase: 'done', done: PHOTOS - before.size, failed: 0 });
    await indexer.close();

    const after = await listed();
    expect(after.length).toBe(PHOTOS);
    expect(new Set(after.map((row) => row.path)).size).toBe(PHOTOS);
    expect(await library.photos.count()).toBe(PHOTOS);
    for (const row of after) {
      const earlier = before.get(row.path);
      if (earlier) expect([row.id, row.indexed_at]).toEqual([earlier.id, earlier.indexed_at]);
    }
    library.close();
  });
});
