import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calibrationFor, scoreOf, type Calibration } from './calibration.ts';
import { embeddedModelDir } from '../model/embedder.ts';
import { fitLogistic, thresholdAt } from './calibrate.ts';

/** Deterministic normal samples (Box–Muller on a fixed sequence). */
function normal(n: number, mean: number, sd: number, seed: number): Float32Array {
  let state = seed;
  const uniform = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
  return Float32Array.from({ length: n }, () => mean + sd * Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()));
}

describe('score calibration', () => {
  const scores = { matching: normal(5_000, 0.5, 0.1, 1), nonMatching: normal(200_000, 0.1, 0.1, 2) };

  it('puts the threshold where the chosen share of non-matching pairs lies above it', () => {
    const { threshold, truePositiveRate } = thresholdAt(scores, 0.01);
    expect(threshold).toBeCloseTo(0.1 + 2.326 * 0.1, 1);
    expect(scores.nonMatching.filter((s) => s > threshold).length / scores.nonMatching.length).toBeCloseTo(0.01, 2);
    expect(truePositiveRate).toBeGreaterThan(0.9);
  });

  it('fits p(match) with balanced classes: 0.5 halfway between the two means', () => {
    const calibration: Calibration = {
      modelId: 'test',
      modelFiles: {},
      dataset: 'two normal distributions',
      matching: scores.matching.length,
      nonMatching: scores.nonMatching.length,
      logistic: fitLogistic(scores),
      suggestThreshold: 0.3,
      falsePositiveRate: 0.01,
      truePositiveRate: 0.9,
      createdAt: '2026-01-01T00:00:00Z',
    };
    expect(scoreOf(0.3, calibration)).toBeCloseTo(0.5, 1);
    expect(scoreOf(0.6, calibration)).toBeGreaterThan(0.99);
    expect(scoreOf(0.0, calibration)).toBeLessThan(0.01);
  });

  it('falls back to (1 + cosine) / 2 for a model without calibration', () => {
    expect(calibrationFor('never-calibrated')).toBeUndefined();
    expect(scoreOf(0.5, undefined)).toBe(0.75);
  });

  it('holds a calibration of the embedded model as it is now (rerun calibrate.ts after training)', () => {
    const manifestPath = join(embeddedModelDir(), 'model.json');
    if (!existsSync(manifestPath)) {
      console.warn('[skip] the embedded model is absent: its calibration cannot be compared.');
      return;
    }
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { id: string; files: Record<string, { sha256: string }> };
    const calibration = calibrationFor(manifest.id);
    expect(calibration, `no calibration for ${manifest.id}: run npx tsx src/main/search/calibrate.ts`).toBeDefined();
    const files = Object.fromEntries(Object.entries(manifest.files).map(([file, { sha256 }]) => [file, sha256]));
    expect(calibration!.modelFiles, `calibration.json is stale for ${manifest.id}: run npx tsx src/main/search/calibrate.ts`).toEqual(files);
  });
});
