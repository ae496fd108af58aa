import { describe, expect, it } from 'vitest';
import { normalize } from '../model/vectors.ts';
import { estimateThreshold, MIN_BASELINE, queryCutoff } from './cutoff.ts';

/** Deterministic pseudo-random unit vectors. */
function randomVectors(n: number, dim: number, seed: number): Float32Array[] {
  let state = seed;
  const uniform = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32 - 0.5;
  return Array.from({ length: n }, () => normalize(Float32Array.from({ length: dim }, uniform)));
}

/** `base` moved towards `towards` by `weight`, normalized. */
function mix(base: Float32Array, towards: Float32Array, weight: number): Float32Array {
  return normalize(base.map((v, i) => (1 - weight) * v + weight * towards[i]!));
}

describe('good-match cutoffs', () => {
  const dim = 64;
  const [query] = randomVectors(1, dim, 7) as [Float32Array];
  const crowd = randomVectors(200, dim, 11);
  const matches = randomVectors(5, dim, 13).map((v) => mix(v, query, 0.8));

  it('keeps photos that stand out from the query’s crowd and drops the crowd', () => {
    const cutoff = queryCutoff(query, { floor: -1, threshold: null }, [...crowd, ...matches])!;
    for (const photo of matches) expect(dotOf(query, photo)).toBeGreaterThanOrEqual(cutoff);
    expect(crowd.filter((photo) => dotOf(query, photo) >= cutoff).length).toBeLessThanOrEqual(2);
  });

  it('takes the lower of the threshold and the outliers, never below the floor', () => {
    const library = [...crowd, ...matches];
    const outliers = queryCutoff(query, { floor: -1, threshold: null }, library)!;
    expect(queryCutoff(query, { floor: -1, threshold: outliers + 0.2 }, library)).toBe(outliers);
    expect(queryCutoff(query, { floor: -1, threshold: outliers - 0.2 }, library)).toBe(outliers - 0.2);
    expect(queryCutoff(query, { floor: outliers + 0.1, threshold: outliers - 0.2 }, library)).toBe(outliers + 0.1);
  });

  it('uses only the measured threshold for a library too small to say, and has none without it', () => {
    expect(queryCutoff(query, { floor: null, threshold: 0.3 }, crowd.slice(0, MIN_BASELINE - 1))).toBe(0.3);
    expect(queryCutoff(query, { floor: null, threshold: null }, crowd.slice(0, MIN_BASELINE - 1))).toBeNull();
  });

  it('finds no outlier for a query that lifts every photo alike', () => {
    const lifted = crowd.map((photo) => mix(photo, query, 0.3));
    const cutoff = queryCutoff(query, { floor: -1, threshold: null }, lifted)!;
    expect(lifted.filter((photo) => dotOf(query, photo) >= cutoff).length).toBeLessThanOrEqual(2);
  });

  it('estimates a threshold that about 1 % of unrelated pairs exceed, even with some related ones among them', () => {
    const captions = randomVectors(40, dim, 17);
    const related = captions.slice(0, 2).map((caption, i) => mix(randomVectors(1, dim, 100 + i)[0]!, caption, 0.9));
    const threshold = estimateThreshold([...crowd, ...related], captions);
    const unrelated = crowd.flatMap((photo) => captions.map((caption) => dotOf(photo, caption)));
    const share = unrelated.filter((s) => s > threshold).length / unrelated.length;
    expect(share).toBeGreaterThan(0.002);
    expect(share).toBeLessThan(0.03);
  });
});

function dotOf(a: Float32Array, b: Float32Array): number {
  return a.reduce((sum, v, i) => sum + v * b[i]!, 0);
}
