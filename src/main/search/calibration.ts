import { z } from 'zod';
import calibrations from './calibration.json' with { type: 'json' };

/**
 * How a model's cosine similarities translate into "these match". Measured per model by `calibrate.ts` on
 * Flickr 8k dev: matching pairs are a photo and one of its own captions, non-matching pairs a photo and a
 * caption of another photo. See docs/architecture.md ("Score calibration").
 */
export const Calibration = z.object({
  modelId: z.string(),
  /** sha256 of each file of the model that was measured (from its manifest): a retrained model needs a new calibration. */
  modelFiles: z.record(z.string(), z.string()),
  dataset: z.string(),
  matching: z.number().int().positive(),
  nonMatching: z.number().int().positive(),
  /** p(match | cosine) = 1 / (1 + exp(−(a·cosine + b))), fitted on balanced classes. */
  logistic: z.object({ a: z.number(), b: z.number() }),
  /** Cosine above which a pair is suggested: where at most `falsePositiveRate` of non-matching pairs score. */
  suggestThreshold: z.number(),
  falsePositiveRate: z.number(),
  /** Share of matching pairs above the threshold. */
  truePositiveRate: z.number(),
  createdAt: z.string(),
});
export type Calibration = z.infer<typeof Calibration>;

const CalibrationFile = z.record(z.string(), Calibration);

/** The calibration of a model, or undefined for a model never calibrated (e.g. a user-supplied CLIP export). */
export function calibrationFor(modelId: string): Calibration | undefined {
  return CalibrationFile.parse(calibrations)[modelId];
}

/** A similarity as a 0…1 score: the calibrated match probability, or (1 + cosine) / 2 without calibration. */
export function scoreOf(similarity: number, calibration: Calibration | undefined): number {
  if (!calibration) return Math.min(1, Math.max(0, (1 + similarity) / 2));
  const { a, b } = calibration.logistic;
  return 1 / (1 + Math.exp(-(a * similarity + b)));
}
