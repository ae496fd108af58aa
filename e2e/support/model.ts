/**
 * The model the end-to-end suite runs with. SUBSPACE_E2E_MODEL names a model folder (e.g. a tiny model while
 * the shipped one is retrained). Otherwise the shipped model, where its backbone is on this machine
 * (../shared, SUBSPACE_BACKBONE, or the user's model cache, where `npm install` fetches it); the server runs
 * with a library folder of its own as its home, so it is given the backbone's path. Without the backbone (a
 * fresh clone offline) a tiny CLIP-shaped model made here runs instead, so the suite still runs; under
 * CI=true the missing backbone fails the run.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { findBackbone, loadBackboneSpec } from '../../src/main/model/backbone.ts';
import { skipForMissingData } from '../../src/main/model/testing/shared-data.ts';
import { writeSmallClipMerges } from '../../src/main/model/testing/small-clip-merges.ts';
import { writeTinyClipModel } from '../../src/main/model/testing/tiny-clip.ts';

type SuiteModel = { kind: 'shipped'; backbone: string } | { kind: 'named'; dir: string } | { kind: 'tiny' };

function chooseModel(): SuiteModel {
  if (process.env.SUBSPACE_E2E_MODEL) return { kind: 'named', dir: resolve(process.env.SUBSPACE_E2E_MODEL) };
  try {
    return { kind: 'shipped', backbone: findBackbone(loadBackboneSpec('mobilenetv2-12-int8')) };
  } catch (error) {
    skipForMissingData('the shipped model in the end-to-end tests (a tiny test model runs instead)', (error as Error).message);
    return { kind: 'tiny' };
  }
}

const model = chooseModel();

/** Search-quality checks judge the shipped model. */
export const usesShippedModel = model.kind === 'shipped';

/** What the server's environment needs for the model. */
export const serverEnv: Record<string, string> = model.kind === 'shipped' ? { SUBSPACE_BACKBONE: model.backbone } : {};

/** Points a new library at the suite's model before its first start, as the Settings screen would. */
export async function useSuiteModel(libraryDir: string): Promise<void> {
  if (model.kind === 'shipped') return;
  const dir = model.kind === 'named' ? model.dir : await writeTinyModel(join(libraryDir, 'tiny-clip-model'));
  await mkdir(libraryDir, { recursive: true });
  await writeFile(join(libraryDir, 'settings.json'), JSON.stringify({ model: { kind: 'manifest', path: dir } }));
}

async function writeTinyModel(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  writeTinyClipModel(dir, writeSmallClipMerges(dir));
  return dir;
}
