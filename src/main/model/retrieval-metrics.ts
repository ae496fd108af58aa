import { dot } from './vectors.ts';

export interface RetrievalMetrics {
  i2t_r1: number;
  i2t_r5: number;
  i2t_r10: number;
  t2i_r1: number;
  t2i_r5: number;
  t2i_r10: number;
  rsum: number;
}

/**
 * The standard image–caption protocol: image→text counts a hit when any of the image's captions ranks in
 * the top K; text→image ranks all images for each caption. Recalls are percentages; rSum adds the six.
 * `captionImage[j]` is the index of caption j's image. Vectors are L2-normalized, so dot = cosine.
 */
export function retrievalMetrics(images: readonly Float32Array[], captions: readonly Float32Array[], captionImage: readonly number[]): RetrievalMetrics {
  const sims = captions.map((caption) => images.map((image) => dot(image, caption)));
  const i2tRanks = images.map((_, i) => {
    const scores = sims.map((row) => row[i]!);
    let best = Number.POSITIVE_INFINITY;
    captionImage.forEach((owner, j) => {
      if (owner === i) best = Math.min(best, rankOf(scores, j));
    });
    return best;
  });
  const t2iRanks = sims.map((row, j) => rankOf(row, captionImage[j]!));
  const recall = (ranks: number[], k: number) => (100 * ranks.filter((r) => r < k).length) / ranks.length;
  const m = {
    i2t_r1: recall(i2tRanks, 1),
    i2t_r5: recall(i2tRanks, 5),
    i2t_r10: recall(i2tRanks, 10),
    t2i_r1: recall(t2iRanks, 1),
    t2i_r5: recall(t2iRanks, 5),
    t2i_r10: recall(t2iRanks, 10),
  };
  return { ...m, rsum: Object.values(m).reduce((a, b) => a + b, 0) };
}

/**
 * Text→image recall for the captions picked by `subset` (indices into `captions`), each ranked against all
 * images: the held-out-concept protocol scores only the captions that mention a held-out concept.
 */
export function textToImageRecall(
  images: readonly Float32Array[],
  captions: readonly Float32Array[],
  captionImage: readonly number[],
  subset: readonly number[],
): { captions: number; t2i_r1: number; t2i_r5: number; t2i_r10: number } {
  const ranks = subset.map((j) => rankOf(images.map((image) => dot(image, captions[j]!)), captionImage[j]!));
  const recall = (k: number) => (ranks.length === 0 ? 0 : (100 * ranks.filter((r) => r < k).length) / ranks.length);
  return { captions: ranks.length, t2i_r1: recall(1), t2i_r5: recall(5), t2i_r10: recall(10) };
}

/** How many entries score strictly higher than entry `index` (0 = ranked first). */
function rankOf(scores: readonly number[], index: number): number {
  const target = scores[index]!;
  let rank = 0;
  for (const score of scores) if (score > target) rank++;
  return rank;
}

