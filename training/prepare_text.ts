/**
 * Text side of Model v2's training data, through the app's own code: every Flickr 8k caption tokenized with
 * src/main/model/tokenizer.ts and the v2 tokenizer.json (training/build_vocab.py), and its concept vector over
 * the ImageNet classes computed with src/main/model/concepts.ts and concepts.json (training/build_concepts.py).
 * Writes OUT/captions.jsonl, one line per caption:
 *   {"image", "n", "caption", "ids" (unpadded, with [CLS] and [SEP]), "concepts": [[classIndex, weight], ...]}
 * Usage: npx tsx training/prepare_text.ts --tokenizer FILE --concepts FILE --out DIR [--dataset DIR]
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { conceptVector, loadConceptMap } from '../src/main/model/concepts.ts';
import { loadTokenizer } from '../src/main/model/tokenizer.ts';
import { sharedDir } from '../src/main/paths.ts';

const { values } = parseArgs({
  options: {
    dataset: { type: 'string', default: join(sharedDir(), 'datasets', 'flickr8k') },
    tokenizer: { type: 'string' },
    concepts: { type: 'string' },
    out: { type: 'string' },
  },
});
if (!values.tokenizer || !values.concepts || !values.out) {
  console.error('usage: npx tsx training/prepare_text.ts --tokenizer FILE --concepts FILE --out DIR [--dataset DIR]');
  process.exit(2);
}
const dataset = resolve(values.dataset!);
if (!existsSync(join(dataset, 'Flickr8k.token.txt'))) {
  console.error(`Flickr 8k not found at ${dataset} (no Flickr8k.token.txt). Pass --dataset DIR.`);
  process.exit(2);
}
const out = resolve(values.out);
mkdirSync(out, { recursive: true });

const tokenizer = await loadTokenizer(resolve(values.tokenizer));
const concepts = await loadConceptMap(resolve(values.concepts));

function sparse(v: Float32Array): [number, number][] {
  const pairs: [number, number][] = [];
  v.forEach((w, k) => {
    const rounded = Math.round(w * 1e4) / 1e4;
    if (rounded > 0) pairs.push([k, rounded]);
  });
  return pairs;
}

const lines = readFileSync(join(dataset, 'Flickr8k.token.txt'), 'utf8').split('\n').filter(Boolean);
let withConcept = 0;
const rows = lines.map((line) => {
  const [key, raw] = line.split('\t') as [string, string];
  const [image, n] = key.split('#') as [string, string];
  const caption = raw.trim();
  const c = sparse(conceptVector(concepts, caption));
  if (c.length > 0) withConcept++;
  return JSON.stringify({ image, n: Number(n), caption, ids: tokenizer.encode(caption), concepts: c });
});
writeFileSync(join(out, 'captions.jsonl'), `${rows.join('\n')}\n`);
console.log(`prepare_text: ${rows.length} captions (${withConcept} with a concept) -> ${join(out, 'captions.jsonl')}`);
