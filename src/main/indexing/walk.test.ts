import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from './testing/fixtures.ts';
import { walkRoot } from './walk.ts';

const dir = tempDir('walk');
afterAll(dir.remove);

function touch(path: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, 'x');
}

describe('walkRoot', () => {
  it('lists photos, skips hidden and system folders, follows symlinks once and survives loops', async () => {
    const root = join(dir.path, 'photos');
    touch(join(root, 'a.jpg'));
    touch(join(root, 'deep', 'b.PNG'));
    touch(join(root, 'deep', 'notes.md'));
    touch(join(root, '.git', 'c.jpg'));
    touch(join(root, 'node_modules', 'd.jpg'));
    touch(join(root, '@eaDir', 'e.jpg'));
    touch(join(root, '.Trash-1000', 'f.jpg'));
    touch(join(root, '.hidden.jpg'));
    touch(join(dir.path, 'outside', 'g.webp'));
    symlinkSync(root, join(root, 'deep', 'loop'));
    symlinkSync(join(dir.path, 'outside'), join(root, 'linked'));
    symlinkSync(join(dir.path, 'nowhere'), join(root, 'dangling.jpg'));

    const { files, unreadable } = await walkRoot(root, 'photos');
    expect(files.map((f) => f.path.slice(root.length + 1)).sort()).toEqual(['a.jpg', 'deep/b.PNG', 'linked/g.webp']);
    expect(files.every((f) => f.root === root && f.size === 1)).toBe(true);
    expect(unreadable).toEqual([]);

    const notes = await walkRoot(root, 'notes');
    expect(notes.files.map((f) => f.path.slice(root.length + 1))).toEqual(['deep/notes.md']);
  });

  it('reports a root that does not exist as unreadable instead of empty', async () => {
    const result = await walkRoot(join(dir.path, 'unplugged-drive'), 'photos');
    expect(result.files).toEqual([]);
    expect(result.unreadable.map((u) => u.path)).toEqual([join(dir.path, 'unplugged-drive')]);
  });

  it('lists files whose name or folder name is not UTF-8 apart, showing the invalid bytes', async () => {
    const root = join(dir.path, 'latin1-names');
    touch(join(root, 'fine.md'));
    const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : Buffer.from(part))));
    writeFileSync(bytes(root, '/caf', [0xe9], '.md'), 'x');
    mkdirSync(bytes(root, '/r', [0xe9], 'sum', [0xe9]));
    writeFileSync(bytes(root, '/r', [0xe9], 'sum', [0xe9], '/plan.md'), 'xy');
    writeFileSync(bytes(root, '/ignored', [0xff], '.bin'), 'x');

    const { files, misnamed } = await walkRoot(root, 'notes');
    expect(files.map((f) => f.path)).toEqual([join(root, 'fine.md')]);
    expect(misnamed.map((f) => [f.path, f.size]).sort()).toEqual([
      [join(root, 'caf\\xE9.md'), 1],
      [join(root, 'r\\xE9sum\\xE9', 'plan.md'), 2],
    ]);
  });
});
