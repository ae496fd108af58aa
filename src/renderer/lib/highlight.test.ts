import { describe, expect, it } from 'vitest';
import { segments, snippetSegments, withoutStopWords } from './highlight.ts';

describe('segments', () => {
  it('marks the given ranges and keeps the rest as plain text', () => {
    expect(segments('a dog on the beach', [{ start: 2, end: 5 }, { start: 13, end: 18 }])).toEqual([
      { text: 'a ', marked: false },
      { text: 'dog', marked: true },
      { text: ' on the ', marked: false },
      { text: 'beach', marked: true },
    ]);
  });

  it('merges overlapping ranges, sorts them and clips them to the text', () => {
    expect(segments('abcdef', [{ start: 3, end: 9 }, { start: 1, end: 4 }])).toEqual([
      { text: 'a', marked: false },
      { text: 'bcd', marked: true },
      { text: 'ef', marked: true },
    ]);
    expect(segments('abc', [])).toEqual([{ text: 'abc', marked: false }]);
  });
});

describe('snippetSegments', () => {
  it('drops Markdown markup after applying the ranges, which index the raw text', () => {
    const text = '# Park\nthe **brown dog** ran';
    const start = text.indexOf('dog');
    expect(snippetSegments(text, [{ start, end: start + 3 }])).toEqual([
      { text: 'Park the brown ', marked: false },
      { text: 'dog', marked: true },
      { text: ' ran', marked: false },
    ]);
  });
});

describe('stop words in excerpts', () => {
  it('does not mark "the" or "them", and keeps the words that matter marked', () => {
    const text = 'We took the dogs to the beach and fed them';
    const ranges = [
      { start: 8, end: 11 },
      { start: 12, end: 16 },
      { start: 24, end: 29 },
      { start: 38, end: 42 },
    ];
    expect(withoutStopWords(text, ranges)).toEqual([ranges[1], ranges[2]]);
    expect(snippetSegments(text, ranges).filter((s) => s.marked).map((s) => s.text)).toEqual(['dogs', 'beach']);
  });
});
