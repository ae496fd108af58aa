/**
 * One writer per library: `subspace` processes, `subspace serve` and in-process services on the same data folder
 * at once, each file stored once.
 */
import { existsSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openService, type Service } from '../service.ts';
import { createTestLibrary, type TestLibrary } from '../service/test-library.ts';
import { serve, subspace, type Serving } from './testing/subspace-process.ts';

/** Photos in the test library (besides a corrupt file); `addPhotos` adds EXTRA, enough that two runs overlap. */
const PHOTOS = 4;
const EXTRA = 40;

async function addPhotos(dir: string): Promise<void> {
  await mkdir(join(dir, 'more'), { recursive: true });
  for (let i = 0; i < EXTRA; i++) {
    const background = { r: (i * 37) % 256, g: (i * 91) % 256, b: (i * 53) % 256 };
    await sharp({ create: { width: 48, height: 32, channels: 3, background } }).jpeg().toFile(join(dir, 'more', `${i}.jpg`));
  }
}

async function call<T>(server: Serving, method: string, request: unknown = {}): Promise<T> {
  const reply = await fetch(`${server.origin}/api/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  const envelope = (await reply.json()) as { ok: boolean; result: T };
  expect(envelope).toMatchObject({ ok: true });
  return envelope.result;
}

const probe = await createTestLibrary();
await probe?.cleanup();

describe.skipIf(!probe)('one writer per library', { timeout: 900_000 }, () => {
  let lib: TestLibrary;
  const library = () => ['--library', lib.dataDir];
  /** Photos stored, as a reader counts them: a file stored twice counts twice. */
  const photoCount = async () => {
    const reader = await openService({ dataDir: lib.dataDir, watch: false, readOnly: true });
    try {
      const facets = await reader.dispatch('library.facets', {});
      return facets.ok ? (facets.result as { photoCount: number }).photoCount : facets.error.message;
    } finally {
      await reader.close();
    }
  };

  beforeEach(async () => {
    lib = (await createTestLibrary())!;
  });

  afterEach(async () => {
    await lib.cleanup();
  });

  it('two `subspace index` at once on a fresh library store each file once; the one kept out says who writes', async () => {
    await addPhotos(lib.photosDir);
    const runs = await Promise.all([1, 2].map(() => subspace(['index', lib.photosDir, ...library()])));
    for (const run of runs) {
      if (run.code === 0) expect(run.stdout).toContain(`Added ${PHOTOS + EXTRA} files; 1 could not be read.`);
      else {
        expect(run.code, run.stderr).toBe(3);
        expect(run.stderr).toMatch(/being written by subspace index \(process \d+/);
      }
    }
    expect(runs.some((run) => run.code === 0)).toBe(true);
    expect(await photoCount()).toBe(PHOTOS + EXTRA);
  });

  it('`subspace index` while `subspace serve` runs hands the work to the server: no conflict, each file once', async () => {
    const server = await serve(lib.dataDir);
    try {
      const announced = await stat(join(lib.dataDir, 'server.json'));
      expect(announced.mode & 0o777).toBe(0o600);
      const run = await subspace(['index', lib.photosDir, '--notes', lib.notesDir, ...library()]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('subspace serve');
      expect(run.stdout).toContain(`Added ${PHOTOS + 2} files; 1 could not be read.\nThe library has ${PHOTOS} photos and 2 notes.`);
      const folders = await call<{ items: { kind: string; path: string }[] }>(server, 'folders.list');
      expect(folders.items.map((f) => f.kind).sort()).toEqual(['notes', 'photos']);
      const facets = await call<{ photoCount: number; noteCount: number }>(server, 'library.facets');
      expect(facets).toMatchObject({ photoCount: PHOTOS, noteCount: 2 });
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(existsSync(join(lib.dataDir, 'server.json'))).toBe(false);
  });

  it('takes over the lock of a writer that was killed', async () => {
    const server = await serve(lib.dataDir);
    server.process.kill('SIGKILL');
    await new Promise((resolve) => server.process.once('exit', resolve));
    expect(existsSync(join(lib.dataDir, 'writer.lock'))).toBe(true);
    const run = await subspace(['index', lib.photosDir, ...library()]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toContain('subspace serve');
    expect(run.stdout).toContain(`Added ${PHOTOS} files; 1 could not be read.`);
    expect(await photoCount()).toBe(PHOTOS);
  });

  it('a reader sees what the writer committed after the reader opened', async () => {
    let writer: Service | undefined;
    let reader: Service | undefined;
    try {
      writer = await openService({ dataDir: lib.dataDir, watch: false });
      reader = await openService({ dataDir: lib.dataDir, watch: false, readOnly: true });
      await writer.dispatch('folders.add', { kind: 'photos', path: lib.photosDir });
      await writer.indexingSettled();
      const listed = await reader.dispatch('photos.list', {});
      expect(listed).toMatchObject({ ok: true, result: { total: PHOTOS } });
      const found = await reader.dispatch('search.text', { query: 'a red photo', limit: 100 });
      expect(found.ok && (found.result as { items: unknown[] }).items).toHaveLength(PHOTOS);
    } finally {
      await reader?.close();
      await writer?.close();
    }
  });
});
