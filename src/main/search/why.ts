/**
 * "Why it matched", where the model can tell: a model with a concept channel (docs/model.md) ends its
 * embeddings with one dimension per ImageNet class, √λ·p(class | photo) on the image side and √λ·c(class) on the
 * text side, so each class adds λ·p·c to the similarity. The classes that add most name what the query reached
 * that the photo shows ("golden retriever", "tennis ball").
 */

/** A class must add at least this share of what the strongest one adds to be named. */
const SHARE_OF_STRONGEST = 0.25;
/** Below this a class adds nothing worth naming (cosine units: the channel adds ~0.05 for a clear match). */
const MIN_CONTRIBUTION = 0.005;
const MAX_NAMED = 3;

/** Names of the concepts a photo shows that the query asked for, strongest first; empty when none is clear. */
export function recognisedConcepts(query: Float32Array, photo: Float32Array, names: readonly string[]): string[] {
  const offset = query.length - names.length;
  if (offset < 0) return [];
  const contributions: { name: string; value: number }[] = [];
  for (let k = 0; k < names.length; k++) {
    const value = query[offset + k]! * photo[offset + k]!;
    if (value >= MIN_CONTRIBUTION) contributions.push({ name: names[k]!, value });
  }
  contributions.sort((a, b) => b.value - a.value);
  const strongest = contributions[0]?.value ?? 0;
  return [...new Set(contributions.filter((c) => c.value >= SHARE_OF_STRONGEST * strongest).map((c) => c.name))].slice(0, MAX_NAMED);
}
