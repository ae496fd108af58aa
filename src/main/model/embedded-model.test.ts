import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../paths.ts';
import { loadBackboneSpec } from './backbone.ts';
import { embeddedModelDir, loadEmbedder } from './embedder.ts';
import type { Embedder } from './embedder-types.ts';
import { loadManifest } from './manifest.ts';
import { dot } from './vectors.ts';
import { GOLDEN_CAPTIONS, goldenImages } from './testing/golden.ts';
import { embeddedBackboneFound, sharedPath } from './testing/shared-data.ts';

const backboneAvailable = embeddedBackboneFound('the embedded model tests');

describe('the embedded model manifest', () => {
  it('is committed, valid, small, and does not contain the backbone', async () => {
    const manifest = await loadManifest(embeddedModelDir());
    expect(manifest.image.backbone).toBe('mobilenetv2-12-int8');
    const total = Object.values(manifest.files).reduce((sum, f) => sum + f.bytes, 0);
    expect(total).toBeLessThan(20 * 1024 * 1024);
    const backboneSha = loadBackboneSpec('mobilenetv2-12-int8').sha256;
    expect(Object.values(manifest.files).map((f) => f.sha256)).not.toContain(backboneSha);
    expect(readdirSync(embeddedModelDir()).filter((f) => f.includes('mobilenet'))).toEqual([]);
  });
});

describe.skipIf(!backboneAvailable)('the embedded model', () => {
  let embedder: Embedder;
  beforeAll(async () => {
    embedder = await loadEmbedder({ threads: 2 });
  });
  afterAll(() => embedder?.close());

  it('reproduces the recorded golden embeddings of fixed photos and captions', async () => {
    const golden = JSON.parse(readFileSync(join(embeddedModelDir(), 'golden.json'), 'utf8'));
    expect(golden.captions).toEqual(GOLDEN_CAPTIONS);
    const text = await embedder.embedTexts(GOLDEN_CAPTIONS);
    const images = await embedder.embedImages(await goldenImages());
    const worst = (got: Float32Array[], want: number[][]) =>
      Math.max(...got.flatMap((v, i) => Array.from(v, (x, j) => Math.abs(x - want[i]![j]!))));
    expect(worst(text, golden.text)).toBeLessThan(1e-4);
    expect(worst(images, golden.images)).toBeLessThan(1e-3);
  });

  it('embeds unknown words, emoji, other scripts, stop words only, 10,000 characters and empty text', async () => {
    const odd = ['qzxv blorptastic', '🐶🏖️✨', '日本の猫', 'собака в снегу', 'the of and a', 'a dog '.repeat(1700), ''];
    const vectors = await embedder.embedTexts(odd);
    for (const v of vectors) {
      expect(v.length).toBe(embedder.dim);
      expect(Math.hypot(...v)).toBeCloseTo(1, 4);
    }
  });

  it('reaches a concept no training caption names through WordNet and the backbone classes', async () => {
    const manifest = await loadManifest(embeddedModelDir());
    expect(manifest.text.concepts).toBeDefined();
    const [zebra, pizza] = await embedder.embedTexts(['a zebra', 'a pizza']);
    const concepts = (v: Float32Array) => v.subarray(manifest.embeddingDim - 1000);
    const peak = (v: Float32Array) => concepts(v).indexOf(Math.max(...concepts(v)));
    expect(peak(zebra!)).toBe(340);
    expect(peak(pizza!)).toBe(963);
  });

  const fullres = sharedPath('datasets', 'flickr8k-test-fullres');
  const tokens = sharedPath('datasets', 'flickr8k', 'Flickr8k.token.txt');
  it.skipIf(!fullres || !tokens)('puts a caption closer to its own photo than to unrelated ones (real photos)', async () => {
    const photos = readdirSync(fullres!).filter((f) => f.endsWith('.jpg')).sort().slice(0, 12);
    const captionOf = new Map(
      readFileSync(tokens!, 'utf8')
        .split('\n')
        .filter((l) => l.includes('#0\t'))
        .map((l) => [l.split('#')[0]!, l.split('\t')[1]!]),
    );
    const images = await embedder.embedImages(photos.map((p) => join(fullres!, p)));
    const captions = await embedder.embedTexts(photos.map((p) => captionOf.get(p)!));
    const ranks = captions.map((c, i) => images.filter((img) => dot(img, c) > dot(images[i]!, c)).length);
    expect(ranks.filter((r) => r < 3).length).toBeGreaterThanOrEqual(10);
  });

  it.skipIf(!sharedPath('datasets', 'flickr8k', 'test.txt'))(
    'reaches the test-split rSum recorded in its manifest through `npm run eval`',
    async () => {
      const manifest = await loadManifest(embeddedModelDir());
      const recorded = (manifest.metrics.flickr8k_test as { rsum: number }).rsum;
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/main/cli/eval.ts', '--split', 'test', '--json'], {
        cwd: projectRoot(),
        maxBuffer: 1 << 20,
      });
      const result = JSON.parse(stdout.trim().split('\n').at(-1)!);
      expect(result.images).toBe(1000);
      expect(result.captions).toBe(5000);
      expect(result.rsum).toBeGreaterThanOrEqual(recorded - 1.0);
    },
    300_000,
  );
});

