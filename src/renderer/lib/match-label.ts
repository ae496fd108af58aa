/**
 * The words beside a suggested note. "Likely match" only where the service says the photo and the note's
 * passage stand out for each other (`NoteHit.likely`, search/relevance.ts); anything else gets a neutral
 * wording from its rank, since a high similarity alone is no promise of a match.
 */
export interface MatchLabel {
  text: string;
  /** `likely`: shown as a positive label; `neutral`: only an order. */
  tone: 'likely' | 'neutral';
}

const ORDINALS = ['Closest', '2nd closest', '3rd closest'];

/** `rank` is 0 for the best suggestion. */
export function matchLabel(likely: boolean, rank: number): MatchLabel {
  if (likely) return { text: 'Likely match', tone: 'likely' };
  return { text: ORDINALS[rank] ?? `${rank + 1}th closest`, tone: 'neutral' };
}
