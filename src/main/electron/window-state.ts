/** Remembers the window's size, position and maximized state between runs (zod-checked JSON in the app data folder). */
import { readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';

const WindowState = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(400).max(20000),
  height: z.number().int().min(300).max(20000),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof WindowState>;

const DEFAULT: WindowState = { width: 1280, height: 820, maximized: false };

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function windowStatePath(dataDir: string): string {
  return join(dataDir, 'window-state.json');
}

/** The saved state, or the default when there is none, it is unreadable, or it lies off every display now attached. */
export function loadWindowState(path: string, displays: readonly Rect[]): WindowState {
  let saved: WindowState;
  try {
    saved = WindowState.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return DEFAULT;
  }
  if (saved.x === undefined || saved.y === undefined) return saved;
  const { x, y } = saved;
  const visible = displays.some((d) => x + 100 > d.x && x < d.x + d.width - 100 && y >= d.y && y < d.y + d.height - 50);
  return visible ? saved : { width: saved.width, height: saved.height, maximized: saved.maximized };
}

export async function saveWindowState(path: string, state: WindowState): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(`${path}.tmp`, JSON.stringify(WindowState.parse(state)));
  await rename(`${path}.tmp`, path);
}
