/**
 * A library's good-match cutoffs (cutoff.ts) with what they need kept at hand: the model's threshold (measured,
 * or estimated from the library's own photos for a model without a calibration) and a sample of the library's
 * photo vectors, reloaded at most once a minute so a growing library is followed without a scan per query.
 */
import type { PhotoStore } from '../library/photo-store.ts';
import type { Calibration } from './calibration.ts';
import { estimateThreshold, MIN_BASELINE, queryCutoff, UNRELATED_CAPTIONS } from './cutoff.ts';

/** Photos in the baseline sample; beyond a thousand the statistics barely move. */
const SAMPLE_SIZE = 1_000;
const SAMPLE_MAX_AGE_MS = 60_000;

/**
 * Where the good-match threshold comes from: `measured` on labelled pairs (scores are match probabilities),
 * `estimated` from the library's photos against unrelated captions (a cutoff, not probabilities), or `none` yet
 * (an uncalibrated model and fewer photos than the estimate needs).
 */
export type CutoffSource = 'measured' | 'estimated' | 'none';

export class Relevance {
  private sample: { vectors: Float32Array[]; loadedAt: number } | undefined;
  private estimate: { threshold: number; photos: number } | undefined;

  constructor(
    private readonly photos: Pick<PhotoStore, 'sampleVectors'>,
    readonly calibration: Calibration | undefined,
  ) {}

  get source(): CutoffSource {
    return this.calibration ? 'measured' : this.estimate ? 'estimated' : 'none';
  }

  /** The cosine threshold in use (before a query raises it), or null while there is none. */
  get threshold(): number | null {
    return this.calibration?.suggestThreshold ?? this.estimate?.threshold ?? null;
  }

  /** The cosine a photo needs to be a good match for this query, or null when nothing can tell yet. */
  async cutoff(query: Float32Array, embedTexts: (texts: readonly string[]) => Promise<Float32Array[]>): Promise<number | null> {
    const baseline = await this.baseline();
    if (!this.calibration && baseline.length >= MIN_BASELINE && (!this.estimate || baseline.length >= 2 * this.estimate.photos)) {
      this.estimate = { threshold: estimateThreshold(baseline, await embedTexts(UNRELATED_CAPTIONS)), photos: baseline.length };
    }
    const threshold = this.threshold;
    return threshold === null ? null : queryCutoff(query, threshold, baseline);
  }

  private async baseline(): Promise<Float32Array[]> {
    if (!this.sample || Date.now() - this.sample.loadedAt > SAMPLE_MAX_AGE_MS) {
      this.sample = { vectors: await this.photos.sampleVectors(SAMPLE_SIZE), loadedAt: Date.now() };
    }
    return this.sample.vectors;
  }
}
