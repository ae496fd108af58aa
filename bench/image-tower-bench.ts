import { readFile } from 'node:fs/promises';
import { writeThumbnail } from '../src/main/indexing/thumbnail.ts';
import { tempDir } from '../src/main/indexing/testing/fixtures.ts';
import { loadEmbedder, type EmbedderOptions } from '../src/main/model/embedder.ts';
import type { PreparedImage } from '../src/main/model/embedder-types.ts';
import { since } from './stats.ts';

export interface ImageTowerFigures {
  images: number;
  batch: number;
  imagesPerSecond: number;
  /** Per photo, one at a time: decode + preprocess for the model, the thumbnail, the image tower. */
  stageMs: { prepare: number; thumbnail: number; embed: number };
}

/**
 * The bare image tower: images decoded and preprocessed beforehand (untimed), then only the ONNX runs are
 * timed, with the indexer's thread count and batch size. The ceiling the indexing pipeline is compared to.
 */
export async function benchImageTower(options: EmbedderOptions, images: readonly string[], batch = 16): Promise<ImageTowerFigures> {
  const embedder = await loadEmbedder({ ...options, threads: 2 });
  try {
    const bytes = await Promise.all(images.map((path) => readFile(path)));
    let start = performance.now();
    const prepared: PreparedImage[] = [];
    for (const image of bytes) prepared.push(await embedder.prepareImage(image));
    const prepare = since(start) / bytes.length;
    const thumbs = tempDir('bench-thumbs');
    start = performance.now();
    for (const [i, image] of bytes.entries()) await writeThumbnail(image, thumbs.path, `t${i}`);
    const thumbnail = since(start) / bytes.length;
    thumbs.remove();
    await embedder.embedPrepared(prepared.slice(0, batch));
    start = performance.now();
    for (let i = 0; i < prepared.length; i += batch) await embedder.embedPrepared(prepared.slice(i, i + batch));
    const embedMs = since(start);
    return { images: prepared.length, batch, imagesPerSecond: (1000 * prepared.length) / embedMs, stageMs: { prepare, thumbnail, embed: embedMs / prepared.length } };
  } finally {
    await embedder.close();
  }
}
