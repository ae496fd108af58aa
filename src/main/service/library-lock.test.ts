import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LibraryLockedError, lockLibrary, readHolder } from './library-lock.ts';

describe('the writer lock of a data folder', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'subspace-lock-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('lets one holder in, names it to the next, and is free again once released', async () => {
    const first = await lockLibrary(dataDir, 'subspace index');
    const refused = await lockLibrary(dataDir, 'subspace serve').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(LibraryLockedError);
    expect((refused as LibraryLockedError).holder).toMatchObject({ name: 'subspace index', pid: process.pid, host: hostname() });
    expect((refused as Error).message).toMatch(/being written by subspace index \(process \d+, since /);
    await first.release();
    expect(existsSync(join(dataDir, 'writer.lock'))).toBe(false);
    expect(await readHolder(dataDir)).toBeNull();
    const second = await lockLibrary(dataDir, 'subspace serve');
    expect(await readHolder(dataDir)).toMatchObject({ name: 'subspace serve' });
    await second.release();
  });

  it('takes over a lock whose holder is no longer running, once the lock is stale', async () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    await mkdir(join(dataDir, 'writer.lock'));
    await writeFile(join(dataDir, 'writer.json'), JSON.stringify({ name: 'subspace index', pid: gone, host: hostname(), since: new Date().toISOString() }));
    const started = Date.now();
    const lock = await lockLibrary(dataDir, 'subspace serve');
    expect(Date.now() - started).toBeGreaterThan(5_000);
    expect(await readHolder(dataDir)).toMatchObject({ name: 'subspace serve', pid: process.pid });
    await lock.release();
  });
});
