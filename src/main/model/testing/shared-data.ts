import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDir } from '../../paths.ts';
import { findBackbone, loadBackboneSpec } from '../backbone.ts';

/**
 * Says that checks needing absent data are skipped. Only model-quality checks (the real backbone, Flickr 8k,
 * OpenAI's CLIP merges) may need data from outside the repository. Under CI=true, where ../shared is present,
 * it throws instead, so a skip cannot hide a check that never ran.
 */
export function skipForMissingData(skipped: string, reason: string): void {
  if (process.env.CI === 'true') throw new Error(`${skipped} cannot run, and under CI=true missing data fails the run: ${reason}`);
  console.warn(`[skip] ${skipped}: ${reason}`);
}

/** Paths into `../shared` for the model-quality checks; each is undefined on a fresh clone without it. */
export function sharedPath(...parts: string[]): string | undefined {
  const path = join(sharedDir(), ...parts);
  if (existsSync(path)) return path;
  skipForMissingData(`tests that need ${path}`, 'it is absent (no ../shared beside this checkout).');
  return undefined;
}

/** Whether the embedded model's backbone is on this machine; says that `skipped` is skipped when it is not. */
export function embeddedBackboneFound(skipped: string): boolean {
  try {
    findBackbone(loadBackboneSpec('mobilenetv2-12-int8'));
    return true;
  } catch (error) {
    skipForMissingData(skipped, (error as Error).message);
    return false;
  }
}
