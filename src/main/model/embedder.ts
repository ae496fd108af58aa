import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { projectRoot } from '../paths.ts';
import { findBackbone, loadBackboneSpec, openBackbone } from './backbone.ts';
import { conceptVector, loadConceptMap, type ConceptMap } from './concepts.ts';
import type { Embedder, ExecutionProviderName, PreparedImage, ProviderInfo, TextEmbedder, TokenBudget } from './embedder-types.ts';
import { imageTowers, loadManifest, type ImageTowerSpec, type Manifest } from './manifest.ts';
import { decodeImage, decodeSide, flipHorizontal, type ImagePreprocessing, prepareImage, renormalize, toModelInput } from './preprocess.ts';
import { createSession, defaultProviderOrder } from './providers.ts';
import { normalize } from './vectors.ts';
import { loadTokenizer, type TextTokenizer } from './tokenizer.ts';

export const EMBEDDED_MODEL_ID = 'subspace-masan-v2.3';

export function embeddedModelDir(): string {
  return join(projectRoot(), 'models', EMBEDDED_MODEL_ID);
}

export interface EmbedderOptions {
  /** Folder holding model.json; the embedded default when absent. */
  modelDir?: string;
  /** A configured path to the backbone file (first place looked). */
  backbonePath?: string;
  providers?: ExecutionProviderName[];
  /** Intra-op threads per session. */
  threads?: number;
  /** Whether idle intra-op threads spin between ops (the default) or sleep: see `SessionThreads`. */
  spinWait?: boolean;
}

const MAX_IMAGE_BATCH = 64;
const MAX_TEXT_BATCH = 256;

interface Opened {
  manifest: Manifest;
  dir: string;
  open: OpenSession;
}

async function openManifest(options: EmbedderOptions): Promise<Opened> {
  const dir = options.modelDir ?? embeddedModelDir();
  const order = options.providers ?? defaultProviderOrder();
  const threads = { intraOp: options.threads ?? Math.min(4, availableParallelism()), spinWait: options.spinWait ?? true };
  return { manifest: await loadManifest(dir), dir, open: (model) => createSession(model, order, threads) };
}

/**
 * Only the text side of a model: what search needs to embed a query. It never loads the image backbone, so
 * search works while the backbone is missing and costs none of its memory.
 */
export async function loadTextEmbedder(options: EmbedderOptions = {}): Promise<TextEmbedder> {
  return openTextTower(await openManifest(options));
}

/** Loads any manifest (ours or a CLIP export) into one Embedder. */
export async function loadEmbedder(options: EmbedderOptions = {}): Promise<Embedder> {
  const opened = await openManifest(options);
  const { manifest } = opened;
  const image = await openImageTower(manifest, opened.dir, options.backbonePath, opened.open);
  const text = await openTextTower(opened);

  const embedPrepared = async (images: readonly PreparedImage[]): Promise<Float32Array[]> => {
    const out: Float32Array[] = [];
    for (let start = 0; start < images.length; start += MAX_IMAGE_BATCH) {
      const batch = images.slice(start, start + MAX_IMAGE_BATCH);
      out.push(...(await image.embed(batch.map((b) => b.tensor))));
    }
    return out;
  };

  return {
    modelId: manifest.id,
    dim: manifest.embeddingDim,
    provider: image.provider,
    decodeImage: (input) => decodeImage(input, decodeSide(image.preprocess)),
    prepareDecoded: (decoded) => toModelInput(decoded, image.preprocess),
    embedPrepared,
    async embedImages(inputs) {
      return embedPrepared(await Promise.all(inputs.map((input) => prepareImage(input, image.preprocess))));
    },
    embedTexts: text.embedTexts,
    tokenBudget: text.tokenBudget,
    unknownWords: text.unknownWords,
    conceptNames: text.conceptNames,
    async close() {
      await Promise.all([...image.sessions.map((s) => s.release()), text.close()]);
    },
  };
}

async function openTextTower({ manifest, dir, open }: Opened): Promise<TextEmbedder> {
  const text = await open(join(dir, manifest.text.model.file));
  const tokenizer = await loadTokenizer(join(dir, manifest.text.tokenizer));
  const concepts = manifest.text.concepts ? await loadConceptMap(join(dir, manifest.text.concepts.file)) : undefined;
  const encodeTexts = textEncoder(manifest, tokenizer, concepts);
  return {
    modelId: manifest.id,
    dim: manifest.embeddingDim,
    provider: text.provider,
    async embedTexts(texts) {
      const out: Float32Array[] = [];
      for (let start = 0; start < texts.length; start += MAX_TEXT_BATCH) {
        const result = await text.session.run(encodeTexts(texts.slice(start, start + MAX_TEXT_BATCH)));
        out.push(...rows(outputOf(result, manifest.text.model.output), manifest.embeddingDim));
      }
      return out.map(normalize);
    },
    tokenBudget: tokenBudgetOf(tokenizer, manifest.text.maxLength),
    unknownWords: (query) => tokenizer.unknownWords(query),
    conceptNames: concepts?.classes.map((c) => c.name) ?? [],
    close: () => text.session.release(),
  };
}

/** The tower's length less the special tokens the tokenizer adds to every text ([CLS] … [SEP], or CLIP's start and end). */
function tokenBudgetOf(tokenizer: TextTokenizer, maxLength: number): TokenBudget {
  const special = tokenizer.encode('').length;
  return { max: maxLength - special, count: (text) => tokenizer.encode(text).length - special };
}

interface ImageTower {
  preprocess: ImagePreprocessing;
  provider: ProviderInfo;
  sessions: ort.InferenceSession[];
  /** Unit embeddings of a batch of tensors prepared with `preprocess`. */
  embed(tensors: readonly Float32Array[]): Promise<Float32Array[]>;
}

type OpenSession = (model: string | Uint8Array) => Promise<{ session: ort.InferenceSession; provider: ProviderInfo }>;

/**
 * All the model's image towers as one: photos are prepared once, for the first tower; each other tower gets
 * the same pixels renormalized for its backbone. A tower with `mirror` also sees the mirror image, and its
 * embedding is the mean of the two. A photo's embedding is the normalized weighted sum of the towers'.
 */
async function openImageTower(manifest: Manifest, dir: string, backbonePath: string | undefined, open: OpenSession): Promise<ImageTower> {
  const specs = imageTowers(manifest);
  const towers = await Promise.all(specs.map((spec, i) => openOneTower(spec, dir, i === 0 ? backbonePath : undefined, open)));
  const first = towers[0]!;
  towers.slice(1).forEach((tower, i) => {
    if (tower.preprocess.size !== first.preprocess.size || tower.preprocess.resize !== first.preprocess.resize) {
      throw new Error(`image tower ${i + 2} takes ${tower.preprocess.size} px (${tower.preprocess.resize}), not the first tower's ${first.preprocess.size} px (${first.preprocess.resize})`);
    }
  });
  const shape = [3, first.preprocess.size, first.preprocess.size];
  return {
    preprocess: first.preprocess,
    provider: first.provider,
    sessions: towers.flatMap((tower) => tower.sessions),
    async embed(tensors) {
      const sum = tensors.map(() => new Float32Array(manifest.embeddingDim));
      for (const [i, tower] of towers.entries()) {
        const { mirror, weight } = specs[i]!;
        const own = i === 0 ? tensors : tensors.map((tensor) => renormalize(tensor, first.preprocess, tower.preprocess));
        const inputs = mirror ? [...own, ...own.map((tensor) => flipHorizontal(tensor, first.preprocess.size))] : own;
        const out = rows(await tower.run(stack(inputs, shape)), manifest.embeddingDim).map(normalize);
        // A mirrored tower's two views share its weight: mirroring one tower must not outweigh the others.
        const share = mirror ? weight / 2 : weight;
        sum.forEach((acc, row) => {
          for (const vector of mirror ? [out[row]!, out[row + own.length]!] : [out[row]!]) {
            for (let k = 0; k < acc.length; k++) acc[k]! += share * vector[k]!;
          }
        });
      }
      return sum.map(normalize);
    },
  };
}

interface OpenedTower {
  preprocess: ImagePreprocessing;
  provider: ProviderInfo;
  sessions: ort.InferenceSession[];
  run(pixels: ort.Tensor): Promise<ort.Tensor>;
}

async function openOneTower(tower: ImageTowerSpec, dir: string, backbonePath: string | undefined, open: OpenSession): Promise<OpenedTower> {
  const { model } = tower;
  const head = await open(join(dir, model.file));
  if (!tower.backbone) {
    const inputName = Object.keys(model.inputs ?? {})[0] ?? head.session.inputNames[0]!;
    return {
      preprocess: tower.preprocess!,
      provider: head.provider,
      sessions: [head.session],
      run: async (pixels) => outputOf(await head.session.run({ [inputName]: pixels }), model.output),
    };
  }
  const spec = loadBackboneSpec(tower.backbone);
  let backboneProvider: ProviderInfo = head.provider;
  const backbone = await openBackbone(spec, findBackbone(spec, backbonePath), async (bytes) => {
    const opened = await open(bytes);
    backboneProvider = opened.provider;
    return opened.session;
  });
  const wiring = model.inputs ?? Object.fromEntries(head.session.inputNames.map((name) => [name, name]));
  return {
    preprocess: tower.preprocess ?? spec.preprocess,
    provider: backboneProvider,
    sessions: [backbone, head.session],
    async run(pixels) {
      const levels = await backbone.run({ [spec.input]: pixels });
      const feeds = Object.fromEntries(
        Object.entries(wiring).map(([input, source]) => [input, flattenTrailingOnes(outputOf(levels, source))]),
      );
      return outputOf(await head.session.run(feeds), model.output);
    },
  };
}

/**
 * Pads or truncates token ids to the manifest's length, keeping the final (end) token when truncating; adds
 * each text's concept vector when the model takes one.
 */
function textEncoder(manifest: Manifest, tokenizer: TextTokenizer, concepts: ConceptMap | undefined) {
  const { maxLength, padId, model } = manifest.text;
  return (texts: readonly string[]): Record<string, ort.Tensor> => {
    const n = texts.length;
    const ids = model.idType === 'int64' ? new BigInt64Array(n * maxLength) : new Int32Array(n * maxLength);
    const mask = new BigInt64Array(n * maxLength);
    texts.forEach((text, row) => {
      let tokens = tokenizer.encode(text);
      if (tokens.length > maxLength) tokens = [...tokens.slice(0, maxLength - 1), tokens[tokens.length - 1]!];
      for (let i = 0; i < maxLength; i++) {
        const id = i < tokens.length ? tokens[i]! : padId;
        if (ids instanceof BigInt64Array) ids[row * maxLength + i] = BigInt(id);
        else ids[row * maxLength + i] = id;
        mask[row * maxLength + i] = i < tokens.length ? 1n : 0n;
      }
    });
    const feeds: Record<string, ort.Tensor> = { [model.ids]: new ort.Tensor(model.idType, ids, [n, maxLength]) };
    if (model.mask) feeds[model.mask] = new ort.Tensor('int64', mask, [n, maxLength]);
    if (concepts && manifest.text.concepts) {
      const classes = concepts.classes.length;
      const data = new Float32Array(n * classes);
      texts.forEach((text, row) => data.set(conceptVector(concepts, text), row * classes));
      feeds[manifest.text.concepts.input] = new ort.Tensor('float32', data, [n, classes]);
    }
    return feeds;
  };
}

function outputOf(result: ort.InferenceSession.OnnxValueMapType, name: string): ort.Tensor {
  const tensor = result[name];
  if (!tensor) throw new Error(`the model has no output named ${name} (it has ${Object.keys(result).join(', ')})`);
  return tensor as ort.Tensor;
}

/** The backbone's pooled vector comes out as [N, C, 1, 1]; heads take [N, C]. */
function flattenTrailingOnes(tensor: ort.Tensor): ort.Tensor {
  const dims = [...tensor.dims];
  while (dims.length > 2 && dims[dims.length - 1] === 1) dims.pop();
  return dims.length === tensor.dims.length ? tensor : tensor.reshape(dims);
}

function stack(items: readonly Float32Array[], shape: number[]): ort.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(items.length * size);
  items.forEach((item, i) => data.set(item, i * size));
  return new ort.Tensor('float32', data, [items.length, ...shape]);
}

function rows(tensor: ort.Tensor, dim: number): Float32Array[] {
  const data = tensor.data as Float32Array;
  if (data.length % dim !== 0) throw new Error(`model output has ${data.length} values, not a multiple of its dimension ${dim}`);
  return Array.from({ length: data.length / dim }, (_, i) => data.slice(i * dim, (i + 1) * dim));
}
