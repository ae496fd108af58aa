import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { clipTokenizerJson } from './clip-tokenizer.ts';
import { loadEmbedder } from './embedder.ts';
import { loadManifest } from './manifest.ts';
import { writeSmallClipMerges } from './testing/small-clip-merges.ts';
import { writeTinyClipModel } from './testing/tiny-clip.ts';
import { sharedPath } from './testing/shared-data.ts';
import { loadTokenizer } from './tokenizer.ts';

async function tokenizerFrom(merges: string) {
  const json = clipTokenizerJson(readFileSync(merges)) as { model: { vocab: Record<string, number> } };
  const path = join(mkdtempSync(join(tmpdir(), 'subspace-clip-tokenizer-')), 'tokenizer.json');
  writeFileSync(path, JSON.stringify(json));
  return { tokenizer: await loadTokenizer(path), vocab: json.model.vocab };
}

describe('a standard CLIP export through the manifest', () => {
  const dir = mkdtempSync(join(tmpdir(), 'subspace-clip-'));
  const merges = writeSmallClipMerges(dir);
  writeTinyClipModel(dir, merges);

  it('builds a CLIP tokenizer from a merges file: byte symbols, one token per merge, start and end tokens', async () => {
    const { tokenizer, vocab } = await tokenizerFrom(merges);
    const [start, a, red, photo, end] = ['<|startoftext|>', 'a</w>', 'red</w>', 'photo</w>', '<|endoftext|>'].map((token) => vocab[token]);
    expect(tokenizer.encode('A  RED photo')).toEqual([start, a, red, photo, end]);
    expect(end).toBe(Object.keys(vocab).length - 1);
  });

  it('loads and embeds photos and texts as normalized vectors of the manifest size', async () => {
    const embedder = await loadEmbedder({ modelDir: dir, providers: ['cpu'], threads: 1 });
    expect(embedder.modelId).toBe('tiny-clip-test');
    expect(embedder.provider).toEqual({ name: 'cpu', fallbacks: [] });
    const photo = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#c04020' } }).jpeg().toBuffer();
    const [image] = await embedder.embedImages([photo]);
    const texts = await embedder.embedTexts(['a photo of a cat', 'x'.repeat(500)]);
    for (const v of [image!, ...texts]) {
      expect(v.length).toBe(16);
      expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    }
    await embedder.close();
  });

  it('refuses a damaged file with a clear message', async () => {
    const damaged = mkdtempSync(join(tmpdir(), 'subspace-clip-damaged-'));
    writeTinyClipModel(damaged, writeSmallClipMerges(damaged));
    writeFileSync(join(damaged, 'text_model.onnx'), 'truncated');
    await expect(loadManifest(damaged)).rejects.toThrow(/text_model.onnx is damaged/);
  });
});

const realMerges = sharedPath('models', 'clip-bpe', 'bpe_simple_vocab_16e6.txt.gz');

describe.skipIf(!realMerges)('OpenAI CLIP’s own merges (needs ../shared/models/clip-bpe)', () => {
  it('tokenizes exactly as OpenAI CLIP does', async () => {
    const { tokenizer } = await tokenizerFrom(realMerges!);
    expect(tokenizer.encode('a photo of a cat')).toEqual([49406, 320, 1125, 539, 320, 2368, 49407]);
    expect(tokenizer.encode('A  DOG!')).toEqual(tokenizer.encode('a dog !'));
  });
});

describe('manifest validation', () => {
  it('explains what is wrong with an invalid model.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'subspace-badmanifest-'));
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ schema: 1, id: 'Bad Id', name: 'x' }));
    await expect(loadManifest(dir)).rejects.toThrow(/invalid model.json[\s\S]*id/);
    await expect(loadManifest(join(dir, 'nowhere'))).rejects.toThrow(/cannot read model.json/);
  });
});
