import { describe, expect, it } from 'vitest';
import type { NoteSummary } from '../../shared/dto.ts';
import { allFolders, buildNoteTree } from './note-tree.ts';

function note(path: string): NoteSummary {
  const folder = path.slice(0, Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')));
  return { id: path, path, title: path, folder, modifiedAt: '2024-01-01T00:00:00.000Z', sizeBytes: 1 };
}

describe('buildNoteTree', () => {
  it('nests notes under their root and subfolders, sorted by name with numbers in order', () => {
    const tree = buildNoteTree(
      ['/home/me/Notes', '/work/Empty'],
      ['/home/me/Notes/b.md', '/home/me/Notes/trips/2024/Oslo.md', '/home/me/Notes/A.md', '/home/me/Notes/trips/day 10.md', '/home/me/Notes/trips/day 9.md', '/elsewhere/x.md'].map(note),
    );
    expect(tree.map((t) => t.name)).toEqual(['Notes', 'Empty']);
    const [notes, empty] = tree;
    expect(notes!.notes.map((n) => n.path)).toEqual(['/home/me/Notes/A.md', '/home/me/Notes/b.md']);
    const trips = notes!.folders[0]!;
    expect(trips).toMatchObject({ name: 'trips', path: '/home/me/Notes/trips', root: '/home/me/Notes', ancestors: ['/home/me/Notes'] });
    expect(trips.notes.map((n) => n.path)).toEqual(['/home/me/Notes/trips/day 9.md', '/home/me/Notes/trips/day 10.md']);
    expect(trips.folders[0]).toMatchObject({ name: '2024', ancestors: ['/home/me/Notes', '/home/me/Notes/trips'] });
    expect(empty!.notes).toEqual([]);
    expect(allFolders(tree).map((f) => f.path)).toEqual(['/home/me/Notes', '/home/me/Notes/trips', '/home/me/Notes/trips/2024', '/work/Empty']);
  });

  it('puts a note in the innermost root, and handles Windows paths', () => {
    const tree = buildNoteTree(['C:\\Notes', 'C:\\Notes2'], [note('C:\\Notes\\sub\\a.md'), note('C:\\Notes2\\b.md')]);
    expect(tree[0]!.folders[0]).toMatchObject({ path: 'C:\\Notes\\sub', name: 'sub' });
    expect(tree[1]!.notes.map((n) => n.path)).toEqual(['C:\\Notes2\\b.md']);
  });
});
