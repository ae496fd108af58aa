/**
 * One file's trouble stays that file's: with the real worker thread and real files, a note that stops the
 * worker, or that once overflowed marked's stack, must not keep the other notes of its batch out of the
 * library or end the run in `error`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Library } from '../library/library.ts';
import { Indexer } from './indexer.ts';
import { COLOUR_MODEL_DIM, COLOUR_MODEL_ID, writeColourModel } from './testing/colour-model.ts';
import { tempDir } from './testing/fixtures.ts';

const dir = tempDir('isolation');
const modelDir = writeColourModel(join(dir.path, 'model'));
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** Indexes a notes folder holding three ordinary notes and `extra`, in one batch; returns what it recorded. */
async function indexNotes(name: string, extra: Record<string, string>, limits: { workerHeapMb?: number; workerStallLimitMs?: number } = {}) {
  const notes = join(dir.path, name, 'notes');
  mkdirSync(notes, { recursive: true });
  for (const colour of ['red', 'green', 'blue']) writeFileSync(join(notes, `${colour}.md`), `# ${colour}\n\nA ${colour} kite.`);
  for (const [file, content] of Object.entries(extra)) writeFileSync(join(notes, file), content);
  const library = await Library.open({ dir: join(dir.path, name, 'library'), model: { id: COLOUR_MODEL_ID, dim: COLOUR_MODEL_DIM } });
  const indexer = new Indexer({ library, embedder: { modelDir, providers: ['cpu'] }, watch: false, ...limits });
  cleanups.push(async () => {
    await indexer.close();
    library.close();
  });
  await indexer.addRoot('notes', notes);
  await new Promise((resolve) => setTimeout(resolve, 100));
  await indexer.idle();
  const indexed = (await library.notes.scanState("status = 'ok'")).map((row) => row.path.slice(notes.length + 1)).sort();
  const failures = (await library.notes.failures()).map((row) => ({ file: row.path.slice(notes.length + 1), reason: row.error }));
  return { progress: indexer.progress, indexed, failures };
}

describe('per-file isolation in indexing', () => {
  it('indexes notes that overflowed the Markdown lexer’s stack or nest 2,000 levels deep with the rest of their batch', async () => {
    const { progress, indexed, failures } = await indexNotes('deep', {
      'quotes.md': '>'.repeat(20_000),
      'nested.md': Array.from({ length: 2000 }, (_, i) => `${'  '.repeat(i)}- item ${i}`).join('\n'),
    });
    expect(progress).toMatchObject({ phase: 'done', failed: 0 });
    expect(indexed).toEqual(['blue.md', 'green.md', 'nested.md', 'quotes.md', 'red.md']);
    expect(failures).toEqual([]);
  }, 120_000);

  it('records a note that runs the worker out of memory as failed, with the reason, and indexes the rest of its batch', async () => {
    // 1.7 million one-letter paragraphs: far more objects than a 48 MB heap holds while the note is split.
    const { progress, indexed, failures } = await indexNotes('memory', { 'huge.md': 'a\n\n'.repeat(1_700_000) }, { workerHeapMb: 48 });
    expect(progress).toMatchObject({ phase: 'done', failed: 1 });
    expect(indexed).toEqual(['blue.md', 'green.md', 'red.md']);
    expect(failures).toEqual([{ file: 'huge.md', reason: 'Indexing this file needed more than the 48 MB of memory the indexing worker may use' }]);
  }, 300_000);

  it('stops a worker that holds a file past the time limit, records that file as failed, and indexes the rest of its batch', async () => {
    // Splitting 1.7 million paragraphs takes seconds: far past a 2 s limit, as a file on a disk that stopped answering would.
    const { progress, indexed, failures } = await indexNotes('stall', { 'slow.md': 'a\n\n'.repeat(1_700_000) }, { workerStallLimitMs: 2000 });
    expect(progress).toMatchObject({ phase: 'done', failed: 1 });
    expect(indexed).toEqual(['blue.md', 'green.md', 'red.md']);
    expect(failures).toEqual([
      { file: 'slow.md', reason: 'Indexing this file took longer than 2 s and was stopped (a disk that stopped answering, or a file too complex to read)' },
    ]);
  }, 300_000);
});
