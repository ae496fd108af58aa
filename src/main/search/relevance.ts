/**
 * A library's good-match cutoffs (cutoff.ts) with what they need kept at hand: the model's measured threshold,
 * the floor estimated from the library's own photos, and a sample of the library's photo vectors, reloaded at
 * most once a minute so a growing library is followed without a scan per query.
 */
import type { PhotoStore } from '../library/photo-store.ts';
import type { Calibration } from './calibration.ts';
import { estimateThreshold, MIN_BASELINE, queryCutoff, typicalSimilarity, UNRELATED_CAPTIONS } from './cutoff.ts';

/** Photos in the baseline sample; beyond a thousand the statistics barely move. */
const SAMPLE_SIZE = 1_000;
const SAMPLE_MAX_AGE_MS = 60_000;

/**
 * What good-match cutoffs rest on: a threshold `measured` on labelled pairs (scores are match probabilities),
 * only what is `estimated` from the library's photos (an uncalibrated model: a cutoff, not probabilities), or
 * `none` yet (an uncalibrated model and fewer photos than the estimate needs).
 */
export type CutoffSource = 'measured' | 'estimated' | 'none';

export class Relevance {
  private sample: { vectors: Float32Array[]; loadedAt: number } | undefined;
  private estimate: { floor: number; photos: number } | undefined;

  constructor(
    private readonly photos: Pick<PhotoStore, 'sampleVectors'>,
    readonly calibration: Calibration | undefined,
  ) {}

  get source(): CutoffSource {
    return this.calibration ? 'measured' : this.estimate ? 'estimated' : 'none';
  }

  /** The lowest cosine a good match may have: the estimated floor, else the measured threshold; null while there is neither. */
  get floor(): number | null {
    return this.estimate?.floor ?? this.calibration?.suggestThreshold ?? null;
  }

  /** The cosine a photo needs to be a good match for this query, or null when nothing can tell yet. */
  async cutoff(query: Float32Array, embedTexts: (texts: readonly string[]) => Promise<Float32Array[]>): Promise<number | null> {
    const baseline = await this.baseline();
    if (baseline.length >= MIN_BASELINE && (!this.estimate || baseline.length >= 2 * this.estimate.photos)) {
      this.estimate = { floor: estimateThreshold(baseline, await embedTexts(UNRELATED_CAPTIONS)), photos: baseline.length };
    }
    const basis = { floor: this.estimate?.floor ?? null, threshold: this.calibration?.suggestThreshold ?? null };
    return queryCutoff(query, basis, baseline);
  }

  /** How a query scores with the library's photos in general (mean, sd); null for a library too small to say. */
  async typical(query: Float32Array): Promise<{ mean: number; sd: number } | null> {
    return typicalSimilarity(query, await this.baseline());
  }

  private async baseline(): Promise<Float32Array[]> {
    if (!this.sample || Date.now() - this.sample.loadedAt > SAMPLE_MAX_AGE_MS) {
      this.sample = { vectors: await this.photos.sampleVectors(SAMPLE_SIZE), loadedAt: Date.now() };
    }
    return this.sample.vectors;
  }
}
