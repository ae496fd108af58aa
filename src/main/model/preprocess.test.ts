import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ImageDecodeError } from './embedder-types.ts';
import { DECODED_SIDE, decodeImage, decodeSide, flipHorizontal, type ImagePreprocessing, prepareImage, toModelInput } from './preprocess.ts';

const squash: ImagePreprocessing = { size: 224, resize: 'squash', mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] };
const crop: ImagePreprocessing = { ...squash, resize: 'center-crop' };
const dir = mkdtempSync(join(tmpdir(), 'subspace-pre-'));

/** A 400×200 image: red left quarter, green middle half, blue right quarter. */
async function bands(): Promise<Buffer> {
  const raw = Buffer.alloc(400 * 200 * 3);
  for (let y = 0; y < 200; y++)
    for (let x = 0; x < 400; x++) {
      const channel = x < 100 ? 0 : x < 300 ? 1 : 2;
      raw[(y * 400 + x) * 3 + channel] = 255;
    }
  return sharp(raw, { raw: { width: 400, height: 200, channels: 3 } }).png().toBuffer();
}

const pixel = (t: Float32Array, c: number, y: number, x: number) => t[c * 224 * 224 + y * 224 + x]!;

describe('prepareImage', () => {
  it('squashes the whole image into the tensor, normalized with the given mean and std', async () => {
    const image = await prepareImage(await bands(), squash);
    expect(image.tensor.length).toBe(3 * 224 * 224);
    expect([image.width, image.height]).toEqual([400, 200]);
    expect(pixel(image.tensor, 0, 100, 5)).toBeCloseTo(1, 2);
    expect(pixel(image.tensor, 1, 100, 5)).toBeCloseTo(-1, 2);
    expect(pixel(image.tensor, 2, 100, 218)).toBeCloseTo(1, 2);
  });

  it('puts the channels in BGR order and subtracts the Caffe means on the 0–255 scale for Keras models', async () => {
    const caffe: ImagePreprocessing = {
      ...squash,
      channels: 'bgr',
      mean: [103.939 / 255, 116.779 / 255, 123.68 / 255],
      std: [1 / 255, 1 / 255, 1 / 255],
    };
    const image = await prepareImage(await bands(), caffe);
    expect(pixel(image.tensor, 0, 100, 5)).toBeCloseTo(-103.939, 2);
    expect(pixel(image.tensor, 2, 100, 5)).toBeCloseTo(255 - 123.68, 2);
    expect(pixel(image.tensor, 0, 100, 218)).toBeCloseTo(255 - 103.939, 2);
    expect(pixel(image.tensor, 1, 100, 112)).toBeCloseTo(255 - 116.779, 2);
  });

  it('center-crops for CLIP: the outer bands fall outside the crop', async () => {
    const image = await prepareImage(await bands(), crop);
    expect(pixel(image.tensor, 1, 100, 5)).toBeCloseTo(1, 2);
    expect(pixel(image.tensor, 1, 100, 218)).toBeCloseTo(1, 2);
  });

  it('applies EXIF orientation and reports the rotated size', async () => {
    const rotated = await sharp(await bands()).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const image = await prepareImage(rotated, squash);
    expect([image.width, image.height]).toEqual([200, 400]);
    expect(pixel(image.tensor, 0, 5, 112)).toBeGreaterThan(0.8);
  });

  it('drops alpha and reads PNG, WebP, GIF and TIFF', async () => {
    const rgba = sharp({ create: { width: 64, height: 48, channels: 4, background: { r: 10, g: 200, b: 30, alpha: 0.5 } } });
    for (const format of ['png', 'webp', 'gif', 'tiff'] as const) {
      const image = await prepareImage(await rgba.clone().toFormat(format).toBuffer(), squash);
      expect(image.width).toBe(64);
      expect(image.tensor.length).toBe(3 * 224 * 224);
    }
  });

  it('gives a clear ImageDecodeError for a corrupt JPEG, a text file and a missing file', async () => {
    const jpeg = await sharp(await bands()).jpeg().toBuffer();
    const corrupt = join(dir, 'corrupt.jpg');
    writeFileSync(corrupt, jpeg.subarray(0, 600));
    const text = join(dir, 'notes.jpg');
    writeFileSync(text, 'this is not a photo');
    for (const path of [corrupt, text, join(dir, 'missing.jpg')]) {
      const error = await prepareImage(path, squash).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImageDecodeError);
      expect((error as ImageDecodeError).message).toContain(path);
    }
  });
});

describe('decodeImage', () => {
  it('decodes a camera-size photo at a bounded size, keeping its own size and aspect', async () => {
    const jpeg = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#336699' } }).jpeg().toBuffer();
    const decoded = await decodeImage(jpeg, decodeSide(squash));
    expect([decoded.originalWidth, decoded.originalHeight]).toEqual([4000, 3000]);
    expect([decoded.width, decoded.height]).toEqual([341, DECODED_SIDE]);
    expect(decoded.channels).toBe(3);
    // A model that takes a larger input gets pixels enough for it.
    expect((await decodeImage(jpeg, decodeSide({ ...squash, size: 336 }))).height).toBe(336);
  });

  it('keeps a small photo as it is, so the model input is what prepareImage made before (training features)', async () => {
    const decoded = await decodeImage(await bands(), decodeSide(squash));
    expect([decoded.width, decoded.height]).toEqual([400, 200]);
    const direct = await sharp(await bands()).resize(224, 224, { fit: 'fill', kernel: 'lanczos3' }).removeAlpha().raw().toBuffer();
    const tensor = (await toModelInput(decoded, squash)).tensor;
    expect(tensor[0]).toBeCloseTo(direct[0]! / 127.5 - 1, 5);
    expect(tensor[224 * 224 + 150]).toBeCloseTo(direct[150 * 3 + 1]! / 127.5 - 1, 5);
  });

  it('turns greyscale into three channels and keeps alpha for the thumbnail', async () => {
    const grey = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#808080' } }).greyscale().jpeg().toBuffer();
    expect((await decodeImage(grey, DECODED_SIDE)).channels).toBe(3);
    const rgba = await sharp({ create: { width: 64, height: 48, channels: 4, background: { r: 10, g: 200, b: 30, alpha: 0.5 } } }).png().toBuffer();
    expect((await decodeImage(rgba, DECODED_SIDE)).channels).toBe(4);
  });
});

describe('flipHorizontal', () => {
  it('mirrors every row of every channel', () => {
    const t = Float32Array.from({ length: 2 * 2 * 3 }, (_, i) => i);
    expect(Array.from(flipHorizontal(t, 3))).toEqual([2, 1, 0, 5, 4, 3, 8, 7, 6, 11, 10, 9]);
  });
});
