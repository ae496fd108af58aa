/** The installer config cannot be built here (no Electron binary, no signing keys): check it as electron-builder reads it. */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { FuseV1Options, FuseVersion, type FuseConfig } from '@electron/fuses';
import { getFileMatchers, type FileMatcher } from 'app-builder-lib/out/fileMatcher.js';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import type { Configuration } from 'app-builder-lib';
import { DebugLogger } from 'builder-util';
import { describe, expect, it } from 'vitest';
import { embeddedModelDir } from '../model/embedder.ts';
import { ManifestSchema } from '../model/manifest.ts';
import { projectRoot } from '../paths.ts';

const root = projectRoot();
const config: Configuration = await getConfig(root, 'build/electron-builder.yml', null);
const backbones = JSON.parse(readFileSync(join(root, 'models/backbones/mobilenetv2-12-int8.json'), 'utf8')) as { file: string };

/** The embedded model's model.json and every file it references, as project paths: what the app opens at run time. */
const modelDir = relative(root, embeddedModelDir());
const manifest = ManifestSchema.parse(JSON.parse(readFileSync(join(root, modelDir, 'model.json'), 'utf8')));
const modelFiles = [
  ...new Set(['model.json', manifest.image.model.file, manifest.text.model.file, manifest.text.tokenizer, ...Object.keys(manifest.files)]),
].map((file) => `${modelDir}/${file}`);

/** LanceDB's optional dependencies, for its own embedding functions, which the app does not use. */
const lanceDbExtras = ['@huggingface/transformers', 'onnxruntime-web', 'openai'];

/** Whether electron-builder's own matcher takes this project file for the `files` or `asarUnpack` set. */
function matches(set: 'files' | 'asarUnpack', path: string): boolean {
  const options = { macroExpander: (p: string) => p, customBuildOptions: {}, globalOutDir: join(root, 'release'), defaultSrc: root };
  const [matcher] = getFileMatchers(config, set, '/', options) ?? [];
  if (!matcher) throw new Error(`no ${set} patterns`);
  return matcher.createFilter()(join(root, path), { isDirectory: () => false } as never);
}

/** electron-builder's matcher for the files of production dependencies; marked internal, so absent from its type declarations. */
const { getNodeModuleFileMatcher } = createRequire(import.meta.url)('app-builder-lib/out/fileMatcher.js') as {
  getNodeModuleFileMatcher(appDir: string, destination: string, expand: (p: string) => string, options: object, packager: object): FileMatcher;
};

/** Whether a build copies this file of an installed production dependency: electron-builder applies the `files` exclusions to them. */
function shipsFromNodeModules(path: string): boolean {
  const matcher = getNodeModuleFileMatcher(root, '/', (p) => p, {}, { config, debugLogger: new DebugLogger(false) });
  return matcher.createFilter()(join(root, path), { isDirectory: () => false, moduleFullFilePath: path } as never);
}

/** How electron-builder turns `electronFuses` into the wires @electron/fuses flips; private, so absent from its type declarations. */
const { PlatformPackager } = createRequire(import.meta.url)('app-builder-lib') as {
  PlatformPackager: { prototype: { generateFuseConfig(fuses: NonNullable<Configuration['electronFuses']>): Promise<FuseConfig> } };
};

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
    expect(matches('files', 'out/main/service-process.js')).toBe(true);
    expect(matches('files', 'out/preload/index.cjs')).toBe(true);
    for (const file of modelFiles) {
      expect(existsSync(join(root, file)), `${file} is referenced by model.json but missing`).toBe(true);
      expect(matches('files', file), file).toBe(true);
    }
    expect(matches('files', `models/backbones/${backbones.file}`)).toBe(false);
    expect(matches('files', `models/${backbones.file}`)).toBe(false);
  });

  it('unpacks the native modules and the model files from the asar archive', () => {
    for (const path of [
      'node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node',
      'node_modules/@lancedb/lancedb-linux-x64-gnu/lancedb.linux-x64-gnu.node',
      'node_modules/sharp/lib/index.js',
      'node_modules/@img/sharp-linux-x64/lib/sharp-linux-x64.node',
      ...modelFiles,
    ]) {
      expect(matches('asarUnpack', path), path).toBe(true);
    }
  });

  it('leaves out LanceDB’s optional dependencies (about 140 MB) and keeps what the app loads', () => {
    for (const name of lanceDbExtras) {
      expect(existsSync(join(root, 'node_modules', name, 'package.json')), `${name} is installed`).toBe(true);
      expect(shipsFromNodeModules(`node_modules/${name}/package.json`), name).toBe(false);
    }
    expect(shipsFromNodeModules('node_modules/onnxruntime-web/node_modules/onnxruntime-common/package.json')).toBe(false);
    for (const path of [
      'node_modules/@lancedb/lancedb/dist/index.js',
      'node_modules/@huggingface/tokenizers/package.json',
      'node_modules/onnxruntime-node/dist/index.js',
      'node_modules/onnxruntime-common/package.json',
      'node_modules/sharp/lib/index.js',
    ]) {
      expect(shipsFromNodeModules(path), path).toBe(true);
    }
  });

  it('does not need them: loading LanceDB loads none of them', async () => {
    const script = "require('@lancedb/lancedb'); console.log(JSON.stringify(Object.keys(require.cache)))";
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { cwd: root });
    const loaded = JSON.parse(stdout) as string[];
    expect(loaded.some((path) => path.includes('/@lancedb/'))).toBe(true);
    expect(loaded.filter((path) => lanceDbExtras.some((name) => path.includes(`/node_modules/${name}/`)))).toEqual([]);
  });

  it('flips the fuses: no running as Node, no NODE_OPTIONS or --inspect, code only from an integrity-checked asar, encrypted cookies', async () => {
    expect(config.asar).toBe(true);
    expect(config.electronFuses, 'electronFuses is set').toBeTruthy();
    const fuses = await PlatformPackager.prototype.generateFuseConfig.call(null, config.electronFuses!);
    expect(fuses).toMatchObject({
      version: FuseVersion.V1,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
    });
  });

  it('points at resources that exist', () => {
    expect(existsSync(join(root, 'build/icon.png'))).toBe(true);
  });
});
