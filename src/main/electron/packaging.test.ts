/** The installer config cannot be built here (no Electron binary, no signing keys): check it as electron-builder reads it. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getFileMatchers } from 'app-builder-lib/out/fileMatcher.js';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import type { Configuration } from 'app-builder-lib';
import { DebugLogger } from 'builder-util';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../paths.ts';

const root = projectRoot();
const config: Configuration = await getConfig(root, 'build/electron-builder.yml', null);
const backbones = JSON.parse(readFileSync(join(root, 'models/backbones/mobilenetv2-12-int8.json'), 'utf8')) as { file: string };

/** Whether electron-builder's own matcher takes this project file for the `files` or `asarUnpack` set. */
function matches(set: 'files' | 'asarUnpack', path: string): boolean {
  const options = { macroExpander: (p: string) => p, customBuildOptions: {}, globalOutDir: join(root, 'release'), defaultSrc: root };
  const [matcher] = getFileMatchers(config, set, '/', options) ?? [];
  if (!matcher) throw new Error(`no ${set} patterns`);
  return matcher.createFilter()(join(root, path), { isDirectory: () => false } as never);
}

describe('electron-builder config', () => {
  it('passes electron-builder’s own schema validation', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('builds AppImage + deb, dmg and nsis', () => {
    expect(config.linux?.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.mac?.target).toEqual(expect.arrayContaining(['dmg']));
    expect(config.win?.target).toEqual(expect.arrayContaining(['nsis']));
  });

  it('ships the bundles and the embedded model but never the downloaded backbone', () => {
    expect(matches('files', 'out/main/index.js')).toBe(true);
    expect(matches('files', 'out/main/index-worker.js')).toBe(true);
    expect(matches('files', 'out/preload/index.cjs')).toBe(true);
    expect(matches('files', 'models/subspace-masan-v1/model.json')).toBe(true);
    expect(matches('files', 'models/subspace-masan-v1/head.onnx')).toBe(true);
    expect(matches('files', `models/backbones/${backbones.file}`)).toBe(false);
    expect(matches('files', `models/${backbones.file}`)).toBe(false);
  });

  it('unpacks the native modules and the model files from the asar archive', () => {
    for (const path of [
      'node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node',
      'node_modules/@lancedb/lancedb-linux-x64-gnu/lancedb.linux-x64-gnu.node',
      'node_modules/sharp/lib/index.js',
      'node_modules/@img/sharp-linux-x64/lib/sharp-linux-x64.node',
      'models/subspace-masan-v1/text.onnx',
    ]) {
      expect(matches('asarUnpack', path), path).toBe(true);
    }
  });

  it('points at resources that exist', () => {
    expect(existsSync(join(root, 'build/icon.png'))).toBe(true);
  });
});
