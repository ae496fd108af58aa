/**
 * Frozen image backbones compared on this machine (2 threads, batch 16, the indexer's settings):
 *   bare        ONNX runs alone over tensors prepared beforehand,
 *   end to end  decode + preprocess (the app's prepareImage) + backbone, over full-size photos.
 * Usage: npx tsx bench/backbones.ts [--photos DIR] [--backbone ID]... (default: every spec in models/backbones)
 */
import { readdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { findBackbone, loadBackboneSpec, openBackbone, type BackboneSpec } from '../src/main/model/backbone.ts';
import { prepareImage } from '../src/main/model/preprocess.ts';
import { createSession } from '../src/main/model/providers.ts';
import { projectRoot, sharedDir } from '../src/main/paths.ts';
import { since } from './stats.ts';

const BATCH = 16;
const THREADS = 2;

const { values } = parseArgs({
  options: {
    photos: { type: 'string', default: join(sharedDir(), 'datasets', 'flickr8k-test-fullres') },
    backbone: { type: 'string', multiple: true },
  },
});
const ids =
  values.backbone ??
  readdirSync(join(projectRoot(), 'models', 'backbones'))
    .filter((name) => name.endsWith('.json'))
    .map((name) => name.slice(0, -'.json'.length));
const photos = readdirSync(values.photos!)
  .filter((name) => /\.(jpe?g|png)$/i.test(name))
  .sort()
  .map((name) => join(values.photos!, name));

async function runBatches(session: ort.InferenceSession, spec: BackboneSpec, tensors: Float32Array[]): Promise<void> {
  const { size } = spec.preprocess;
  for (let start = 0; start < tensors.length; start += BATCH) {
    const batch = tensors.slice(start, start + BATCH);
    const input = new Float32Array(batch.length * 3 * size * size);
    batch.forEach((tensor, i) => input.set(tensor, i * tensor.length));
    await session.run({ [spec.input]: new ort.Tensor('float32', input, [batch.length, 3, size, size]) });
  }
}

console.log(`${photos.length} photos from ${values.photos}; ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)}`);
for (const id of ids) {
  const spec = loadBackboneSpec(id);
  const session = await openBackbone(spec, findBackbone(spec), async (model) => (await createSession(model, ['cpu'], { intraOp: THREADS, spinWait: true })).session);
  const prepared = await Promise.all(photos.slice(0, BATCH).map(async (path) => (await prepareImage(path, spec.preprocess)).tensor));
  await runBatches(session, spec, prepared);

  let start = performance.now();
  const tensors: Float32Array[] = [];
  for (const path of photos) tensors.push((await prepareImage(path, spec.preprocess)).tensor);
  const prepareMs = since(start);
  start = performance.now();
  await runBatches(session, spec, tensors);
  const bareMs = since(start);
  const perSecond = (ms: number) => ((1000 * photos.length) / ms).toFixed(1);
  console.log(
    `${id}: bare ${perSecond(bareMs)} images/s (batch ${BATCH}, ${THREADS} threads); ` +
      `decode+preprocess ${(prepareMs / photos.length).toFixed(1)} ms/photo; end to end ${perSecond(prepareMs + bareMs)} photos/s`,
  );
  await session.release();
}
