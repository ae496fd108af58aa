import type { TextRange } from './context.ts';

const words = new Intl.Segmenter(undefined, { granularity: 'word' });

/** Lower-cased words of a query, without one- and two-letter words, which would highlight noise. */
function queryWords(query: string): Set<string> {
  const out = new Set<string>();
  for (const { segment, isWordLike } of words.segment(query.toLowerCase())) if (isWordLike && segment.length > 2) out.add(segment);
  return out;
}

/** Ranges of the snippet's words that are query words (or start with one: "dog" marks "dogs"). */
export function highlight(snippet: string, query: string): TextRange[] {
  const wanted = [...queryWords(query)];
  if (wanted.length === 0) return [];
  const ranges: TextRange[] = [];
  for (const { segment, index, isWordLike } of words.segment(snippet)) {
    const word = segment.toLowerCase();
    if (isWordLike && wanted.some((w) => word === w || word.startsWith(w))) ranges.push({ start: index, end: index + segment.length });
  }
  return ranges;
}
