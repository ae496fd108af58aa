import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding package.json: found by walking up from this file, so it works from src/ and from a bundle in out/. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Cannot find the Subspace project root (no package.json above the code).');
    dir = parent;
  }
  return dir;
}

/** Per-user data folder (library, thumbnails, model cache). SUBSPACE_HOME overrides it. */
export function appDataDir(): string {
  if (process.env.SUBSPACE_HOME) return resolve(process.env.SUBSPACE_HOME);
  const home = homedir();
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'Subspace');
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Subspace');
  return join(process.env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'subspace');
}

/** Where downloaded model files (the backbone, user-added models) are kept. */
export function modelCacheDir(): string {
  return join(appDataDir(), 'models');
}

/** The read-only material beside a developer checkout (`../shared`); absent on a user's machine. */
export function sharedDir(): string {
  return resolve(process.env.SUBSPACE_SHARED ?? join(projectRoot(), '..', 'shared'));
}
