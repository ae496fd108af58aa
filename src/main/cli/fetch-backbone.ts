/**
 * Makes sure the frozen image backbone is on this machine: found where the app looks for it, or downloaded
 * into the model cache and verified. `--soft` (npm install) reports a failure in one line and exits 0.
 */
import { BackboneMissingError, downloadBackbone, findBackbone, loadBackboneSpec } from '../model/backbone.ts';

const soft = process.argv.includes('--soft');
const spec = loadBackboneSpec('mobilenetv2-12-int8');
try {
  console.log(`[subspace] image backbone: ${findBackbone(spec)}`);
} catch (error) {
  if (!(error instanceof BackboneMissingError)) throw error;
  const tty = process.stdout.isTTY;
  try {
    const path = await downloadBackbone(spec, (received, total) => {
      if (tty) process.stdout.write(`\r[subspace] downloading ${spec.file}: ${((100 * received) / total).toFixed(0)}%`);
    });
    console.log(`${tty ? '\n' : ''}[subspace] image backbone downloaded and verified: ${path}`);
  } catch (failure) {
    const why = failure instanceof Error ? (failure.cause instanceof Error ? failure.cause.message : failure.message) : String(failure);
    console.log(
      `[subspace] The image backbone could not be downloaded (${why}). Photo search needs it: run \`npx subspace model fetch\` ` +
        `when online, or download ${spec.url} and set SUBSPACE_BACKBONE to the file.`,
    );
    process.exitCode = soft ? 0 : 1;
  }
}
