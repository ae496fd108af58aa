/**
 * The words beside a suggested note. A score says "likely" only where it is a calibrated match probability at
 * or above the model's threshold (`ModelInfo.scores.likely`); anything else gets a neutral wording from its
 * rank, since an uncalibrated score, or a probability fitted on balanced classes, is no promise of a match.
 */
export interface MatchLabel {
  text: string;
  /** `likely`: shown as a positive label; `neutral`: only an order. */
  tone: 'likely' | 'neutral';
}

const ORDINALS = ['Closest', '2nd closest', '3rd closest'];

/** `rank` is 0 for the best suggestion; `likelyScore` is null when the model's scores are not calibrated. */
export function matchLabel(score: number, rank: number, likelyScore: number | null | undefined): MatchLabel {
  if (likelyScore !== null && likelyScore !== undefined && score >= likelyScore) return { text: 'Likely match', tone: 'likely' };
  return { text: ORDINALS[rank] ?? `${rank + 1}th closest`, tone: 'neutral' };
}

/** True when the suggestion counts as a likely match (shown without asking for weaker ones). */
export function isLikelyMatch(score: number, likelyScore: number | null | undefined): boolean {
  return matchLabel(score, 0, likelyScore).tone === 'likely';
}
