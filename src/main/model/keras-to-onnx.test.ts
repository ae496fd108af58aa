import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { kerasLayersToOnnx } from './keras-to-onnx.ts';
import { sha256Hex } from './manifest.ts';
import { tinyKerasModel } from './testing/tiny-keras.ts';

/** A feature map in Keras's layout: height × width × channels. */
interface Hwc {
  h: number;
  w: number;
  c: number;
  data: Float64Array;
}

const model = tinyKerasModel();
const weight = (name: string) => model.weights.get(name)!;
const readShard = (path: string) => model.shards.get(path)!;

function zeroPad(t: Hwc, p: number): Hwc {
  const out: Hwc = { h: t.h + 2 * p, w: t.w + 2 * p, c: t.c, data: new Float64Array((t.h + 2 * p) * (t.w + 2 * p) * t.c) };
  for (let y = 0; y < t.h; y++)
    for (let x = 0; x < t.w; x++)
      for (let k = 0; k < t.c; k++) out.data[((y + p) * out.w + x + p) * t.c + k] = t.data[(y * t.w + x) * t.c + k]!;
  return out;
}

/** TensorFlow's convolution: 'same' pads (total − total/2) after, the rest before. */
function conv(t: Hwc, name: string, filters: number, size: number, stride: number, padding: 'valid' | 'same', useBias = true): Hwc {
  const kernel = weight(`${name}/kernel`);
  const bias = useBias ? weight(`${name}/bias`) : new Float32Array(filters);
  const outH = padding === 'valid' ? Math.floor((t.h - size) / stride) + 1 : Math.ceil(t.h / stride);
  const outW = padding === 'valid' ? Math.floor((t.w - size) / stride) + 1 : Math.ceil(t.w / stride);
  const top = padding === 'valid' ? 0 : Math.floor(Math.max((outH - 1) * stride + size - t.h, 0) / 2);
  const left = padding === 'valid' ? 0 : Math.floor(Math.max((outW - 1) * stride + size - t.w, 0) / 2);
  const out: Hwc = { h: outH, w: outW, c: filters, data: new Float64Array(outH * outW * filters) };
  for (let y = 0; y < outH; y++)
    for (let x = 0; x < outW; x++)
      for (let f = 0; f < filters; f++) {
        let sum = bias[f]!;
        for (let ky = 0; ky < size; ky++)
          for (let kx = 0; kx < size; kx++) {
            const iy = y * stride - top + ky;
            const ix = x * stride - left + kx;
            if (iy < 0 || iy >= t.h || ix < 0 || ix >= t.w) continue;
            for (let k = 0; k < t.c; k++) sum += t.data[(iy * t.w + ix) * t.c + k]! * kernel[((ky * size + kx) * t.c + k) * filters + f]!;
          }
        out.data[(y * outW + x) * filters + f] = sum;
      }
  return out;
}

function batchNorm(t: Hwc, name: string, center = true): Hwc {
  const [gamma, mean, variance] = ['gamma', 'moving_mean', 'moving_variance'].map((w) => weight(`${name}/${w}`)) as [Float32Array, Float32Array, Float32Array];
  const beta = center ? weight(`${name}/beta`) : new Float32Array(t.c);
  return { ...t, data: t.data.map((v, i) => ((v - mean[i % t.c]!) / Math.sqrt(variance[i % t.c]! + 0.001)) * gamma[i % t.c]! + beta[i % t.c]!) };
}

const relu = (t: Hwc): Hwc => ({ ...t, data: t.data.map((v) => Math.max(v, 0)) });
const add = (a: Hwc, b: Hwc): Hwc => ({ ...a, data: a.data.map((v, i) => v + b.data[i]!) });

function maxPool(t: Hwc, size: number, stride: number): Hwc {
  const outH = Math.floor((t.h - size) / stride) + 1;
  const outW = Math.floor((t.w - size) / stride) + 1;
  const out: Hwc = { h: outH, w: outW, c: t.c, data: new Float64Array(outH * outW * t.c).fill(-Infinity) };
  for (let y = 0; y < outH; y++)
    for (let x = 0; x < outW; x++)
      for (let k = 0; k < t.c; k++)
        for (let ky = 0; ky < size; ky++)
          for (let kx = 0; kx < size; kx++) {
            const i = (y * outW + x) * t.c + k;
            out.data[i] = Math.max(out.data[i]!, t.data[((y * stride + ky) * t.w + x * stride + kx) * t.c + k]!);
          }
  return out;
}

const globalAverage = (t: Hwc): number[] =>
  Array.from({ length: t.c }, (_, k) => t.data.filter((_, i) => i % t.c === k).reduce((a, b) => a + b, 0) / (t.h * t.w));

function dense(v: number[], name: string, units: number): number[] {
  const kernel = weight(`${name}/kernel`);
  const bias = weight(`${name}/bias`);
  return Array.from({ length: units }, (_, u) => v.reduce((sum, x, i) => sum + x * kernel[i * units + u]!, bias[u]!));
}

/** The tiny model (testing/tiny-keras.ts) layer by layer, as Keras computes it. */
function reference(image: Hwc): { pooled: number[]; mid: number[]; logits: number[] } {
  const stem = relu(batchNorm(conv(zeroPad(image, 1), 'conv1', 4, 3, 2, 'valid'), 'bn1'));
  const pool = maxPool(zeroPad(stem, 1), 3, 2);
  const main = relu(batchNorm(conv(pool, 'conv2a', 6, 3, 2, 'same'), 'bn2a'));
  const shortcut = batchNorm(conv(pool, 'conv2b', 6, 1, 2, 'valid', false), 'bn2b');
  const block = relu(batchNorm(add(main, shortcut), 'bn3', false));
  const stride16 = relu(conv(block, 'conv3', 8, 3, 2, 'same'));
  const pooled = globalAverage(relu(conv(stride16, 'conv4', 10, 1, 2, 'same')));
  return { pooled, mid: globalAverage(stride16), logits: dense(pooled, 'fc', 5) };
}

function randomImage(seed: number): Hwc {
  let s = seed;
  const data = Float64Array.from({ length: 32 * 32 * 3 }, () => ((s = (s * 16807) % 2147483647) / 2147483647) * 4 - 2);
  return { h: 32, w: 32, c: 3, data };
}

describe('kerasLayersToOnnx', () => {
  it('computes what the Keras model computes: pooled features, the stride-16 features and the logits before softmax', async () => {
    const session = await ort.InferenceSession.create(kerasLayersToOnnx(model.modelJson, readShard));
    const images = [randomImage(1), randomImage(2)];
    const nchw = new Float32Array(2 * 3 * 32 * 32);
    images.forEach((image, n) => {
      for (let k = 0; k < 3; k++) for (let i = 0; i < 32 * 32; i++) nchw[(n * 3 + k) * 1024 + i] = image.data[i * 3 + k]!;
    });
    const result = await session.run({ input: new ort.Tensor('float32', nchw, [2, 3, 32, 32]) });
    expect(result.pooled!.dims).toEqual([2, 10]);
    expect(result.mid!.dims).toEqual([2, 8]);
    expect(result.logits!.dims).toEqual([2, 5]);
    images.forEach((image, n) => {
      const expected = reference(image);
      for (const output of ['pooled', 'mid', 'logits'] as const) {
        const row = Array.from(result[output]!.data as Float32Array).slice(n * expected[output].length, (n + 1) * expected[output].length);
        expect(expected[output].some((v) => Math.abs(v) > 0.05)).toBe(true);
        row.forEach((value, i) => expect(value).toBeCloseTo(expected[output][i]!, 4));
      }
    });
  });

  it('writes the same bytes for the same model', () => {
    expect(sha256Hex(kerasLayersToOnnx(model.modelJson, readShard))).toBe(sha256Hex(kerasLayersToOnnx(tinyKerasModel().modelJson, readShard)));
  });

  it('refuses layer types it does not know and weight shards that do not match the manifest', () => {
    const withDropout = structuredClone(model.modelJson) as { modelTopology: { model_config: { config: { layers: { class_name: string }[] } } } };
    withDropout.modelTopology.model_config.config.layers[4]!.class_name = 'Dropout';
    expect(() => kerasLayersToOnnx(withDropout, readShard)).toThrow(/relu1: layer type Dropout is not supported/);
    expect(() => kerasLayersToOnnx(model.modelJson, (path) => readShard(path).subarray(1))).toThrow(/weight shards end before/);
  });
});
