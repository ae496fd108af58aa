import { homedir } from 'node:os';
import { join } from 'node:path';

/** `~` and `~/…` name the home folder of the user running Subspace (as a shell does); any other path is left alone. */
export function expandHome(path: string, home: string = homedir()): string {
  if (path === '~') return home;
  if (path.startsWith('~/') || (process.platform === 'win32' && path.startsWith('~\\'))) return join(home, path.slice(2));
  return path;
}
