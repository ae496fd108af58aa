/**
 * A photo folder holding a subfolder the app may not read must never take the app down: the real
 * `subspace serve` is run as an unprivileged user (root reads everything, so as root the server is started
 * as `nobody`), the folder is added, and the server must stay up, report the subfolder, restart with the
 * folder saved, and let the folder be removed.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmod, chown, mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../paths.ts';
import { createTestLibrary, type TestLibrary } from '../service/test-library.ts';

const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;
const lib = await createTestLibrary();

interface Server {
  child: ChildProcess;
  origin: string;
  token: string;
  exited: Promise<number | null>;
}

async function chownTree(path: string, uid: number): Promise<void> {
  await chown(path, uid, uid);
  if (!(await stat(path)).isDirectory()) return;
  for (const entry of await readdir(path)) await chownTree(join(path, entry), uid);
}

const bin = join(projectRoot(), 'bin', 'subspace.js');
/** Runs as the unprivileged user, with its own app data folder. */
const asUser = (library: TestLibrary) => ({
  env: { ...process.env, SUBSPACE_HOME: join(library.root, 'home') },
  ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
});

function startServe(library: TestLibrary): Promise<Server> {
  const child = spawn(process.execPath, [bin, 'serve', '--json', '--library', library.dataDir], { ...asUser(library), stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((l) => l.includes('"listening"'));
      if (line) {
        const { origin, token } = JSON.parse(line) as { origin: string; token: string };
        resolve({ child, origin, token, exited });
      }
    });
    void exited.then((code) => reject(new Error(`subspace serve exited with ${code} before listening: ${stderr}`)));
  });
}

function cli(library: TestLibrary, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args, '--library', library.dataDir], { ...asUser(library), timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function call(server: Server, method: string, body: object = {}): Promise<{ ok: boolean; result?: unknown; error?: { message: string } }> {
  const response = await fetch(`${server.origin}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
    body: JSON.stringify(body),
  });
  return (await response.json()) as { ok: boolean; result?: unknown; error?: { message: string } };
}

/** True when the process is still running after `ms`. */
async function survives(server: Server, ms: number): Promise<boolean> {
  const outcome = await Promise.race([server.exited.then(() => 'exited'), new Promise((r) => setTimeout(() => r('alive'), ms))]);
  return outcome === 'alive';
}

async function stop(server: Server): Promise<void> {
  if (server.child.exitCode === null) server.child.kill('SIGTERM');
  await server.exited;
}

interface FolderItem {
  path: string;
  status: string;
  problems: { path: string; reason: string }[];
}

describe.skipIf(!lib)('a photo folder with an unreadable subfolder', () => {
  const locked = () => join(lib!.photosDir, 'locked');

  beforeAll(async () => {
    await mkdir(join(lib!.root, 'home'));
    await mkdir(locked());
    if (asRoot) {
      await chownTree(lib!.root, NOBODY);
      await chown(locked(), 0, 0);
      await chmod(locked(), 0o700);
    } else {
      await chmod(locked(), 0o000);
    }
  });

  afterAll(async () => {
    await chmod(locked(), 0o700).catch(() => {});
    await lib?.cleanup();
  });

  it('keeps the server up, reports the subfolder, survives a restart, and the folder can be removed from the command line', async () => {
    const first = await startServe(lib!);
    try {
      expect(await call(first, 'folders.add', { kind: 'photos', path: lib!.photosDir })).toMatchObject({ ok: true });
      expect(await survives(first, 3000)).toBe(true);
      const listed = (await call(first, 'folders.list')).result as { items: FolderItem[] };
      expect(listed.items).toHaveLength(1);
      expect(listed.items[0]!.problems).toEqual([expect.objectContaining({ path: locked(), reason: expect.stringMatching(/permission/i) })]);
    } finally {
      await stop(first);
    }

    const second = await startServe(lib!);
    try {
      expect(await survives(second, 3000)).toBe(true);
      expect(((await call(second, 'folders.list')).result as { items: FolderItem[] }).items).toHaveLength(1);
    } finally {
      await stop(second);
    }

    const removed = await cli(lib!, ['folders', 'remove', lib!.photosDir]);
    expect(removed, removed.stderr).toMatchObject({ code: 0 });
    expect(removed.stdout).toContain(`Removed photos folder ${lib!.photosDir}`);
    expect((await cli(lib!, ['folders'])).stdout).toContain('No folders yet');
  }, 90_000);
});
