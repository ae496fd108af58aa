/** Weight of the keyword evidence in a hybrid note score; meaning gets the rest. */
export const KEYWORD_WEIGHT = 0.5;
/** BM25 score at which keyword evidence counts half: a single rare word matched in a short passage scores ~1.5. */
export const BM25_HALF = 1.5;

/**
 * One passage's hybrid score in 0…1: a weighted mix of its cosine similarity to the query (negative counts
 * as 0) and its BM25 score squashed by s / (s + BM25_HALF). Unlike reciprocal-rank fusion, which keeps only
 * ranks, the mix keeps how strong each piece of evidence is: a rare word matched exactly ("snowman") lifts
 * a passage far more than a common one ("playing"), and a passage that is close in meaning keeps its lead
 * over one that merely shares a word.
 */
export function hybridScore(similarity: number, bm25: number): number {
  const meaning = Math.max(0, similarity);
  const keywords = bm25 > 0 ? bm25 / (bm25 + BM25_HALF) : 0;
  return (1 - KEYWORD_WEIGHT) * meaning + KEYWORD_WEIGHT * keywords;
}
