import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadEmbedder } from '../model/embedder.ts';
import type { Embedder } from '../model/embedder-types.ts';
import { decodePhoto } from './photo-task.ts';
import { writeColourModel } from './testing/colour-model.ts';
import { tempDir } from './testing/fixtures.ts';

/** Every time sharp is handed a photo's encoded bytes, it decodes them (raw pixels and generated images aside). */
const decodes = vi.hoisted(() => ({ count: 0 }));
vi.mock('sharp', async (importOriginal) => {
  const actual = await importOriginal<{ default: typeof sharp }>();
  const real = actual.default;
  const counting = (input?: unknown, options?: { raw?: unknown }) => {
    if (Buffer.isBuffer(input) && !options?.raw) decodes.count++;
    return real(input as Buffer, options as Parameters<typeof real>[1]);
  };
  return { ...actual, default: Object.assign(counting, real) };
});

const dir = tempDir('photo-task');
const library = join(dir.path, 'library');
let embedder: Embedder;
let photo: string;

/** A camera-size photo, red above and blue below, taken with the camera turned a quarter clockwise. */
async function turnedPhoto(): Promise<string> {
  const [width, height] = [1600, 1200];
  const raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) raw[i * 3 + (i < (width * height) / 2 ? 0 : 2)] = 230;
  const path = join(dir.path, 'turned.jpg');
  writeFileSync(path, await sharp(raw, { raw: { width, height, channels: 3 } }).jpeg().withMetadata({ orientation: 6 }).toBuffer());
  return path;
}

beforeAll(async () => {
  embedder = await loadEmbedder({ modelDir: writeColourModel(join(dir.path, 'model')), providers: ['cpu'] });
  photo = await turnedPhoto();
});

afterAll(async () => {
  await embedder.close();
  dir.remove();
});

describe('decodePhoto', () => {
  it('decodes a photo once for both its thumbnail and its model input, upright in both', async () => {
    decodes.count = 0;
    const decoded = await decodePhoto({ id: 'turned', path: photo, root: dir.path, thumb: null }, embedder, library);
    expect(decodes.count).toBe(1);
    if (decoded.kind !== 'decoded') throw new Error(`not decoded: ${decoded.kind}`);
    expect([decoded.row.width, decoded.row.height]).toEqual([1200, 1600]);

    const thumbnail = await sharp(join(library, decoded.row.thumb!)).raw().toBuffer({ resolveWithObject: true });
    expect([thumbnail.info.width, thumbnail.info.height]).toEqual([192, 256]);
    const thumbPixel = (x: number) => [...thumbnail.data.subarray((128 * 192 + x) * 3, (128 * 192 + x) * 3 + 3)];
    // Turned upright, the top of the sensor (red) is on the right.
    expect(thumbPixel(180)[0]).toBeGreaterThan(180);
    expect(thumbPixel(10)[2]).toBeGreaterThan(180);
    const size = 32;
    const tensorAt = (channel: number, x: number) => decoded.image.tensor[channel * size * size + 16 * size + x]!;
    expect(tensorAt(0, 30)).toBeGreaterThan(0.5);
    expect(tensorAt(2, 1)).toBeGreaterThan(0.5);
  });

  it('decodes once when the photo keeps its thumbnail (re-embedding after a model switch)', async () => {
    decodes.count = 0;
    const decoded = await decodePhoto({ id: 'turned', path: photo, root: dir.path, thumb: 'thumbs/tu/turned.jpg' }, embedder, library);
    expect(decodes.count).toBe(1);
    expect(decoded.kind === 'decoded' && decoded.row.thumb).toBe('thumbs/tu/turned.jpg');
  });
});
