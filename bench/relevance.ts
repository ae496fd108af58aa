/**
 * `npx tsx bench/relevance.ts [--split test|dev] [--data <flickr8k dir>] [--model <dir>] [--library N]`
 * How well the per-query cutoff (src/main/search/cutoff.ts) separates good matches from the rest, on a Flickr 8k
 * split: every caption is a query over the split's photos (or over N of them, as a small library would be).
 * - kept: share of queries whose own photo (the one the caption describes) is above the divider;
 * - above: photos above the divider per query besides its own; unrelated: those of them none of whose five
 *   captions shares a noun (a concept-map word) with the query, an estimate of the irrelevant ones let through;
 * - empty: share of queries with nothing above the divider;
 * - nonsense: photos above the divider for queries of unknown words, emoji, another script or stop words only.
 * Also prints the floor estimated without labels (as for an uncalibrated CLIP export) beside the measured threshold.
 * Embeddings are cached in the system's temp folder.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConceptMap } from '../src/main/model/concepts.ts';
import { embeddedModelDir, loadEmbedder } from '../src/main/model/embedder.ts';
import { loadManifest } from '../src/main/model/manifest.ts';
import { dot } from '../src/main/model/vectors.ts';
import { sharedDir } from '../src/main/paths.ts';
import { calibrationFor } from '../src/main/search/calibration.ts';
import { estimateThreshold, OUTLIER_Z, queryCutoff, UNRELATED_CAPTIONS } from '../src/main/search/cutoff.ts';

const { values } = parseArgs({
  options: {
    split: { type: 'string', default: 'test' },
    data: { type: 'string', default: join(sharedDir(), 'datasets', 'flickr8k') },
    model: { type: 'string', default: embeddedModelDir() },
    library: { type: 'string' },
  },
});
const NONSENSE = ['xqzvw plorf', 'asdfgh jkl', 'zzzz', 'mxyzptlk', 'xyzzy plugh', '🦄🦄', '🐶🌊', 'の写真', 'собака на пляже', 'the of and', 'a the them'];

const data = values.data!;
const images = readFileSync(join(data, `${values.split}.txt`), 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
const index = new Map(images.map((name, i) => [name, i]));
const captions: string[] = [];
const owner: number[] = [];
for (const line of readFileSync(join(data, 'Flickr8k.token.txt'), 'utf8').split('\n')) {
  const [key, text] = line.split('\t');
  const i = index.get(key?.split('#')[0] ?? '');
  if (i === undefined || !text) continue;
  captions.push(text.trim());
  owner.push(i);
}

const manifest = await loadManifest(values.model!);
const cache = join(tmpdir(), `subspace-relevance-${manifest.id}-${values.split}.json`);
type Cached = { images: number[][]; captions: number[][]; nonsense: number[][]; unrelated: number[][] };
let cached: Cached;
if (existsSync(cache)) cached = JSON.parse(readFileSync(cache, 'utf8')) as Cached;
else {
  const embedder = await loadEmbedder({ modelDir: values.model!, threads: 2 });
  const imageVectors: Float32Array[] = [];
  for (let i = 0; i < images.length; i += 32) imageVectors.push(...(await embedder.embedImages(images.slice(i, i + 32).map((n) => join(data, 'images', n)))));
  const list = (vs: Float32Array[]) => vs.map((v) => Array.from(v));
  cached = {
    images: list(imageVectors),
    captions: list(await embedder.embedTexts(captions)),
    nonsense: list(await embedder.embedTexts(NONSENSE)),
    unrelated: list(await embedder.embedTexts([...UNRELATED_CAPTIONS])),
  };
  await embedder.close();
  writeFileSync(cache, JSON.stringify(cached));
}
const vectors = (rows: number[][]) => rows.map((row) => Float32Array.from(row));
const photoVectors = vectors(cached.images);
const captionVectors = vectors(cached.captions);

const librarySize = Math.min(images.length, Number(values.library ?? images.length));
const inLibrary = (i: number) => i % Math.round(images.length / librarySize) === 0 && i / Math.round(images.length / librarySize) < librarySize;
const library = photoVectors.flatMap((v, i) => (inLibrary(i) ? [i] : []));
const baseline = library.map((i) => photoVectors[i]!);

const concepts = manifest.text.concepts ? await loadConceptMap(join(values.model!, manifest.text.concepts.file)) : undefined;
const nounsOf = (text: string) => new Set((text.toLowerCase().match(/\p{L}+/gu) ?? []).filter((w) => concepts?.words.has(w)));
const photoNouns = images.map(() => new Set<string>());
captions.forEach((caption, j) => nounsOf(caption).forEach((noun) => photoNouns[owner[j]!]!.add(noun)));

const measured = calibrationFor(manifest.id)?.suggestThreshold;
const estimated = estimateThreshold(baseline, vectors(cached.unrelated));
console.log(`${manifest.id}, Flickr 8k ${values.split}: ${library.length} photos, ${captions.length} captions`);
console.log(`threshold measured ${measured?.toFixed(3) ?? '(none)'}; floor estimated from ${UNRELATED_CAPTIONS.length} unrelated captions ${estimated.toFixed(3)}`);

// Each caption's similarities to the library's photos, computed once; a rule only moves the cutoff.
const scores = captionVectors.map((query, j) => (inLibrary(owner[j]!) ? Float32Array.from(library, (i) => dot(query, photoVectors[i]!)) : null));
const rules: { name: string; cutoff: (query: Float32Array) => number | null }[] = [];
if (measured !== undefined) rules.push({ name: 'measured threshold only', cutoff: () => measured });
for (const z of [2.5, OUTLIER_Z, 3.5]) {
  rules.push({ name: `floor + (threshold or outliers, z ${z})`, cutoff: (q) => queryCutoff(q, { floor: estimated, threshold: measured ?? null }, baseline, z) });
}
rules.push({ name: `floor + outliers (z ${OUTLIER_Z}), as uncalibrated`, cutoff: (q) => queryCutoff(q, { floor: estimated, threshold: null }, baseline) });
for (const rule of rules) {
  let kept = 0;
  let queries = 0;
  let above = 0;
  let unrelated = 0;
  let empty = 0;
  captionVectors.forEach((query, j) => {
    const row = scores[j];
    if (!row) return;
    queries++;
    const cutoff = rule.cutoff(query) ?? Infinity;
    const nouns = nounsOf(captions[j]!);
    let count = 0;
    library.forEach((i, k) => {
      if (row[k]! < cutoff) return;
      count++;
      if (i === owner[j]) kept++;
      else {
        above++;
        if (![...nouns].some((noun) => photoNouns[i]!.has(noun))) unrelated++;
      }
    });
    if (count === 0) empty++;
  });
  const nonsense = vectors(cached.nonsense).map((q) => {
    const cutoff = rule.cutoff(q) ?? Infinity;
    return library.filter((i) => dot(q, photoVectors[i]!) >= cutoff).length;
  });
  const pct = (n: number) => `${((100 * n) / queries).toFixed(1)} %`;
  console.log(
    `${rule.name.padEnd(42)} kept ${pct(kept)}  above ${(above / queries).toFixed(2)} (unrelated ${(unrelated / queries).toFixed(2)})  empty ${pct(empty)}  nonsense ${nonsense.join(' ')}`,
  );
}
