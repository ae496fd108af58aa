/**
 * Measures how a model's cosine similarities separate matching from non-matching photo–text pairs, and
 * records the result in calibration.json (read by calibration.ts) under the model's id.
 *
 *   npx tsx src/main/search/calibrate.ts [--model <dir>] [--data <flickr8k dir>] [--fpr 0.01]
 *
 * Pairs come from the Flickr 8k dev split, which the model is not trained on: each of the 1,000 photos with
 * each of its 5 captions is a matching pair (5,000); each photo with every caption of the other photos is a
 * non-matching pair (4,995,000).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { embeddedModelDir, loadEmbedder } from '../model/embedder.ts';
import { loadManifest } from '../model/manifest.ts';
import { dot } from '../model/vectors.ts';
import { sharedDir } from '../paths.ts';
import { Calibration } from './calibration.ts';

export interface PairScores {
  matching: Float32Array;
  nonMatching: Float32Array;
}

/** The threshold above which at most `fpr` of non-matching pairs fall, and the share of matching pairs above it. */
export function thresholdAt(scores: PairScores, fpr: number): { threshold: number; truePositiveRate: number } {
  const negatives = Float32Array.from(scores.nonMatching).sort();
  const threshold = negatives[Math.min(negatives.length - 1, Math.floor((1 - fpr) * negatives.length))]!;
  const above = scores.matching.reduce((count, s) => count + (s > threshold ? 1 : 0), 0);
  return { threshold, truePositiveRate: above / scores.matching.length };
}

/**
 * p(match | s) = σ(a·s + b) by weighted logistic regression (Newton's method), each class weighted to the
 * same total, so 0.5 means "as likely a match as not" whatever the classes' sizes.
 */
export function fitLogistic(scores: PairScores, iterations = 50): { a: number; b: number } {
  const weightNeg = scores.matching.length / scores.nonMatching.length;
  let a = 0;
  let b = 0;
  for (let step = 0; step < iterations; step++) {
    let gA = 0;
    let gB = 0;
    let hAA = 0;
    let hAB = 0;
    let hBB = 0;
    const accumulate = (s: number, label: number, weight: number) => {
      const p = 1 / (1 + Math.exp(-(a * s + b)));
      const r = weight * (p - label);
      const w = weight * p * (1 - p);
      gA += r * s;
      gB += r;
      hAA += w * s * s;
      hAB += w * s;
      hBB += w;
    };
    for (const s of scores.matching) accumulate(s, 1, 1);
    for (const s of scores.nonMatching) accumulate(s, 0, weightNeg);
    const det = hAA * hBB - hAB * hAB;
    if (Math.abs(det) < 1e-12) break;
    const dA = (hBB * gA - hAB * gB) / det;
    const dB = (hAA * gB - hAB * gA) / det;
    a -= dA;
    b -= dB;
    if (Math.abs(dA) + Math.abs(dB) < 1e-9) break;
  }
  return { a, b };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      data: { type: 'string', default: join(sharedDir(), 'datasets', 'flickr8k') },
      fpr: { type: 'string', default: '0.01' },
    },
  });
  const data = values.data!;
  const fpr = Number(values.fpr);
  const names = readFileSync(join(data, 'dev.txt'), 'utf8').split('\n').map((line) => line.trim()).filter(Boolean);
  const captions = new Map<string, string[]>();
  for (const line of readFileSync(join(data, 'Flickr8k.token.txt'), 'utf8').split('\n')) {
    const [key, text] = line.split('\t');
    if (!key || !text) continue;
    const name = key.split('#')[0]!;
    captions.set(name, [...(captions.get(name) ?? []), text.trim()]);
  }
  const modelDir = values.model ?? embeddedModelDir();
  const manifest = await loadManifest(modelDir);
  const embedder = await loadEmbedder({ modelDir });
  console.log(`calibrating ${embedder.modelId} on ${names.length} Flickr 8k dev photos`);
  const images: Float32Array[] = [];
  for (let i = 0; i < names.length; i += 32) images.push(...(await embedder.embedImages(names.slice(i, i + 32).map((n) => join(data, 'images', n)))));
  const owners: number[] = [];
  const texts: string[] = [];
  names.forEach((name, i) => {
    for (const caption of captions.get(name) ?? []) {
      owners.push(i);
      texts.push(caption);
    }
  });
  const textVectors = await embedder.embedTexts(texts);
  await embedder.close();

  const matching = new Float32Array(texts.length);
  const nonMatching = new Float32Array(texts.length * (images.length - 1));
  let n = 0;
  textVectors.forEach((text, t) => {
    images.forEach((image, i) => {
      const s = dot(image, text);
      if (i === owners[t]) matching[t] = s;
      else nonMatching[n++] = s;
    });
  });
  const scores = { matching, nonMatching: nonMatching.subarray(0, n) };
  const { threshold, truePositiveRate } = thresholdAt(scores, fpr);
  const calibration = Calibration.parse({
    modelId: embedder.modelId,
    modelFiles: Object.fromEntries(Object.entries(manifest.files).map(([file, { sha256 }]) => [file, sha256])),
    dataset: `Flickr 8k dev (${names.length} photos, ${texts.length} captions)`,
    matching: matching.length,
    nonMatching: n,
    logistic: fitLogistic(scores),
    suggestThreshold: threshold,
    falsePositiveRate: fpr,
    truePositiveRate,
    createdAt: new Date().toISOString(),
  });
  const file = fileURLToPath(new URL('./calibration.json', import.meta.url));
  const all = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  all[calibration.modelId] = calibration;
  writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`);
  console.log(JSON.stringify(calibration, null, 2));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
