import { describe, expect, it } from 'vitest';
import { segments, snippetSegments } from './highlight.ts';

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
