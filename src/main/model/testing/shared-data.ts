import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDir } from '../../paths.ts';

/** Paths into `../shared` that tests use when present; each is undefined on a fresh clone without it. */
export function sharedPath(...parts: string[]): string | undefined {
  const path = join(sharedDir(), ...parts);
  if (existsSync(path)) return path;
  console.warn(`[skip] ${path} is absent (no ../shared beside this checkout): tests that need it are skipped.`);
  return undefined;
}
