/**
 * Turns Flickr 8k into what training/ reads, through the app's own code paths:
 *   features  — every photo through src/main/model's preprocessing and the frozen backbone (and its mirror image),
 *               so the features the model is trained on are exactly the ones the app computes at inference;
 * Usage: npx tsx training/prepare.ts features [--dataset DIR] [--out DIR] [--backbone ID] [--outputs a,b]
 * `features` writes one float16 .npy per backbone output (models/backbones/<ID>.json) and its `_flip` twin.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { findBackbone, loadBackboneSpec, openBackbone } from '../src/main/model/backbone.ts';
import { flipHorizontal, prepareImage } from '../src/main/model/preprocess.ts';
import { createSession } from '../src/main/model/providers.ts';
import { sharedDir } from '../src/main/paths.ts';
import { Float16NpyWriter } from './npy.ts';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    dataset: { type: 'string', default: join(sharedDir(), 'datasets', 'flickr8k') },
    out: { type: 'string', default: resolve('training/.cache/flickr8k') },
    backbone: { type: 'string', default: 'mobilenetv2-12-int8' },
    outputs: { type: 'string' },
    batch: { type: 'string', default: '32' },
  },
});
const dataset = resolve(values.dataset!);
const out = resolve(values.out!);
if (!existsSync(join(dataset, 'Flickr8k.token.txt'))) {
  console.error(`Flickr 8k not found at ${dataset} (no Flickr8k.token.txt). Pass --dataset DIR.`);
  process.exit(2);
}
mkdirSync(out, { recursive: true });

async function features(): Promise<void> {
  const spec = loadBackboneSpec(values.backbone!);
  const levels = values.outputs ? values.outputs.split(',') : Object.keys(spec.outputs);
  const unknown = levels.filter((level) => !(level in spec.outputs));
  if (unknown.length > 0) throw new Error(`${spec.id} has no output ${unknown.join(', ')} (it has ${Object.keys(spec.outputs).join(', ')})`);
  const backbone = await openBackbone(spec, findBackbone(spec), async (model) => (await createSession(model, ['cpu'], { intraOp: 2, spinWait: true })).session);
  const images = readdirSync(join(dataset, 'images'))
    .filter((name) => name.endsWith('.jpg'))
    .sort();
  writeFileSync(join(out, 'images.txt'), `${images.join('\n')}\n`);
  const size = spec.preprocess.size;
  const batchSize = Number(values.batch);
  const writers = new Map<string, Float16NpyWriter>();
  const started = Date.now();
  let next = prepareBatch(0);
  for (let start = 0; start < images.length; start += batchSize) {
    const tensors = await next;
    if (start + batchSize < images.length) next = prepareBatch(start + batchSize);
    for (const [suffix, batch] of [
      ['', tensors],
      ['_flip', tensors.map((t) => flipHorizontal(t, size))],
    ] as const) {
      const input = new Float32Array(batch.length * 3 * size * size);
      batch.forEach((t, i) => input.set(t, i * t.length));
      const result = await backbone.run({ [spec.input]: new ort.Tensor('float32', input, [batch.length, 3, size, size]) });
      for (const level of levels) {
        const tensor = result[level]!;
        const dims = level === 'pooled' ? [tensor.dims[1]!] : tensor.dims.slice(1);
        const name = `${level}${suffix}`;
        if (!writers.has(name)) writers.set(name, new Float16NpyWriter(join(out, `${name}.npy`), [images.length, ...dims]));
        const data = tensor.data as Float32Array;
        const row = data.length / batch.length;
        for (let i = 0; i < batch.length; i++) writers.get(name)!.append(data.subarray(i * row, (i + 1) * row));
      }
    }
    const done = Math.min(start + batchSize, images.length);
    process.stdout.write(`\rfeatures ${done}/${images.length} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
  for (const writer of writers.values()) writer.close();
  console.log(`\nwrote ${[...writers.keys()].join(', ')} to ${out}`);

  function prepareBatch(start: number): Promise<Float32Array[]> {
    return Promise.all(
      images.slice(start, start + batchSize).map(async (name) => (await prepareImage(join(dataset, 'images', name), spec.preprocess)).tensor),
    );
  }
}

const command = positionals[0];
if (command === 'features') await features();
else {
  console.error('usage: npx tsx training/prepare.ts features [--dataset DIR] [--out DIR] [--backbone ID] [--outputs a,b]');
  process.exit(2);
}
