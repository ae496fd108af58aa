import { rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../indexing/testing/fixtures.ts';
import type { NoteScanState } from '../library/note-store.ts';
import { BacklinkIndex } from './backlinks.ts';

const dir = tempDir('backlinks');
afterAll(() => dir.remove());

function scanState(path: string, id: string): NoteScanState {
  const info = statSync(path);
  return { note_id: id, path, root: dir.path, size: info.size, mtime_ms: info.mtimeMs, hash: '', status: 'ok', model_id: null, missing_since: null, chunker: null };
}

describe('BacklinkIndex', () => {
  it('answers for thousands of notes from what it read once, and reads a note again only when it changed', async () => {
    const count = 3000;
    const notes = Array.from({ length: count }, (_, i) => {
      const path = join(dir.path, `Note ${i}.md`);
      // Every note links to the next two and to Note 0; one in ten also embeds a photo, which is no backlink.
      writeFileSync(path, `# Note ${i}\n\nSee [[Note ${(i + 1) % count}]] and [[note ${(i + 2) % count}|the one after]].\n[[Note 0#Top]]${i % 10 ? '' : ' ![[photo.jpg]]'}\n`);
      return scanState(path, `n${i}`);
    });
    const index = new BacklinkIndex();
    let started = performance.now();
    const first = await index.backlinks('n0', notes);
    const firstMs = performance.now() - started;
    expect(first).toHaveLength(count - 1);
    expect(first.slice(0, 2).map((b) => [b.noteId, b.count])).toEqual([
      ['n2998', 2],
      ['n2999', 2],
    ]);

    // Unchanged files are not read again: gone from disk, they still answer from memory.
    for (let i = 100; i < 200; i++) rmSync(notes[i]!.path);
    started = performance.now();
    const again = await index.backlinks('n150', notes);
    const againMs = performance.now() - started;
    expect(again.map((b) => b.noteId)).toEqual(['n148', 'n149']);
    console.log(`backlinks over ${count} notes: first ask ${firstMs.toFixed(0)} ms (reads every file), then ${againMs.toFixed(1)} ms`);

    writeFileSync(notes[148]!.path, '# Note 148\n\nNo links now.\n');
    notes[148] = scanState(notes[148]!.path, 'n148');
    expect((await index.backlinks('n150', notes)).map((b) => b.noteId)).toEqual(['n149']);
  });
});
