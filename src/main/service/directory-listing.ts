/**
 * The folders inside a folder, for browser mode's folder browser (the desktop app uses the system's dialog).
 * Folders only, never files; a folder that cannot be read is reported in words, never passed over in silence.
 */
import { constants, type Dirent } from 'node:fs';
import { access, readdir, stat } from 'node:fs/promises';
import { homedir, userInfo } from 'node:os';
import { dirname, join, parse, resolve, sep } from 'node:path';
import type { DirectoryEntry, DirectoryListing, Place } from '../../shared/dto.ts';
import { ApiError } from '../../shared/errors.ts';
import { describeFsError } from '../fs-words.ts';
import { expandHome } from '../user-path.ts';

/** The most folders one listing holds; a folder with more says it was cut short. */
export const MAX_LISTED_FOLDERS = 5000;

export interface ListOptions {
  showHidden: boolean;
  /** The home folder `~` stands for (the user running the service unless a test says otherwise). */
  home?: string;
}

export async function listDirectories(input: string | undefined, options: ListOptions): Promise<DirectoryListing> {
  const home = options.home ?? homedir();
  const path = resolve(expandHome(input ?? '~', home));
  const base = { path, parent: parentOf(path), crumbs: crumbsOf(path), places: await placesFor(home) };
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    const worded = describeFsError(error, path);
    if (isPermission(error)) return { ...base, entries: [], hiddenCount: 0, truncated: false, problem: worded.message, problemDetail: worded.detail };
    throw new ApiError('not_found', worded.message, undefined, worded.detail);
  }
  if (!info.isDirectory()) throw new ApiError('bad_request', `${path} is a file, not a folder.`);
  let dirents: Dirent[];
  try {
    dirents = await readdir(path, { withFileTypes: true });
  } catch (error) {
    const worded = describeFsError(error, path);
    return { ...base, entries: [], hiddenCount: 0, truncated: false, problem: worded.message, problemDetail: worded.detail };
  }
  const all = (await Promise.all(dirents.map((dirent) => entryOf(path, dirent)))).filter((entry): entry is DirectoryEntry => entry !== null);
  const shown = options.showHidden ? all : all.filter((entry) => !entry.hidden);
  shown.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true, sensitivity: 'base' }));
  return {
    ...base,
    entries: shown.slice(0, MAX_LISTED_FOLDERS),
    hiddenCount: all.length - shown.length,
    truncated: shown.length > MAX_LISTED_FOLDERS,
    problem: null,
    problemDetail: null,
  };
}

/** A folder (or a link to one) as an entry; null for files and for links that lead nowhere. */
async function entryOf(parent: string, dirent: Dirent): Promise<DirectoryEntry | null> {
  const path = join(parent, dirent.name);
  if (!dirent.isDirectory()) {
    if (!dirent.isSymbolicLink()) return null;
    const target = await stat(path).catch(() => null);
    if (!target?.isDirectory()) return null;
  }
  const readable = await access(path, constants.R_OK | constants.X_OK).then(
    () => true,
    () => false,
  );
  return { name: dirent.name, path, hidden: dirent.name.startsWith('.'), readable };
}

function isPermission(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'EACCES' || code === 'EPERM';
}

function parentOf(path: string): string | null {
  const parent = dirname(path);
  return parent === path ? null : parent;
}

function crumbsOf(path: string): DirectoryListing['crumbs'] {
  const { root } = parse(path);
  const crumbs = [{ name: root, path: root }];
  let at = root;
  for (const part of path.slice(root.length).split(sep).filter(Boolean)) {
    at = join(at, part);
    crumbs.push({ name: part, path: at });
  }
  return crumbs;
}

const COMMON: readonly { name: string; kind: Place['kind'] }[] = [
  { name: 'Pictures', kind: 'pictures' },
  { name: 'Documents', kind: 'documents' },
  { name: 'Desktop', kind: 'desktop' },
  { name: 'Downloads', kind: 'downloads' },
];

/** Home, the usual folders in it that exist, mounted drives, and the top of the disk. */
async function placesFor(home: string): Promise<Place[]> {
  const places: Place[] = [{ name: 'Home', path: home, kind: 'home' }];
  for (const common of COMMON) {
    const path = join(home, common.name);
    if (await isDirectory(path)) places.push({ name: common.name, path, kind: common.kind });
  }
  for (const path of await drives()) places.push({ name: parse(path).base, path, kind: 'drive' });
  const { root } = parse(home);
  places.push({ name: process.platform === 'win32' ? root : 'Computer', path: root, kind: 'root' });
  return places;
}

/** Where removable and extra drives are mounted: /Volumes on macOS, /media/<user>, /run/media/<user> and /mnt elsewhere. */
async function drives(): Promise<string[]> {
  if (process.platform === 'win32') return [];
  const user = safeUserName();
  const mountDirs = process.platform === 'darwin' ? ['/Volumes'] : [...(user ? [`/media/${user}`, `/run/media/${user}`] : []), '/mnt'];
  const found: string[] = [];
  for (const dir of mountDirs) {
    const names = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const dirent of names) if (dirent.isDirectory() && !dirent.name.startsWith('.')) found.push(join(dir, dirent.name));
  }
  return found.slice(0, 20);
}

function safeUserName(): string | null {
  try {
    return userInfo().username;
  } catch {
    return null;
  }
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isDirectory(),
    () => false,
  );
}
