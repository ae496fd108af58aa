/**
 * Where good matches end, per query, on the cosine. A photo is a good match when it clears the floor and either
 * the model's threshold or the query's own outliers:
 * - floor: the similarity that 1 % of unrelated captions reach on this library's photos (estimated, no labels);
 * - threshold: where 1 % of non-matching photo–caption pairs scored when the model was calibrated on labelled
 *   pairs (search/calibration.json); a model without one has only the outlier test;
 * - outliers: a query's similarities to most photos of a library are those of unrelated pairs, so a match
 *   stands out from them by `OUTLIER_Z` robust standard deviations. This keeps short queries ("a dog"), whose
 *   similarities run lower than the one-sentence captions the threshold was measured on; a query the model
 *   cannot read lifts every photo a little and none out of the crowd.
 * Figures behind the constants: docs/architecture.md ("Good matches") and bench/relevance.ts.
 */
import { dot } from '../model/vectors.ts';

/** How far above the query's typical similarity (in standard deviations) a good match lies. */
export const OUTLIER_Z = 3;
/** Below this many photos a library says too little about a query's typical similarity: only the threshold applies. */
export const MIN_BASELINE = 40;
/** The 99th percentile of a normal distribution: the estimated threshold lets 1 % of unrelated pairs through. */
const Z_99 = 2.326;
/** Median absolute deviation → standard deviation, for a normal distribution. */
const MAD_TO_SD = 1.4826;

/**
 * Everyday scenes far apart from one another: for almost every photo most of them describe something else, so
 * their similarities to a library's photos show how an unrelated pair scores with a model nobody calibrated.
 */
export const UNRELATED_CAPTIONS = [
  'a bowl of soup on a kitchen table',
  'a red car parked on a city street',
  'a city skyline at night',
  'a cat sleeping on a sofa',
  'a plate of pasta with tomato sauce',
  'an old wooden boat on a lake',
  'a laptop and a cup of coffee on a desk',
  'a mountain covered in snow',
  'a bunch of bananas',
  'a crowded train station',
  'a close-up of a sunflower',
  'a library with shelves of books',
  'an airplane in a blue sky',
  'a horse in a green field',
  'a birthday cake with candles',
  'a bicycle leaning against a wall',
  'a bridge over a river',
  'a bathroom with a white sink',
  'a football stadium full of fans',
  'a cup of tea and a teapot',
  'a desert with sand dunes',
  'a tractor on a farm',
  'a violin on a chair',
  'a fish tank with colourful fish',
  'a pile of autumn leaves',
  'a parrot on a branch',
  'a chess board with pieces',
  'a market stall selling vegetables',
  'a lighthouse by the sea',
  'a child drawing with crayons',
  'a motorbike on a country road',
  'a pizza in a box',
  'a snowy forest path',
  'an empty classroom',
  'a dog sleeping on a rug',
  'a waterfall in a jungle',
  'a pair of running shoes',
  'a wedding dress on a hanger',
  'a kitchen with a refrigerator and an oven',
  'a bus at a bus stop',
] as const;

/** The cosine above which 1 % of unrelated pairs fall, estimated robustly (median and MAD) from photos × unrelated captions. */
export function estimateThreshold(photos: readonly Float32Array[], captions: readonly Float32Array[]): number {
  const scores: number[] = [];
  for (const photo of photos) for (const caption of captions) scores.push(dot(photo, caption));
  const median = medianOf(scores);
  const mad = medianOf(scores.map((s) => Math.abs(s - median)));
  return median + Z_99 * MAD_TO_SD * mad;
}

/** What a query's cutoff is made of (see the top of this file); `floor` is null for a library too small to estimate it. */
export interface CutoffBasis {
  floor: number | null;
  threshold: number | null;
}

/** The cosine a photo needs to be a good match for this query, or null when nothing can tell yet. */
export function queryCutoff(query: Float32Array, basis: CutoffBasis, baseline: readonly Float32Array[], z = OUTLIER_Z): number | null {
  const typical = basis.floor === null ? null : typicalSimilarity(query, baseline);
  if (!typical) return basis.threshold;
  const outliers = typical.mean + z * typical.sd;
  return Math.max(basis.floor!, basis.threshold === null ? outliers : Math.min(basis.threshold, outliers));
}

/**
 * A query's typical similarity to the baseline photos and its spread: median and 1.4826 × MAD, which the
 * matches themselves do not inflate (a "dog" query in a library where a fifth of the photos show dogs); null
 * for too few photos.
 */
export function typicalSimilarity(query: Float32Array, baseline: readonly Float32Array[]): { mean: number; sd: number } | null {
  if (baseline.length < MIN_BASELINE) return null;
  const scores = baseline.map((photo) => dot(query, photo));
  const median = medianOf(scores);
  return { mean: median, sd: Math.max(1e-6, MAD_TO_SD * medianOf(scores.map((s) => Math.abs(s - median)))) };
}

function medianOf(values: number[]): number {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
