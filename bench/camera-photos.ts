import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

/** A phone camera's 12 MP frame. */
export const CAMERA_SIZE = { width: 4000, height: 3000 };

/**
 * Writes `count` camera-size JPEGs (quality 90, EXIF make, model and date) that compress like photos: a
 * smooth scene (random waves of colour, computed at a tenth of the size and enlarged) under sensor-like
 * Gaussian grain, so each file is a few megabytes and decoding it costs what a real photo's does. Every
 * photo differs (no two share a content hash). Returns their paths.
 */
export async function writeCameraPhotos(dir: string, count: number, size = CAMERA_SIZE): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const paths: string[] = [];
  const raw = { ...size, channels: 3 as const };
  const small = { width: Math.round(size.width / 10), height: Math.round(size.height / 10), channels: 3 as const };
  const grain = await sharp({ create: { ...raw, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 12 } } }).raw().toBuffer();
  for (let i = 0; i < count; i++) {
    const path = join(dir, `IMG_${String(1000 + i)}.jpg`);
    const smooth = await sharp(scene(small.width, small.height, i + 1), { raw: small }).resize(size.width, size.height, { kernel: 'cubic' }).raw().toBuffer();
    await sharp(smooth, { raw })
      .composite([{ input: grain, raw, blend: 'overlay' }])
      .withExif({
        IFD0: { Make: 'Google', Model: 'Pixel 7' },
        IFD2: { DateTimeOriginal: `2024:05:${String(1 + (i % 28)).padStart(2, '0')} 12:${String(i % 60).padStart(2, '0')}:00` },
      })
      .jpeg({ quality: 90 })
      .toFile(path);
    paths.push(path);
  }
  return paths;
}

function scene(width: number, height: number, seed: number): Buffer {
  let state = seed * 2654435761;
  const random = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const waves = Array.from({ length: 3 }, () =>
    Array.from({ length: 4 }, () => ({ fx: (random() * 8 * Math.PI) / width, fy: (random() * 8 * Math.PI) / height, phase: random() * 2 * Math.PI, amplitude: 15 + random() * 35 })),
  );
  const base = Array.from({ length: 3 }, () => 60 + random() * 120);
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < 3; c++) {
        let value = base[c]!;
        for (const w of waves[c]!) value += w.amplitude * Math.sin(w.fx * x + w.phase) * Math.cos(w.fy * y);
        pixels[(y * width + x) * 3 + c] = Math.max(0, Math.min(255, value));
      }
  return pixels;
}
