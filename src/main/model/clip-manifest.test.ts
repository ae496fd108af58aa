import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { clipTokenizerJson } from './clip-tokenizer.ts';
import { loadEmbedder } from './embedder.ts';
import { loadManifest } from './manifest.ts';
import { writeTinyClipModel } from './testing/tiny-clip.ts';
import { sharedPath } from './testing/shared-data.ts';
import { loadTokenizer } from './tokenizer.ts';

const merges = sharedPath('models', 'clip-bpe', 'bpe_simple_vocab_16e6.txt.gz');

describe.skipIf(!merges)('a standard CLIP export through the manifest (needs ../shared/models/clip-bpe)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'subspace-clip-'));
  writeTinyClipModel(dir, merges!);

  it('tokenizes exactly as OpenAI CLIP does', async () => {
    const path = join(dir, 'tokenizer.json');
    writeFileSync(path, JSON.stringify(clipTokenizerJson(readFileSync(merges!))));
    const tokenizer = await loadTokenizer(path);
    expect(tokenizer.encode('a photo of a cat')).toEqual([49406, 320, 1125, 539, 320, 2368, 49407]);
    expect(tokenizer.encode('A  DOG!')).toEqual(tokenizer.encode('a dog !'));
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
    writeTinyClipModel(damaged, merges!);
    writeFileSync(join(damaged, 'text_model.onnx'), 'truncated');
    await expect(loadManifest(damaged)).rejects.toThrow(/text_model.onnx is damaged/);
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
