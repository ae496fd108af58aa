/**
 * `npm run eval -- --dataset <flickr8k dir> --split test --json [--model <model dir>] [--concepts <file>]`
 * Embeds a Flickr 8k split through the app's own pipeline (sharp → backbone → head; tokenizer → text tower)
 * and prints the standard retrieval metrics. `--concepts` (e.g. training/heldout_concepts.txt) adds
 * text→image recall on the captions that mention one of those concepts: the held-out-concept protocol
 * (docs/model.md) compares a model trained without them against one trained with them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadEmbedder } from '../model/embedder.ts';
import { mentionsAny, readConceptGroups } from '../model/concept-groups.ts';
import { retrievalMetrics, textToImageRecall } from '../model/retrieval-metrics.ts';
import { sharedDir } from '../paths.ts';

const { values } = parseArgs({
  options: {
    dataset: { type: 'string', default: join(sharedDir(), 'datasets', 'flickr8k') },
    split: { type: 'string', default: 'test' },
    model: { type: 'string' },
    json: { type: 'boolean', default: false },
    concepts: { type: 'string' },
  },
});
const dataset = resolve(values.dataset!);
const splitFile = join(dataset, `${values.split}.txt`);
if (!existsSync(splitFile) || !existsSync(join(dataset, 'Flickr8k.token.txt'))) {
  console.error(`No Flickr 8k split "${values.split}" at ${dataset} (expected ${splitFile} and Flickr8k.token.txt).`);
  process.exit(2);
}

const started = performance.now();
const images = readFileSync(splitFile, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
const imageIndex = new Map(images.map((name, i) => [name, i]));
const captions: string[] = [];
const captionImage: number[] = [];
for (const line of readFileSync(join(dataset, 'Flickr8k.token.txt'), 'utf8').split('\n')) {
  const [key, caption] = line.split('\t');
  const index = imageIndex.get(key?.split('#')[0] ?? '');
  if (index === undefined || !caption) continue;
  captions.push(caption.trim());
  captionImage.push(index);
}

const embedder = await loadEmbedder(values.model ? { modelDir: resolve(values.model) } : {});
const imageVectors: Float32Array[] = [];
for (let start = 0; start < images.length; start += 32) {
  imageVectors.push(...(await embedder.embedImages(images.slice(start, start + 32).map((name) => join(dataset, 'images', name)))));
  if (!values.json) process.stderr.write(`\rimages ${imageVectors.length}/${images.length}`);
}
const captionVectors = await embedder.embedTexts(captions);
await embedder.close();

const metrics = retrievalMetrics(imageVectors, captionVectors, captionImage);
const groups = values.concepts ? readConceptGroups(resolve(values.concepts)) : undefined;
const heldout = groups
  ? textToImageRecall(imageVectors, captionVectors, captionImage, captions.flatMap((caption, j) => (mentionsAny(caption, groups) ? [j] : [])))
  : undefined;
const seconds = (performance.now() - started) / 1000;
const round = (x: number) => Math.round(x * 100) / 100;
const report = {
  model: embedder.modelId,
  split: values.split,
  ...Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, round(v)])),
  ...(heldout ? { concepts: { groups: groups!.length, ...Object.fromEntries(Object.entries(heldout).map(([k, v]) => [k, round(v)])) } } : {}),
  images: images.length,
  captions: captions.length,
  seconds: round(seconds),
};
if (values.json) console.log(JSON.stringify(report));
else {
  process.stderr.write('\n');
  console.table(report);
}
