/**
 * Where good matches end, per query. Two tests, both on the cosine:
 * - the model's threshold: where 1 % of non-matching photo–text pairs score (measured on labelled pairs for a
 *   calibrated model, estimated from the library's photos against unrelated captions otherwise);
 * - the query's own outliers: a query's similarities to most photos of a library are those of unrelated
 *   pairs, so a good match stands out from them by `OUTLIER_Z` standard deviations. A query the model cannot
 *   read ("xqzvw plorf") lifts every photo a little and none out of the crowd.
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

/**
 * The cosine a photo needs to be a good match for this query: the model's threshold, raised to where the
 * query's outliers begin among the baseline photos (a sample of the library) when there are enough of them.
 */
export function queryCutoff(query: Float32Array, threshold: number, baseline: readonly Float32Array[]): number {
  if (baseline.length < MIN_BASELINE) return threshold;
  let sum = 0;
  let sumSquares = 0;
  for (const photo of baseline) {
    const s = dot(query, photo);
    sum += s;
    sumSquares += s * s;
  }
  const mean = sum / baseline.length;
  const sd = Math.sqrt(Math.max(0, sumSquares / baseline.length - mean * mean));
  return Math.max(threshold, mean + OUTLIER_Z * sd);
}

function medianOf(values: number[]): number {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
