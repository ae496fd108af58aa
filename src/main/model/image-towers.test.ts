import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from './embedder-types.ts';
import { loadEmbedder } from './embedder.ts';
import { loadManifest, manifestFileEntry } from './manifest.ts';
import { encodeModel, FLOAT, onnx, valueInfo } from './onnx-builder.ts';
import { writeSmallClipMerges } from './testing/small-clip-merges.ts';
import { writeTinyClipModel } from './testing/tiny-clip.ts';
import { dot, normalize } from './vectors.ts';

const DIM = 16;

/** A vision model that sees where things are: the mean of each quadrant and channel, projected. */
function quadrantModel(seed: number): Uint8Array {
  let s = seed;
  const random = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  return encodeModel({
    name: `quadrants-${seed}`,
    node: [
      { opType: 'AveragePool', input: ['pixels'], output: ['grid'], attribute: [{ name: 'kernel_shape', ints: [112, 112], type: onnx.AttributeProto.AttributeType.INTS }, { name: 'strides', ints: [112, 112], type: onnx.AttributeProto.AttributeType.INTS }] },
      { opType: 'Flatten', input: ['grid'], output: ['flat'] },
      { opType: 'MatMul', input: ['flat', 'proj'], output: ['embedding'] },
    ],
    initializer: [{ name: 'proj', dims: [12, DIM], dataType: FLOAT, floatData: Array.from({ length: 12 * DIM }, random) }],
    input: [valueInfo('pixels', FLOAT, ['batch', 3, 224, 224])],
    output: [valueInfo('embedding', FLOAT, ['batch', DIM])],
  });
}

const RGB = { size: 224, resize: 'squash', mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };
const CAFFE = { size: 224, resize: 'squash', channels: 'bgr', mean: [0.408, 0.458, 0.485], std: [1 / 255, 1 / 255, 1 / 255] };

type Tower = { file: string; preprocess: object; mirror?: boolean; weight?: number };

/** A model folder (the tiny CLIP text side) whose image side is the given towers, the first one first. */
function writeModel(towers: Tower[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'subspace-towers-'));
  writeTinyClipModel(dir, writeSmallClipMerges(dir), DIM);
  const manifest = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const spec = (t: Tower) => ({ preprocess: t.preprocess, model: { file: t.file, inputs: { pixels: 'pixels' }, output: 'embedding' }, ...(t.mirror ? { mirror: true } : {}), ...(t.weight ? { weight: t.weight } : {}) });
  for (const [i, t] of towers.entries()) {
    const bytes = quadrantModel(Number(t.file.match(/\d+/)![0]));
    writeFileSync(join(dir, t.file), bytes);
    manifest.files[t.file] = manifestFileEntry(bytes);
    if (i === 0) manifest.image = spec(t);
  }
  manifest.image.also = towers.slice(1).map(spec);
  writeFileSync(join(dir, 'model.json'), JSON.stringify(manifest));
  return dir;
}

const embedOne = async (embedder: Embedder, photo: Buffer) => (await embedder.embedImages([photo]))[0]!;
const sum = (...parts: [number, Float32Array][]) => normalize(parts.reduce((acc, [w, v]) => acc.map((x, k) => x + w * v[k]!), new Float32Array(DIM)));
const open = (dir: string) => loadEmbedder({ modelDir: dir, providers: ['cpu'], threads: 1 });

describe('image towers: a mirror image and more than one backbone', () => {
  let photo: Buffer;
  let mirrored: Buffer;
  beforeAll(async () => {
    // Red on the left, blue on the right: its mirror image is a different picture.
    const raw = Buffer.alloc(224 * 224 * 3);
    for (let y = 0; y < 224; y++) for (let x = 0; x < 224; x++) raw.set(x < 80 ? [220, 40, 30] : [30, 60, 200 - y / 2], (y * 224 + x) * 3);
    photo = await sharp(raw, { raw: { width: 224, height: 224, channels: 3 } }).png().toBuffer();
    mirrored = await sharp(photo).flop().png().toBuffer();
  });

  it('with `mirror`, embeds a photo as the mean of it and its mirror image, so both get the same vector', async () => {
    const plain = await open(writeModel([{ file: 'tower1.onnx', preprocess: RGB }]));
    const withMirror = await open(writeModel([{ file: 'tower1.onnx', preprocess: RGB, mirror: true }]));
    const [a, b] = [await embedOne(plain, photo), await embedOne(plain, mirrored)];
    expect(dot(a, b)).toBeLessThan(0.99);
    const m = await embedOne(withMirror, photo);
    expect(dot(m, sum([1, a], [1, b]))).toBeCloseTo(1, 5);
    expect(dot(m, await embedOne(withMirror, mirrored))).toBeCloseTo(1, 5);
    await Promise.all([plain.close(), withMirror.close()]);
  });

  it('with `also`, adds each tower’s unit embedding by its weight, each tower fed the pixels normalized its own way', async () => {
    const first = await open(writeModel([{ file: 'tower1.onnx', preprocess: RGB }]));
    const second = await open(writeModel([{ file: 'tower2.onnx', preprocess: CAFFE }]));
    const both = await open(writeModel([{ file: 'tower1.onnx', preprocess: RGB }, { file: 'tower2.onnx', preprocess: CAFFE, weight: 0.5 }]));
    const [a, b] = [await embedOne(first, photo), await embedOne(second, photo)];
    expect(dot(a, b)).toBeLessThan(0.99);
    expect(dot(await embedOne(both, photo), sum([1, a], [0.5, b]))).toBeCloseTo(1, 4);
    await Promise.all([first.close(), second.close(), both.close()]);
  });

  it('a mirrored tower’s two views share its weight, so mirroring one tower does not outweigh the other', async () => {
    const first = await open(writeModel([{ file: 'tower1.onnx', preprocess: RGB }]));
    const second = await open(writeModel([{ file: 'tower2.onnx', preprocess: CAFFE }]));
    const both = await open(writeModel([{ file: 'tower1.onnx', preprocess: RGB }, { file: 'tower2.onnx', preprocess: CAFFE, mirror: true }]));
    const [a, b, bMirrored] = [await embedOne(first, photo), await embedOne(second, photo), await embedOne(second, mirrored)];
    expect(dot(await embedOne(both, photo), sum([1, a], [0.5, b], [0.5, bMirrored]))).toBeCloseTo(1, 4);
    await Promise.all([first.close(), second.close(), both.close()]);
  });

  it('refuses towers that would need a second resize, and a tower with no preprocessing, saying which', async () => {
    const otherSize = writeModel([{ file: 'tower1.onnx', preprocess: RGB }, { file: 'tower2.onnx', preprocess: { ...RGB, size: 160 } }]);
    await expect(open(otherSize)).rejects.toThrow(/image tower 2 takes 160 px \(squash\), not the first tower's 224 px/);
    const bare = writeModel([{ file: 'tower1.onnx', preprocess: RGB }, { file: 'tower2.onnx', preprocess: RGB }]);
    const manifest = JSON.parse(readFileSync(join(bare, 'model.json'), 'utf8'));
    delete manifest.image.also[0].preprocess;
    writeFileSync(join(bare, 'model.json'), JSON.stringify(manifest));
    await expect(loadManifest(bare)).rejects.toThrow(/preprocess is required when the tower has no backbone\n  → at image\.also\[0\]\.preprocess/);
  });
});
