import { describe, expect, it } from 'vitest';
import { combineVectors, parseCombinedQuery } from './combined-query.ts';
import { BM25_HALF, hybridScore, KEYWORD_WEIGHT } from './hybrid-score.ts';
import { highlight } from './snippet.ts';

describe('parseCombinedQuery', () => {
  it('reads rclip-style terms, keeping hyphenated words whole', () => {
    expect(parseCombinedQuery('beach + sunset - people')).toEqual([
      { sign: 1, text: 'beach' },
      { sign: 1, text: 'sunset' },
      { sign: -1, text: 'people' },
    ]);
    expect(parseCombinedQuery('a red t-shirt - logo')).toEqual([
      { sign: 1, text: 'a red t-shirt' },
      { sign: -1, text: 'logo' },
    ]);
    expect(parseCombinedQuery('  dogs  ')).toEqual([{ sign: 1, text: 'dogs' }]);
  });
});

describe('combineVectors', () => {
  it('adds and subtracts, then normalizes', () => {
    const v = combineVectors([
      { sign: 1, vector: Float32Array.of(1, 1, 0) },
      { sign: -1, vector: Float32Array.of(0, 1, 0) },
    ]);
    expect(Array.from(v)).toEqual([1, 0, 0]);
  });
});

describe('hybridScore', () => {
  it('keeps the strength of each piece of evidence', () => {
    expect(hybridScore(0, 0)).toBe(0);
    expect(hybridScore(-0.4, 0)).toBe(0);
    expect(hybridScore(0, BM25_HALF)).toBeCloseTo(KEYWORD_WEIGHT / 2, 10);
    expect(hybridScore(1, 1e9)).toBeCloseTo(1, 6);
    // Close in meaning beats sharing one common word; an exact rare word beats a vague likeness.
    expect(hybridScore(0.59, 0)).toBeGreaterThan(hybridScore(0.05, 0.93));
    expect(hybridScore(0.26, 1.47)).toBeGreaterThan(hybridScore(0.53, 0));
  });
});

describe('highlight', () => {
  it('marks query words and their longer forms, not short filler words', () => {
    const snippet = 'Two dogs run on a beach';
    expect(highlight(snippet, 'dog on the beach').map((r) => snippet.slice(r.start, r.end))).toEqual(['dogs', 'beach']);
  });
});
