import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { autostartEntry, autostartEntryPath, setLinuxAutostart } from './login-item.ts';
import { loadWindowState, saveWindowState } from './window-state.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'subspace-window-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const display = { x: 0, y: 0, width: 1920, height: 1080 };

describe('window state', () => {
  it('round-trips through disk', async () => {
    const path = join(dir, 'window-state.json');
    await saveWindowState(path, { x: 100, y: 80, width: 1000, height: 700, maximized: true });
    expect(loadWindowState(path, [display])).toEqual({ x: 100, y: 80, width: 1000, height: 700, maximized: true });
  });

  it('falls back to defaults for a missing or corrupt file, and drops a position off every display', async () => {
    const path = join(dir, 'window-state.json');
    expect(loadWindowState(path, [display])).toMatchObject({ width: 1280, height: 820 });
    await writeFile(path, '{"width": "wide"}');
    expect(loadWindowState(path, [display])).toMatchObject({ width: 1280, height: 820 });
    await saveWindowState(path, { x: 3000, y: 80, width: 1000, height: 700, maximized: false });
    expect(loadWindowState(path, [display])).toEqual({ width: 1000, height: 700, maximized: false });
    expect(loadWindowState(path, [display, { x: 1920, y: 0, width: 1920, height: 1080 }])).toMatchObject({ x: 3000 });
  });
});

describe('start at login on Linux', () => {
  it('writes and removes an XDG autostart entry that starts hidden', async () => {
    const before = process.env.XDG_CONFIG_HOME;
    process.env.XDG_CONFIG_HOME = dir;
    try {
      await setLinuxAutostart(true, '/opt/Subspace/sub space.AppImage');
      const entry = await readFile(autostartEntryPath(), 'utf8');
      expect(entry).toBe(autostartEntry('/opt/Subspace/sub space.AppImage'));
      expect(entry).toContain('Exec="/opt/Subspace/sub space.AppImage" --hidden');
      await setLinuxAutostart(false, '/opt/Subspace/sub space.AppImage');
      await expect(readFile(autostartEntryPath(), 'utf8')).rejects.toThrow(/ENOENT/);
    } finally {
      if (before === undefined) delete process.env.XDG_CONFIG_HOME;
      else process.env.XDG_CONFIG_HOME = before;
    }
  });
});
