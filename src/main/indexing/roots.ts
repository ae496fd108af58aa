import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';
import { describeFsError } from '../fs-words.ts';
import type { RootKind, RootRow } from '../library/schema.ts';

export type RootErrorCode = 'not-found' | 'not-a-folder' | 'overlap';

/** A folder that cannot become a root; `code` lets the service pick its API error (bad_request / conflict). */
export class RootError extends Error {
  constructor(
    readonly code: RootErrorCode,
    message: string,
    /** The system's own words, when a file system call failed. */
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'RootError';
  }
}

/** True when `path` is `folder` or lies inside it. */
export function isWithin(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The root holding `path` (the deepest, should roots of different kinds nest). */
export function rootOf(path: string, roots: readonly RootRow[]): RootRow | undefined {
  return roots.filter((root) => isWithin(path, root.path)).sort((a, b) => b.path.length - a.path.length)[0];
}

/**
 * Checks a folder the user wants indexed and returns its real path. Refused: a path that does not exist or
 * is not a folder, and one that equals, contains or lies inside a root of the same kind (its files would
 * be indexed twice).
 */
export async function resolveNewRoot(kind: RootKind, path: string, existing: readonly RootRow[]): Promise<string> {
  if (!isAbsolute(path)) throw new RootError('not-found', `${path} is not a full path, like /home/ana/Pictures.`);
  const info = await stat(path).catch((error: unknown) => {
    const { message, detail } = describeFsError(error, path);
    throw new RootError('not-found', message, detail);
  });
  if (!info.isDirectory()) throw new RootError('not-a-folder', `${path} is a file, not a folder.`);
  const real = await realpath(path);
  for (const root of existing.filter((r) => r.kind === kind)) {
    if (root.path === real) throw new RootError('overlap', `${real} is already a ${kind} folder.`);
    if (isWithin(real, root.path)) throw new RootError('overlap', `${real} is inside the ${kind} folder ${root.path}.`);
    if (isWithin(root.path, real)) throw new RootError('overlap', `${real} contains the ${kind} folder ${root.path}; remove that one first.`);
  }
  return real.endsWith(sep) && real.length > 1 ? real.slice(0, -1) : real;
}
