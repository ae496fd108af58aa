import { describe, expect, it } from 'vitest';
import { isCombinedQuery, parseQueryTerms } from '../../shared/query-terms.ts';
import { combineVectors } from './combined-query.ts';
import { BM25_HALF, hybridScore, KEYWORD_WEIGHT } from './hybrid-score.ts';
import { highlight } from './snippet.ts';

describe('parseQueryTerms', () => {
  it('reads rclip-style terms, keeping hyphenated words whole', () => {
    expect(parseQueryTerms('beach + sunset - people')).toEqual([
      { sign: 1, text: 'beach' },
      { sign: 1, text: 'sunset' },
      { sign: -1, text: 'people' },
    ]);
    expect(parseQueryTerms('a red t-shirt - logo')).toEqual([
      { sign: 1, text: 'a red t-shirt' },
      { sign: -1, text: 'logo' },
    ]);
    expect(parseQueryTerms('  dogs  ')).toEqual([{ sign: 1, text: 'dogs' }]);
  });

  it('takes − and a leading - as subtraction, and + without spaces after it', () => {
    expect(parseQueryTerms('beach + sunset − people')).toEqual([
      { sign: 1, text: 'beach' },
      { sign: 1, text: 'sunset' },
      { sign: -1, text: 'people' },
    ]);
    expect(parseQueryTerms('beach -people +sunset')).toEqual([
      { sign: 1, text: 'beach' },
      { sign: -1, text: 'people' },
      { sign: 1, text: 'sunset' },
    ]);
    expect(parseQueryTerms('-people')).toEqual([{ sign: -1, text: 'people' }]);
  });

  it('leaves plain queries, hyphenated words and a trailing operator as one text', () => {
    for (const query of ['a dog on the beach', 'a 4-3 win', 'sunset -', 'beach +']) {
      const terms = parseQueryTerms(query);
      expect(isCombinedQuery(terms), query).toBe(false);
    }
    expect(parseQueryTerms('sunset -')).toEqual([{ sign: 1, text: 'sunset -' }]);
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
