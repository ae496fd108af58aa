import { appendFile, copyFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { IndexingProgress } from '../../shared/dto.ts';
import { createTestLibrary } from '../service/test-library.ts';
import { runSummary } from './run-summary.ts';
import { jsonLines, subspace } from './testing/subspace-process.ts';

const run = (over: Partial<IndexingProgress>): IndexingProgress => ({
  phase: 'done',
  done: 0,
  total: 0,
  failed: 0,
  ratePerSecond: 0,
  etaSeconds: null,
  currentFile: null,
  message: null,
  changes: { added: 0, updated: 0, removed: 0, unchanged: 0 },
  ...over,
});

describe('runSummary', () => {
  it('says what a run added, updated, removed and could not read, and what the library holds', () => {
    const changes = { added: 120, updated: 3, removed: 2, unchanged: 0 };
    expect(runSummary(run({ done: 124, total: 124, failed: 1, changes }), { photoCount: 1125, noteCount: 12 }, 0)).toEqual([
      'Added 120 files, updated 3, removed 2; 1 could not be read.',
      'The library has 1,125 photos and 12 notes.',
    ]);
    expect(runSummary(run({ changes: { ...changes, added: 0, removed: 0, updated: 1 }, done: 1, total: 1 }), { photoCount: 1, noteCount: 0 }, 0)).toEqual([
      'Updated 1 file.',
      'The library has 1 photo and 0 notes.',
    ]);
    expect(runSummary(run({ done: 2, total: 2, failed: 2 }), null, 0)).toEqual(['2 files could not be read.']);
  });

  it('says "Nothing new" when nothing changed, and mentions files that failed before', () => {
    expect(runSummary(run({ changes: { added: 0, updated: 0, removed: 0, unchanged: 137 } }), { photoCount: 125, noteCount: 12 }, 0)).toEqual([
      'Nothing new: 125 photos and 12 notes are up to date.',
    ]);
    expect(runSummary(run({}), { photoCount: 4, noteCount: 2 }, 1)).toEqual([
      'Nothing new: 4 photos and 2 notes are up to date.',
      '1 file could not be read in an earlier run: left alone until changed.',
    ]);
    expect(runSummary(run({}), { photoCount: 0, noteCount: 0 }, 0)).toEqual(['Found no photos or notes to index in those folders.']);
  });

  it('says where a stopped or unfinished run got to', () => {
    const changes = { added: 38, updated: 0, removed: 0, unchanged: 0 };
    expect(runSummary(run({ phase: 'cancelled', done: 40, total: 40, failed: 2, changes }), null, 0)).toEqual([
      'Stopped after 40 of 40 files. Added 38 files; 2 could not be read.',
    ]);
    expect(runSummary(run({ phase: 'indexing', done: 40, total: 125, changes }), null, 0)).toEqual(['So far 40 of 125 files. Added 38 files.']);
  });
});

const lib = await createTestLibrary();

describe('subspace index counts what changed on disk', () => {
  afterAll(async () => {
    await lib.cleanup();
  });

  it('a new photo, a changed note and a deleted photo: added 1, updated 1, removed 1', async () => {
    const library = ['--library', lib.dataDir];
    const first = await subspace(['index', lib.photosDir, '--notes', lib.notesDir, ...library]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('Added 6 files; 1 could not be read.\n');
    expect(first.stdout).toContain(`  skipped ${join(lib.photosDir, 'corrupt.jpg')}: `);
    expect(first.stdout).toContain('The library has 4 photos and 2 notes.');

    await copyFile(join(lib.photosDir, 'red.jpg'), join(lib.photosDir, 'red copy.jpg'));
    await appendFile(join(lib.notesDir, 'groceries.txt'), 'apples\n');
    await rm(join(lib.photosDir, 'blue.png'));
    const second = await subspace(['index', lib.photosDir, '--notes', lib.notesDir, '--json', ...library]);
    expect(second.code, second.stderr).toBe(0);
    const summary = jsonLines(second.stdout).find((line) => line.type === 'summary');
    expect(summary).toMatchObject({ phase: 'done', failed: 0, changes: { added: 1, updated: 1, removed: 1 }, library: { photoCount: 4, noteCount: 2 }, failures: [] });
  });
});
