/**
 * A library's good-match cutoffs (cutoff.ts) with what they need kept at hand: the model's measured threshold,
 * the floor estimated from the library's own photos, and a sample of the library's photo vectors, reloaded at
 * most once a minute so a growing library is followed without a scan per query.
 */
import type { NoteStore } from '../library/note-store.ts';
import type { PhotoStore } from '../library/photo-store.ts';
import type { Calibration } from './calibration.ts';
import { estimateThreshold, MIN_BASELINE, OUTLIER_Z, queryCutoff, typicalSimilarity, UNRELATED_CAPTIONS } from './cutoff.ts';

/** Photos in the baseline sample; beyond a thousand the statistics barely move. */
const SAMPLE_SIZE = 1_000;
const SAMPLE_MAX_AGE_MS = 60_000;

/**
 * What good-match cutoffs rest on: a threshold `measured` on labelled pairs (scores are match probabilities),
 * only what is `estimated` from the library's photos (an uncalibrated model: a cutoff, not probabilities), or
 * `none` yet (an uncalibrated model and fewer photos than the estimate needs).
 */
export type CutoffSource = 'measured' | 'estimated' | 'none';

/**
 * A sample of a table's vectors, read once however many ask at the same time. After a minute it is read again in
 * the background while the previous one keeps answering: the read costs ~70 ms, which a search would otherwise wait.
 */
class Sample {
  private current: Promise<Float32Array[]> | undefined;
  private readAt = 0;
  private refreshing = false;

  constructor(private readonly load: () => Promise<Float32Array[]>) {}

  vectors(): Promise<Float32Array[]> {
    if (!this.current) this.current = this.read();
    else if (!this.refreshing && Date.now() - this.readAt > SAMPLE_MAX_AGE_MS) this.refresh();
    return this.current;
  }

  /** Reads a newer sample and answers from it once it is in; a failed read keeps the one in hand. */
  private refresh(): void {
    this.refreshing = true;
    const next = this.read();
    next
      .then(
        () => (this.current = next),
        () => undefined,
      )
      .finally(() => (this.refreshing = false));
  }

  private read(): Promise<Float32Array[]> {
    this.readAt = Date.now();
    const read = this.load();
    read.catch(() => {
      if (this.current === read) this.current = undefined;
    });
    return read;
  }
}

export class Relevance {
  private readonly photoSample: Sample;
  private readonly passageSample: Sample;
  private unrelated: Promise<Float32Array[]> | undefined;
  private estimate: { floor: number; photos: number } | undefined;

  constructor(
    photos: Pick<PhotoStore, 'sampleVectors'>,
    passages: Pick<NoteStore, 'sampleVectors'>,
    readonly calibration: Calibration | undefined,
  ) {
    this.photoSample = new Sample(() => photos.sampleVectors(SAMPLE_SIZE));
    this.passageSample = new Sample(() => passages.sampleVectors(SAMPLE_SIZE));
  }

  get source(): CutoffSource {
    return this.calibration ? 'measured' : this.estimate ? 'estimated' : 'none';
  }

  /** The lowest cosine a good match may have: the estimated floor, else the measured threshold; null while there is neither. */
  get floor(): number | null {
    return this.estimate?.floor ?? this.calibration?.suggestThreshold ?? null;
  }

  /** The cosine a photo needs to be a good match for this query, or null when nothing can tell yet. */
  async cutoff(query: Float32Array, embedTexts: (texts: readonly string[]) => Promise<Float32Array[]>): Promise<number | null> {
    const baseline = await this.photoSample.vectors();
    if (baseline.length >= MIN_BASELINE && (!this.estimate || baseline.length >= 2 * this.estimate.photos)) {
      this.estimate = { floor: estimateThreshold(baseline, await this.unrelatedCaptions(embedTexts)), photos: baseline.length };
    }
    const basis = { floor: this.estimate?.floor ?? null, threshold: this.calibration?.suggestThreshold ?? null };
    return queryCutoff(query, basis, baseline);
  }

  /** How a query scores with the library's photos in general (mean, sd); null for a library too small to say. */
  async typical(query: Float32Array): Promise<{ mean: number; sd: number } | null> {
    return typicalSimilarity(query, await this.photoSample.vectors());
  }

  /**
   * Which of a photo's suggested passages are likely matches, what the photo page says of a suggested note: the
   * similarity clears the model's measured threshold, and photo and passage each stand out for the other, by
   * `OUTLIER_Z` robust standard deviations, from how it scores in general: the passage with the library's photos
   * (a passage like "we talked over lunch" is near every photo of people), the photo with the library's
   * passages (a photo of people talking is near every passage about a meeting), or, while the notes hold too
   * few passages to say, with everyday captions of other scenes. Never for an uncalibrated model, nor while the
   * library holds too few photos to tell what is typical of a passage.
   */
  async likelyMatches(
    photo: Float32Array,
    passages: readonly { similarity: number; passage: Float32Array }[],
    embedTexts: (texts: readonly string[]) => Promise<Float32Array[]>,
  ): Promise<boolean[]> {
    const threshold = this.calibration?.suggestThreshold;
    if (threshold === undefined || passages.every(({ similarity }) => similarity < threshold)) return passages.map(() => false);
    const library = await this.passageSample.vectors();
    const photoTypical = typicalSimilarity(photo, library.length >= MIN_BASELINE ? library : await this.unrelatedCaptions(embedTexts));
    const photos = await this.photoSample.vectors();
    const standsOut = (similarity: number, typical: { mean: number; sd: number } | null) =>
      typical !== null && (similarity - typical.mean) / typical.sd >= OUTLIER_Z;
    return passages.map(
      ({ similarity, passage }) =>
        similarity >= threshold && standsOut(similarity, photoTypical) && standsOut(similarity, typicalSimilarity(passage, photos)),
    );
  }

  private async unrelatedCaptions(embedTexts: (texts: readonly string[]) => Promise<Float32Array[]>): Promise<Float32Array[]> {
    this.unrelated ??= embedTexts(UNRELATED_CAPTIONS).catch((error: unknown) => {
      this.unrelated = undefined;
      throw error;
    });
    return this.unrelated;
  }
}
