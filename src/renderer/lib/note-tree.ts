/** The note list as folders: each notes root, its subfolders and notes, sorted by name as a file manager does. */
import type { NoteSummary } from '../../shared/dto.ts';

export interface FolderNode {
  /** Absolute path of the folder. */
  path: string;
  name: string;
  /** Notes root this folder belongs to. */
  root: string;
  /** Folders above it, up to and including the root (outermost first). */
  ancestors: string[];
  folders: FolderNode[];
  notes: NoteSummary[];
}

const byName = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function fileName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** `folders` are the notes roots (also shown when empty); a note outside every root is left out. */
export function buildNoteTree(roots: readonly string[], notes: readonly NoteSummary[]): FolderNode[] {
  const tops = [...roots].sort(byName.compare).map((root) => node(root, root, root, []));
  const nodes = new Map(tops.map((top) => [top.path, top]));
  // The longest root first, so a note lands in the innermost root that holds it.
  const ordered = [...tops].sort((a, b) => b.path.length - a.path.length);
  for (const note of notes) {
    const top = ordered.find((candidate) => note.folder === candidate.path || isInside(note.folder, candidate.path));
    if (!top) continue;
    let parent = top;
    const rest = note.folder.slice(top.path.length).split(/[\\/]/).filter(Boolean);
    let path = top.path;
    for (const part of rest) {
      path = `${path}${separatorOf(top.path)}${part}`;
      let child = nodes.get(path);
      if (!child) {
        child = node(path, part, top.path, [...parent.ancestors, parent.path]);
        nodes.set(path, child);
        parent.folders.push(child);
      }
      parent = child;
    }
    parent.notes.push(note);
  }
  for (const folder of nodes.values()) {
    folder.folders.sort((a, b) => byName.compare(a.name, b.name));
    folder.notes.sort((a, b) => byName.compare(fileName(a.path), fileName(b.path)));
  }
  return tops;
}

function node(path: string, name: string, root: string, ancestors: string[]): FolderNode {
  return { path, name: name === path ? fileName(path.replace(/[\\/]+$/, '')) || path : name, root, ancestors, folders: [], notes: [] };
}

function separatorOf(path: string): string {
  return path.includes('\\') && !path.includes('/') ? '\\' : '/';
}

function isInside(folder: string, root: string): boolean {
  const prefix = /[\\/]$/.test(root) ? root : `${root}${separatorOf(root)}`;
  return folder.startsWith(prefix);
}

/** Every folder of the tree, depth first: for the "new note" folder picker. */
export function allFolders(tree: readonly FolderNode[]): FolderNode[] {
  return tree.flatMap((folder) => [folder, ...allFolders(folder.folders)]);
}
