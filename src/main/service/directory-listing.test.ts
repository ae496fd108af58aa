import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectoryListing } from '../../shared/dto.ts';
import { ApiError } from '../../shared/errors.ts';
import { projectRoot } from '../paths.ts';
import { expandHome } from '../user-path.ts';
import { listDirectories } from './directory-listing.ts';

const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

let root: string;
let home: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'subspace-dirs-'));
  await chmod(root, 0o755);
  home = join(root, 'home');
  for (const dir of ['Pictures/2021', 'Pictures/2022', 'Pictures/img10', 'Pictures/img9', 'Pictures/.thumbnails', 'Documents', 'locked/inner']) {
    await mkdir(join(home, dir), { recursive: true });
  }
  await writeFile(join(home, 'Pictures', 'photo.jpg'), 'not listed');
  await symlink(join(home, 'Documents'), join(home, 'Pictures', 'docs-link'));
  await symlink(join(home, 'gone'), join(home, 'Pictures', 'broken-link'));
  await chmod(join(home, 'locked'), 0o700);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('expandHome', () => {
  it('expands ~ and ~/… to the home folder and leaves every other path alone', () => {
    expect(expandHome('~', '/home/ana')).toBe('/home/ana');
    expect(expandHome('~/Pictures/2021', '/home/ana')).toBe('/home/ana/Pictures/2021');
    expect(expandHome('/srv/photos', '/home/ana')).toBe('/srv/photos');
    expect(expandHome('~ana/Pictures', '/home/ana')).toBe('~ana/Pictures');
    expect(expandHome('notes/~/x', '/home/ana')).toBe('notes/~/x');
  });
});

describe('listDirectories', () => {
  it('lists folders only (links to folders too), in natural order, with hidden ones left out and counted', async () => {
    const listing = await listDirectories('~/Pictures', { showHidden: false, home });
    expect(listing.path).toBe(join(home, 'Pictures'));
    expect(listing.parent).toBe(home);
    expect(listing.entries.map((e) => e.name)).toEqual(['2021', '2022', 'docs-link', 'img9', 'img10']);
    expect(listing.entries.every((e) => e.readable && !e.hidden)).toBe(true);
    expect(listing.hiddenCount).toBe(1);
    expect(listing.problem).toBeNull();
    expect(listing.truncated).toBe(false);
  });

  it('shows hidden folders when asked', async () => {
    const listing = await listDirectories(join(home, 'Pictures'), { showHidden: true, home });
    expect(listing.entries.find((e) => e.name === '.thumbnails')).toMatchObject({ hidden: true, readable: true });
    expect(listing.hiddenCount).toBe(0);
  });

  it('starts at home, gives breadcrumbs from the top of the disk, and the usual places that exist', async () => {
    const listing = await listDirectories(undefined, { showHidden: false, home });
    expect(listing.path).toBe(home);
    expect(listing.crumbs[0]).toEqual({ name: '/', path: '/' });
    expect(listing.crumbs.at(-1)).toEqual({ name: 'home', path: home });
    expect(listing.crumbs.map((c) => c.path).join(' ')).toContain(root);
    expect(listing.places.map((p) => p.kind)).toEqual(expect.arrayContaining(['home', 'pictures', 'documents', 'root']));
    expect(listing.places.find((p) => p.kind === 'desktop')).toBeUndefined();
    expect(listing.places.find((p) => p.kind === 'pictures')?.path).toBe(join(home, 'Pictures'));
  });

  it('answers not_found in words for a folder that is not there, and bad_request for a file', async () => {
    const missing = await listDirectories(join(home, 'Picturs'), { showHidden: false, home }).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(ApiError);
    expect(missing).toMatchObject({ code: 'not_found', message: `There is no folder at ${join(home, 'Picturs')}: check the spelling.` });
    expect((missing as ApiError).detail).toContain('ENOENT');
    const file = await listDirectories(join(home, 'Pictures', 'photo.jpg'), { showHidden: false, home }).catch((error: unknown) => error);
    expect(file).toMatchObject({ code: 'bad_request', message: `${join(home, 'Pictures', 'photo.jpg')} is a file, not a folder.` });
  });

  it.runIf(asRoot)('says so when this user may not read a folder, and marks such folders in the parent’s listing', async () => {
    // Root reads everything: list as the unprivileged user `nobody`, as a real user would meet it.
    const script = join(root, 'list.mts');
    await writeFile(
      script,
      `import { listDirectories } from ${JSON.stringify(join(projectRoot(), 'src/main/service/directory-listing.ts'))};\n` +
        `const [path, home] = process.argv.slice(2);\n` +
        `process.stdout.write(JSON.stringify(await listDirectories(path, { showHidden: false, home })));\n`,
    );
    const asNobody = async (path: string): Promise<DirectoryListing> =>
      new Promise((resolve, reject) => {
        execFile(
          process.execPath,
          ['--import', 'tsx', script, path, home],
          { uid: NOBODY, gid: NOBODY, cwd: projectRoot(), timeout: 60_000 },
          (error, stdout, stderr) => (error ? reject(new Error(stderr || String(error))) : resolve(JSON.parse(stdout) as DirectoryListing)),
        );
      });
    const parent = await asNobody(home);
    expect(parent.entries.find((e) => e.name === 'locked')).toMatchObject({ readable: false });
    expect(parent.entries.find((e) => e.name === 'Pictures')).toMatchObject({ readable: true });
    const locked = await asNobody(join(home, 'locked'));
    expect(locked.entries).toEqual([]);
    expect(locked.problem).toBe(`Subspace is not allowed to open ${join(home, 'locked')}: its permissions keep this user out.`);
    expect(locked.problemDetail).toContain('EACCES');
  });
});
