import sharp from 'sharp';

/** Captions whose embeddings are recorded with the shipped model, including words the vocabulary lacks. */
export const GOLDEN_CAPTIONS = [
  'A dog runs through the grass.',
  'Two children are playing in the snow',
  'a man rides a bicycle down a dirt path',
  'Zyxqw unknownish wörds, 123!',
];

/** Three lossless synthetic photos, computed from formulas so every machine decodes the same pixels. */
export async function goldenImages(): Promise<Buffer[]> {
  const patterns: ((x: number, y: number) => [number, number, number])[] = [
    (x, y) => [x, y, 255 - x],
    (x, y) => (((x >> 5) + (y >> 5)) % 2 ? [240, 240, 230] : [30, 60, 140]),
    (x, y) => ((x - 128) ** 2 + (y - 96) ** 2 < 60 ** 2 ? [200, 40, 40] : [40, Math.min(255, 100 + y), 60]),
  ];
  return Promise.all(
    patterns.map((pattern) => {
      const width = 256;
      const height = 192;
      const raw = Buffer.alloc(width * height * 3);
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++) raw.set(pattern(x, y).map((v) => v & 255), (y * width + x) * 3);
      return sharp(raw, { raw: { width, height, channels: 3 } }).png().toBuffer();
    }),
  );
}
