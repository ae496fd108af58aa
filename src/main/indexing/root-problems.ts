import type { RootKind } from '../library/schema.ts';
import { isWithin } from './roots.ts';

export interface FolderProblem {
  path: string;
  reason: string;
}

/** Problems kept per kind: a folder with thousands of unreadable subfolders does not grow memory without end. */
const MAX_PER_KIND = 1000;

/**
 * What could not be read or watched under the roots (a subfolder of another user, a vanished disk, the
 * inotify limit), by kind and path. A full scan of a root replaces what is recorded under it, so a problem
 * that was fixed disappears at the next scan.
 */
export class RootProblems {
  private readonly byKind: Record<RootKind, Map<string, string>> = { photos: new Map(), notes: new Map() };

  record(kind: RootKind, problem: FolderProblem): void {
    const problems = this.byKind[kind];
    if (problems.size >= MAX_PER_KIND && !problems.has(problem.path)) return;
    problems.set(problem.path, problem.reason);
  }

  /** After a full scan of `roots`: forget what was recorded under them, then record what that scan found. */
  replaceUnder(kind: RootKind, roots: readonly string[], found: readonly FolderProblem[]): void {
    const problems = this.byKind[kind];
    for (const path of problems.keys()) if (roots.some((root) => isWithin(path, root))) problems.delete(path);
    for (const problem of found) this.record(kind, problem);
  }

  /** Problems under one root; those without a path (a watcher-wide failure) are listed under every root of the kind. */
  under(kind: RootKind, root: string): FolderProblem[] {
    return [...this.byKind[kind]]
      .filter(([path]) => path === '' || isWithin(path, root))
      .map(([path, reason]) => ({ path, reason }))
      .sort((a, b) => a.path.localeCompare(b.path));
  }
}
