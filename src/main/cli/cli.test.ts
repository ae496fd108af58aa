/** The real `subspace` binary, run as a user runs it. */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestLibrary } from '../service/test-library.ts';
import { jsonLines, subspace } from './testing/subspace-process.ts';

describe('subspace command line', () => {
  it('prints help, and refuses unknown commands and options with exit code 2', async () => {
    const help = await subspace(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('subspace <command>');
    const unknown = await subspace(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    const option = await subspace(['search', 'x', '--colour', 'red']);
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/--colour/);
  });
});

const lib = await createTestLibrary();

describe('subspace on a real library', () => {
  const library = () => ['--library', lib.dataDir];

  beforeAll(async () => {
    const indexed = await subspace(['index', lib.photosDir, '--notes', lib.notesDir, '--json', ...library()]);
    expect(indexed.code, indexed.stderr).toBe(0);
    const summary = jsonLines(indexed.stdout).find((line) => line.type === 'summary');
    expect(summary).toMatchObject({
      phase: 'done',
      failed: 1,
      changes: { added: 6, updated: 0, removed: 0 },
      library: { photoCount: 4, noteCount: 2 },
      failures: [{ path: join(lib.photosDir, 'corrupt.jpg') }],
    });
  });

  afterAll(async () => {
    await lib.cleanup();
  });

  it('searches with --limit and --json, one JSON object a line', async () => {
    const run = await subspace(['search', 'red cliffs at sunset', '--limit', '2', '--json', ...library()]);
    expect(run.code, run.stderr).toBe(0);
    const lines = jsonLines(run.stdout);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ type: 'photo', path: expect.stringContaining(lib.photosDir), score: expect.any(Number) });
  });

  it('links a photo to a note by path, then shows it first for the photo', async () => {
    const photo = join(lib.photosDir, 'green.jpg');
    const note = join(lib.notesDir, 'groceries.txt');
    const linked = await subspace(['link', photo, note, ...library()]);
    expect(linked.code, linked.stderr).toBe(0);
    expect(linked.stdout).toContain('Linked');
    const notes = await subspace(['notes-for', photo, '--json', ...library()]);
    expect(jsonLines(notes.stdout)[0]).toMatchObject({ type: 'note', linked: true, path: note });
  });

  it('says clearly when a path is not in the library, with exit code 1', async () => {
    const run = await subspace(['similar', join(lib.root, 'elsewhere.jpg'), ...library()]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('is not a photo in the library');
    const limit = await subspace(['search', 'x', '--limit', 'many', ...library()]);
    expect(limit.code).toBe(2);
  });

  it('refuses what was typed wrong with exit code 2, in words, with the details under --verbose', async () => {
    const empty = await subspace(['search', '', ...library()]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('a search needs some words');
    const blank = await subspace(['search', '   ', ...library()]);
    expect(blank.code).toBe(2);
    const bad = await subspace(['search', 'x', '--from', '2021-02-30', ...library()]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('subspace: The start date must be a date like 2024-05-31, not “2021-02-30”.\nRun it again with --verbose for the details.\n');
    const verbose = await subspace(['search', 'x', '--from', '2021-02-30', '--verbose', ...library()]);
    expect(verbose.code).toBe(2);
    expect(verbose.stderr).toContain('details: Invalid request for search.text: filters.dateFrom: Invalid ISO date');
    const json = await subspace(['search', 'x', '--from', '2021-02-30', '--json', ...library()]);
    expect(jsonLines(json.stdout)[0]).toMatchObject({ type: 'error', code: 'bad_request', detail: expect.stringContaining('Invalid ISO date') });
  });

  it('says "Nothing new" when index runs again over unchanged folders, with what the library holds', async () => {
    const again = await subspace(['index', lib.photosDir, '--notes', lib.notesDir, ...library()]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Nothing new: 4 photos and 2 notes are up to date.');
    expect(again.stdout).toContain('1 file could not be read in an earlier run: left alone until changed.');
    expect(again.stdout).not.toContain('skipped');
  });

  it('expands ~ in paths it is given', async () => {
    const run = await subspace(['similar', '~/green.jpg', '--folder=~/', ...library()], { HOME: lib.photosDir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('reports status as JSON', async () => {
    const run = await subspace(['status', '--json', ...library()]);
    expect(run.code, run.stderr).toBe(0);
    expect(jsonLines(run.stdout)[0]).toMatchObject({
      type: 'status',
      facets: { photoCount: 4, noteCount: 2 },
      model: { status: 'ready', modelId: 'tiny-clip-test' },
    });
  });
});

describe('subspace on a library that is not there', () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'subspace-nolib-'));
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('a mistyped --library is an error (exit 2) that says how to create one, and nothing is created', async () => {
    const typo = join(home, 'libary');
    for (const command of [['search', 'dogs'], ['status'], ['folders'], ['link', '/a.jpg', '/b.md']]) {
      const run = await subspace([...command, '--library', typo]);
      expect(run.code, command.join(' ')).toBe(2);
      expect(run.stderr).toBe(
        `subspace: There is no Subspace library at ${typo}. Check the path, or create a library there with \`subspace index <folder> --library ${typo}\`.\n`,
      );
      expect(run.stdout).toBe('');
    }
    expect(existsSync(typo)).toBe(false);
  });

  it('without --library and no library yet, says where it looked and how to start (exit 1)', async () => {
    const run = await subspace(['search', 'dogs'], { SUBSPACE_HOME: join(home, 'fresh') });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`There is no library yet (looked in ${join(home, 'fresh')}). Create one with \`subspace index <folder>\``);
  });

  it('index creates the library where --library points', async () => {
    const photos = join(home, 'empty-photos');
    await mkdir(photos);
    const run = await subspace(['index', photos, '--library', join(home, 'new-library')]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Found no photos or notes to index in those folders.');
    expect(existsSync(join(home, 'new-library', 'library'))).toBe(true);
  });
});

describe('subspace model fetch', () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'subspace-home-'));
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('downloads the missing backbone into the model cache, or says clearly why it cannot (exit code 1)', async () => {
    const run = await subspace(['model', 'fetch', '--json'], { SUBSPACE_HOME: home, SUBSPACE_SHARED: join(home, 'no-shared'), SUBSPACE_BACKBONE: '' });
    if (run.code === 0) {
      const done = jsonLines(run.stdout).find((line) => line.type === 'backbone');
      expect(done).toMatchObject({ downloaded: true, path: expect.stringContaining(join(home, 'models')) });
    } else {
      // Offline (as here): the message says what failed and what to do instead.
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('Could not download the image backbone');
      expect(run.stderr).toContain('SUBSPACE_BACKBONE');
    }
  });
});
