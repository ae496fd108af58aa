import { execFile } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../indexing/testing/fixtures.ts';
import { projectRoot } from '../paths.ts';
import { embeddedModelDir, loadEmbedder } from './embedder.ts';
import { loadManifest } from './manifest.ts';
import { goldenImages } from './testing/golden.ts';
import { embeddedBackboneFound } from './testing/shared-data.ts';
import { dot } from './vectors.ts';

const backboneAvailable = embeddedBackboneFound('training/write-manifest.ts tests');

const run = promisify(execFile);
const writeManifest = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', join(projectRoot(), 'training', 'write-manifest.ts'), ...args], { cwd: projectRoot() });

describe.skipIf(!backboneAvailable)('training/write-manifest.ts', () => {
  const work = tempDir('write-manifest');
  afterAll(() => work.remove());

  /** A copy of the embedded model's exported folder (what export_open.py writes), without its manifest. */
  function exported(name: string): string {
    const dir = join(work.path, name);
    cpSync(embeddedModelDir(), dir, { recursive: true });
    for (const file of ['model.json', 'golden.json']) rmSync(join(dir, file));
    return dir;
  }

  it('writes a model with a mirrored tower, a second tower copied from another model as it was mirrored there, and measured metrics', async () => {
    const first = exported('first');
    await writeManifest('--dir', first, '--mirror');
    const second = exported('second');
    const measured = { i2t_r1: 1, i2t_r5: 2, i2t_r10: 3, t2i_r1: 4, t2i_r5: 5, t2i_r10: 6, rsum: 21, model: 'x', images: 1000 };
    writeFileSync(join(work.path, 'measured.json'), JSON.stringify(measured));
    const args = ['--dir', second, '--id', 'two-towers-test', '--name', 'Two towers', '--also', first, '--mirror'];
    await writeManifest(...args, '--measured-dev', join(work.path, 'measured.json'), '--measured-test', join(work.path, 'measured.json'));

    const manifest = await loadManifest(second);
    expect(manifest).toMatchObject({ id: 'two-towers-test', name: 'Two towers', image: { backbone: 'mobilenetv2-12-int8', mirror: true } });
    expect(manifest.image.also).toEqual([
      { backbone: 'mobilenetv2-12-int8', mirror: true, weight: 1, model: { file: 'image_head_mobilenetv2-12-int8.onnx', inputs: { pooled: 'pooled', mid: 's16', logits: 'logits' }, output: 'embedding' } },
    ]);
    expect(manifest.files['image_head_mobilenetv2-12-int8.onnx']).toBeDefined();
    expect(manifest.metrics.flickr8k_test).toEqual({ i2t_r1: 1, i2t_r5: 2, i2t_r10: 3, t2i_r1: 4, t2i_r5: 5, t2i_r10: 6, rsum: 21 });
    expect(manifest.description).toMatch(/A second image tower, over mobilenetv2-12-int8.*mirror image/);
    expect(manifest.license).toContain('Backbone mobilenetv2-12-int8: Apache-2.0');
    expect(manifest.license).not.toContain('ResNet-50');
    expect(existsSync(join(second, 'golden.json'))).toBe(true);

    // Both towers are the same head here, so the pair embeds a photo as the one mirrored tower does.
    const [one, two] = await Promise.all([loadEmbedder({ modelDir: first, threads: 1 }), loadEmbedder({ modelDir: second, threads: 1 })]);
    const photos = await goldenImages();
    const [a, b] = [await one.embedImages(photos), await two.embedImages(photos)];
    a.forEach((vector, i) => expect(dot(vector, b[i]!)).toBeCloseTo(1, 5));
    const golden = JSON.parse(readFileSync(join(second, 'golden.json'), 'utf8')) as { images: number[][] };
    expect(dot(Float32Array.from(golden.images[0]!), b[0]!)).toBeCloseTo(1, 4);
    await Promise.all([one.close(), two.close()]);

    // Without --mirror only the copied tower, mirrored in the model it comes from, embeds the mirror image too.
    const third = exported('third');
    await writeManifest('--dir', third, '--also', first);
    const plain = await loadManifest(third);
    expect(plain.image.mirror).toBe(false);
    expect(plain.image.also.map((tower) => tower.mirror)).toEqual([true]);
    expect(plain.description).toMatch(/The mobilenetv2-12-int8 tower embeds each photo together with its mirror image/);
  });
});
