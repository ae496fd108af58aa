import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { clipTokenizerJson } from '../clip-tokenizer.ts';
import { manifestFileEntry } from '../manifest.ts';
import { encodeModel, FLOAT, INT64, onnx, valueInfo } from '../onnx-builder.ts';


function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
}

function weights(name: string, dims: number[], seed: number): OnnxTypes.ITensorProto {
  const random = seeded(seed);
  return { name, dims, dataType: FLOAT, floatData: Array.from({ length: dims.reduce((a, b) => a * b, 1) }, random) };
}

/**
 * Writes a CLIP-shaped model folder (separate vision and text ONNX files with CLIP's input/output names,
 * the CLIP tokenizer built from `bpeMergesGz`, a manifest) with tiny random weights. No CLIP weights exist
 * offline; this exercises the manifest path a downloaded CLIP export takes, with real ONNX sessions. The text
 * table has CLIP's 49,408 rows, so the real merges and the small test merges both fit; padding is end-of-text.
 */
export function writeTinyClipModel(dir: string, bpeMergesGz: string, dim = 16): void {
  const vision = encodeModel({
    name: 'vision',
    node: [
      { opType: 'GlobalAveragePool', input: ['pixel_values'], output: ['pooled'] },
      { opType: 'Flatten', input: ['pooled'], output: ['flat'] },
      { opType: 'MatMul', input: ['flat', 'proj'], output: ['image_embeds'] },
    ],
    initializer: [weights('proj', [3, dim], 1)],
    input: [valueInfo('pixel_values', FLOAT, ['batch', 3, 224, 224])],
    output: [valueInfo('image_embeds', FLOAT, ['batch', dim])],
  });
  const text = encodeModel({
    name: 'text',
    node: [
      { opType: 'Gather', input: ['table', 'input_ids'], output: ['tokens'] },
      { opType: 'ReduceMean', input: ['tokens'], output: ['text_embeds'], attribute: [{ name: 'axes', ints: [1], type: onnx.AttributeProto.AttributeType.INTS }, { name: 'keepdims', i: 0, type: onnx.AttributeProto.AttributeType.INT }] },
    ],
    initializer: [weights('table', [49408, dim], 2)],
    input: [valueInfo('input_ids', INT64, ['batch', 77])],
    output: [valueInfo('text_embeds', FLOAT, ['batch', dim])],
  });
  const tokenizer = clipTokenizerJson(readFileSync(bpeMergesGz)) as { model: { vocab: Record<string, number> } };
  const files: Record<string, Uint8Array> = {
    'vision_model.onnx': vision,
    'text_model.onnx': text,
    'tokenizer.json': Buffer.from(JSON.stringify(tokenizer)),
  };
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  const manifest = {
    schema: 1,
    id: 'tiny-clip-test',
    name: 'Tiny CLIP-shaped test model',
    license: 'MIT',
    embeddingDim: dim,
    image: {
      preprocess: { size: 224, resize: 'center-crop', mean: [0.48145466, 0.4578275, 0.40821073], std: [0.26862954, 0.26130258, 0.27577711] },
      model: { file: 'vision_model.onnx', inputs: { pixel_values: 'pixels' }, output: 'image_embeds' },
    },
    text: { tokenizer: 'tokenizer.json', maxLength: 77, padId: tokenizer.model.vocab['<|endoftext|>']!, model: { file: 'text_model.onnx', ids: 'input_ids', output: 'text_embeds' } },
    files: Object.fromEntries(
      Object.entries(files).map(([name, bytes]) => [name, manifestFileEntry(bytes)]),
    ),
  };
  writeFileSync(join(dir, 'model.json'), JSON.stringify(manifest, null, 2));
}
