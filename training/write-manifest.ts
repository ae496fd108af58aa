/**
 * Writes `model.json` (the manifest the app loads) for an exported model folder from its
 * `training-report.json`, and `golden.json`: embeddings of fixed synthetic photos and captions computed
 * through the app's whole pipeline, which the tests compare against so later changes (a sharp or
 * tokenizer upgrade, a preprocessing edit) cannot silently change what the model sees.
 * Usage: npx tsx training/write-manifest.ts [--dir models/subspace-masan-v1]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadEmbedder } from '../src/main/model/embedder.ts';
import { ManifestSchema, manifestFileEntry } from '../src/main/model/manifest.ts';
import { GOLDEN_CAPTIONS, goldenImages } from '../src/main/model/testing/golden.ts';

const Report = z.object({
  model: z.string(),
  embedding_dim: z.number().int().positive(),
  test: z.record(z.string(), z.number()),
  dev: z.record(z.string(), z.number()),
  density_measure: z.string(),
  densities: z.record(z.string(), z.number()),
  heads: z.record(z.string(), z.unknown()),
  train_seconds: z.number(),
  train_machine: z.string(),
  ensemble: z.array(z.record(z.string(), z.unknown())),
  tokenizer: z.object({ file: z.string(), pad_id: z.number().int(), max_length: z.number().int() }),
  image_head: z.object({ file: z.string(), inputs: z.array(z.string()), output: z.string() }),
  text_tower: z.object({ file: z.string(), inputs: z.tuple([z.string(), z.string()]), output: z.string() }),
});

const { values } = parseArgs({ options: { dir: { type: 'string', default: 'models/subspace-masan-v1' } } });
const dir = resolve(values.dir!);
const report = Report.parse(JSON.parse(readFileSync(join(dir, 'training-report.json'), 'utf8')));
const round = (x: number) => Math.round(x * 100) / 100;
const files = [report.image_head.file, report.text_tower.file, report.tokenizer.file];

const manifest = ManifestSchema.parse({
  schema: 1,
  id: report.model,
  name: 'Subspace MASAN v1',
  description:
    'Photos and text in one 2-tower subspace (MASAN: adaptive scaling, multi-level text attention, cross-level ' +
    'injection) over a frozen MobileNetV2 backbone, trained on Flickr 8k. The embedded default model.',
  license:
    'Trained weights and tokenizer: MIT (this project). Trained on Flickr 8k (Hodosh, Young & Hockenmaier 2013; research ' +
    'use). Backbone: MobileNetV2 int8 from the ONNX Model Zoo, Apache-2.0, fetched separately and never bundled.',
  embeddingDim: report.embedding_dim,
  image: {
    backbone: 'mobilenetv2-12-int8',
    model: {
      file: report.image_head.file,
      inputs: Object.fromEntries(report.image_head.inputs.map((name) => [name, name])),
      output: report.image_head.output,
    },
  },
  text: {
    tokenizer: report.tokenizer.file,
    maxLength: report.tokenizer.max_length,
    padId: report.tokenizer.pad_id,
    model: { file: report.text_tower.file, ids: report.text_tower.inputs[0], mask: report.text_tower.inputs[1], idType: 'int64', output: report.text_tower.output },
  },
  files: Object.fromEntries(
    files.map((file) => {
      const bytes = readFileSync(join(dir, file));
      return [file, manifestFileEntry(bytes)];
    }),
  ),
  metrics: {
    flickr8k_test: Object.fromEntries(Object.entries(report.test).map(([k, v]) => [k, round(v)])),
    flickr8k_dev: Object.fromEntries(Object.entries(report.dev).map(([k, v]) => [k, round(v)])),
    information_density: { measure: report.density_measure, ...report.densities },
    heads: report.heads,
    ensemble_members: report.ensemble.length,
    train_seconds: Math.round(report.train_seconds),
    train_machine: report.train_machine,
  },
  notes: ['Metrics: Flickr 8k test split, 1,000 images x 5,000 captions, recall in percent (docs/model.md).'],
});
writeFileSync(join(dir, 'model.json'), `${JSON.stringify(manifest, null, 2)}\n`);

const embedder = await loadEmbedder({ modelDir: dir, providers: ['cpu'] });
const fixed = (vectors: Float32Array[]) => vectors.map((v) => Array.from(v, (x) => Number(x.toFixed(6))));
const golden = {
  description: 'Embeddings through the full app pipeline of src/main/model/testing/golden.ts inputs; see training/write-manifest.ts.',
  model: manifest.id,
  captions: GOLDEN_CAPTIONS,
  text: fixed(await embedder.embedTexts(GOLDEN_CAPTIONS)),
  images: fixed(await embedder.embedImages(await goldenImages())),
};
await embedder.close();
writeFileSync(join(dir, 'golden.json'), `${JSON.stringify(golden)}\n`);
console.log(`wrote ${join(dir, 'model.json')} and golden.json (test rSum ${round(report.test.rsum ?? Number.NaN)})`);
