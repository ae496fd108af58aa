import { readFile } from 'node:fs/promises';
import { writeThumbnail, writeThumbnailOf } from '../src/main/indexing/thumbnail.ts';
import { tempDir } from '../src/main/indexing/testing/fixtures.ts';
import { loadEmbedder, type EmbedderOptions } from '../src/main/model/embedder.ts';
import type { PreparedImage } from '../src/main/model/embedder-types.ts';
import { since } from './stats.ts';

export interface ImageTowerFigures {
  images: number;
  batch: number;
  imagesPerSecond: number;
  /**
   * Per photo, one at a time, in CPU milliseconds (a contended machine stretches wall time, not CPU time):
   * the one decode, the model input and the thumbnail made from it; and, for comparison, a thumbnail decoded
   * from the file again (as indexing did before). `embed`: wall milliseconds per image of the batched tower,
   * `embedCpu` its CPU milliseconds (both threads).
   */
  stageMs: { decode: number; modelInput: number; thumbnail: number; embed: number; embedCpu: number; thumbnailFromFile: number };
}

/**
 * The bare image tower: images decoded and preprocessed beforehand, then only the ONNX runs are timed, with
 * the indexer's thread count and batch size. The ceiling the indexing pipeline is compared to.
 */
export async function benchImageTower(options: EmbedderOptions, images: readonly string[], batch = 16): Promise<ImageTowerFigures> {
  const embedder = await loadEmbedder({ ...options, threads: 2 });
  const thumbs = tempDir('bench-thumbs');
  try {
    const ms = { decode: 0, modelInput: 0, thumbnail: 0, thumbnailFromFile: 0 };
    const timed = async <T>(stage: keyof typeof ms, work: () => Promise<T>): Promise<T> => {
      const start = process.cpuUsage();
      const result = await work();
      const used = process.cpuUsage(start);
      ms[stage] += (used.user + used.system) / 1000;
      return result;
    };
    const prepared: PreparedImage[] = [];
    for (const [i, path] of images.entries()) {
      const bytes = await readFile(path);
      const decoded = await timed('decode', () => embedder.decodeImage(bytes));
      prepared.push(await timed('modelInput', () => embedder.prepareDecoded(decoded)));
      await timed('thumbnail', () => writeThumbnailOf(decoded, thumbs.path, `t${i}`));
      await timed('thumbnailFromFile', () => writeThumbnail(bytes, thumbs.path, `f${i}`));
    }
    await embedder.embedPrepared(prepared.slice(0, batch));
    const start = performance.now();
    const cpu = process.cpuUsage();
    for (let i = 0; i < prepared.length; i += batch) await embedder.embedPrepared(prepared.slice(i, i + batch));
    const embedMs = since(start);
    const embedCpu = process.cpuUsage(cpu);
    return {
      images: prepared.length,
      batch,
      imagesPerSecond: (1000 * prepared.length) / embedMs,
      stageMs: {
        decode: ms.decode / images.length,
        modelInput: ms.modelInput / images.length,
        thumbnail: ms.thumbnail / images.length,
        embed: embedMs / prepared.length,
        embedCpu: (embedCpu.user + embedCpu.system) / 1000 / prepared.length,
        thumbnailFromFile: ms.thumbnailFromFile / images.length,
      },
    };
  } finally {
    thumbs.remove();
    await embedder.close();
  }
}
