import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { manifestFileEntry } from '../../model/manifest.ts';
import { encodeModel, FLOAT, INT64, onnx, valueInfo } from '../../model/onnx-builder.ts';


export const COLOUR_MODEL_ID = 'colour-test';
export const COLOUR_MODEL_DIM = 3;
const MAX_LENGTH = 8;

/**
 * Colour words and the (R, G, B) direction each means. The image tower of the colour model embeds a photo
 * as its mean colour (normalized to −1…1 per channel), the text tower a text as the mean of its colour
 * words, so "red" finds red photos: a real manifest, real ONNX sessions and a real tokenizer whose results
 * a test can predict, with no file from outside the repository.
 */
const WORDS: Record<string, [number, number, number]> = {
  red: [1, -1, -1],
  green: [-1, 1, -1],
  blue: [-1, -1, 1],
  yellow: [1, 1, -1],
  white: [1, 1, 1],
  black: [-1, -1, -1],
};

/** Writes the colour model's folder (model.json, two ONNX files, tokenizer.json) and returns it. */
export function writeColourModel(dir: string, id = COLOUR_MODEL_ID): string {
  mkdirSync(dir, { recursive: true });
  const vocab: Record<string, number> = { '[PAD]': 0, '[UNK]': 1 };
  Object.keys(WORDS).forEach((word, i) => (vocab[word] = i + 2));
  const table = [[0, 0, 0], [0, 0, 0], ...Object.values(WORDS)].flat();
  const vision = encodeModel({
    name: 'vision',
    node: [
      { opType: 'GlobalAveragePool', input: ['pixel_values'], output: ['pooled'] },
      { opType: 'Flatten', input: ['pooled'], output: ['image_embeds'] },
    ],
    input: [valueInfo('pixel_values', FLOAT, ['batch', 3, 32, 32])],
    output: [valueInfo('image_embeds', FLOAT, ['batch', 3])],
  });
  const text = encodeModel({
    name: 'text',
    node: [
      { opType: 'Gather', input: ['table', 'input_ids'], output: ['tokens'] },
      {
        opType: 'ReduceSum',
        input: ['tokens', 'axes'],
        output: ['text_embeds'],
        attribute: [{ name: 'keepdims', i: 0, type: onnx.AttributeProto.AttributeType.INT }],
      },
    ],
    initializer: [
      { name: 'table', dims: [table.length / 3, 3], dataType: FLOAT, floatData: table },
      { name: 'axes', dims: [1], dataType: INT64, int64Data: [1] },
    ],
    input: [valueInfo('input_ids', INT64, ['batch', MAX_LENGTH])],
    output: [valueInfo('text_embeds', FLOAT, ['batch', 3])],
  });
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [],
    normalizer: { type: 'Lowercase' },
    pre_tokenizer: { type: 'Whitespace' },
    post_processor: null,
    decoder: null,
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
  const files: Record<string, Uint8Array> = {
    'vision.onnx': vision,
    'text.onnx': text,
    'tokenizer.json': Buffer.from(JSON.stringify(tokenizer)),
  };
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  const manifest = {
    schema: 1,
    id,
    name: 'Colour test model',
    license: 'MIT',
    embeddingDim: COLOUR_MODEL_DIM,
    image: {
      preprocess: { size: 32, resize: 'squash', mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] },
      model: { file: 'vision.onnx', inputs: { pixel_values: 'pixels' }, output: 'image_embeds' },
    },
    text: { tokenizer: 'tokenizer.json', maxLength: MAX_LENGTH, padId: 0, model: { file: 'text.onnx', ids: 'input_ids', output: 'text_embeds' } },
    files: Object.fromEntries(
      Object.entries(files).map(([name, bytes]) => [name, manifestFileEntry(bytes)]),
    ),
  };
  writeFileSync(join(dir, 'model.json'), JSON.stringify(manifest, null, 2));
  return dir;
}
