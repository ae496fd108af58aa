import type { TextEmbedder } from './embedder-types.ts';

/**
 * A text embedder that remembers the vectors of its last `capacity` single texts. One keystroke's search asks
 * for the same query twice at once (`search.text` and `search.notes`), and paging, a reload or Back ask again:
 * each query runs through the text tower once. Calls with several texts (note passages) pass straight through.
 */
export function memoizeQueries(embedder: TextEmbedder, capacity = 256): TextEmbedder {
  const vectors = new Map<string, Promise<Float32Array>>();
  const vectorOf = (text: string): Promise<Float32Array> => {
    const known = vectors.get(text);
    if (known) {
      vectors.delete(text);
      vectors.set(text, known);
      return known;
    }
    const computed = embedder.embedTexts([text]).then(([vector]) => vector!);
    computed.catch(() => vectors.delete(text));
    vectors.set(text, computed);
    if (vectors.size > capacity) vectors.delete(vectors.keys().next().value!);
    return computed;
  };
  return {
    modelId: embedder.modelId,
    dim: embedder.dim,
    provider: embedder.provider,
    tokenBudget: embedder.tokenBudget,
    unknownWords: (text) => embedder.unknownWords(text),
    conceptNames: embedder.conceptNames,
    async embedTexts(texts) {
      if (texts.length !== 1) return embedder.embedTexts(texts);
      // A copy, so that a caller that scales its vector never changes the one remembered.
      return [new Float32Array(await vectorOf(texts[0]!))];
    },
    close: () => embedder.close(),
  };
}
