import { describe, expect, it } from 'vitest';
import { diffScan, type StoredItem } from './diff.ts';
import type { FileEntry } from './walk.ts';

const entry = (path: string, size = 100, mtimeMs = 1): FileEntry => ({ path, root: '/r', size, mtimeMs });
const stored = (id: string, path: string, fields: Partial<StoredItem> = {}): StoredItem => ({
  id,
  path,
  size: 100,
  mtime_ms: 1,
  hash: `h-${id}`,
  status: 'ok',
  model_id: 'm',
  ...fields,
});

function run(entries: FileEntry[], rows: StoredItem[], hashes: Record<string, string> = {}, retryFailed = false) {
  let next = 0;
  const hashed: string[] = [];
  return diffScan({
    entries,
    stored: rows,
    inScope: (path) => path.startsWith('/r/'),
    modelId: 'm',
    hashOf: async (path) => {
      hashed.push(path);
      return hashes[path] ?? `other-${path}`;
    },
    newId: () => `new-${next++}`,
    retryFailed,
  }).then((plan) => ({ plan, hashed }));
}

describe('diffScan', () => {
  it('skips unchanged files and queues new, changed and stale ones with their stored ids', async () => {
    const { plan, hashed } = await run(
      [entry('/r/same.jpg'), entry('/r/new.jpg', 555), entry('/r/edited.jpg', 100, 2), entry('/r/old-model.jpg')],
      [stored('a', '/r/same.jpg'), stored('b', '/r/edited.jpg'), stored('c', '/r/old-model.jpg', { model_id: 'previous' })],
    );
    expect(plan.unchanged).toBe(1);
    expect(plan.toIndex.map((w) => [w.id, w.reason])).toEqual([
      ['b', 'changed'],
      ['c', 'stale'],
      ['new-0', 'new'],
    ]);
    expect(plan.vanished).toEqual([]);
    expect(hashed).toEqual([]);
  });

  it('recognises a moved file by size and content hash and keeps its id', async () => {
    const { plan, hashed } = await run([entry('/r/sub/renamed.jpg')], [stored('a', '/r/original.jpg')], { '/r/sub/renamed.jpg': 'h-a' });
    expect(plan.relocations).toEqual([{ id: 'a', entry: entry('/r/sub/renamed.jpg'), stale: false }]);
    expect(plan.toIndex).toEqual([]);
    expect(plan.vanished).toEqual([]);
    expect(hashed).toEqual(['/r/sub/renamed.jpg']);
  });

  it('marks files that are gone as vanished, and restores a missing file whose hash returns elsewhere', async () => {
    const { plan } = await run(
      [entry('/r/back.jpg')],
      [stored('gone', '/r/deleted.jpg', { size: 7 }), stored('m', '/elsewhere/old.jpg', { status: 'missing' }), stored('out', '/other-root/x.jpg')],
      { '/r/back.jpg': 'h-m' },
    );
    expect(plan.vanished).toEqual(['gone']);
    expect(plan.relocations.map((r) => r.id)).toEqual(['m']);
  });

  it('does not hash a new file when no vanished or missing row has its size', async () => {
    const { plan, hashed } = await run([entry('/r/new.jpg', 1)], [stored('gone', '/r/deleted.jpg', { size: 2 })]);
    expect(hashed).toEqual([]);
    expect(plan.toIndex.map((w) => w.reason)).toEqual(['new']);
    expect(plan.vanished).toEqual(['gone']);
  });

  it('leaves failed files alone unless asked to retry them', async () => {
    const failed = [stored('bad', '/r/bad.jpg', { status: 'error', model_id: null })];
    expect((await run([entry('/r/bad.jpg')], failed)).plan.toIndex).toEqual([]);
    expect((await run([entry('/r/bad.jpg')], failed, {}, true)).plan.toIndex.map((w) => w.id)).toEqual(['bad']);
  });
});
