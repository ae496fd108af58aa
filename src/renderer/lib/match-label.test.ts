import { describe, expect, it } from 'vitest';
import { isLikelyMatch, matchLabel } from './match-label.ts';

describe('matchLabel', () => {
  it('says "Likely match" only for a calibrated score at or above the model’s threshold', () => {
    expect(matchLabel(0.97, 0, 0.958)).toEqual({ text: 'Likely match', tone: 'likely' });
    expect(matchLabel(0.958, 3, 0.958)).toEqual({ text: 'Likely match', tone: 'likely' });
    expect(isLikelyMatch(0.97, 0.958)).toBe(true);
  });

  it('ranks instead when the score is below the threshold: a balanced-class 0.6 is no likely match', () => {
    expect(matchLabel(0.6, 0, 0.958)).toEqual({ text: 'Closest', tone: 'neutral' });
    expect(matchLabel(0.6, 1, 0.958)).toEqual({ text: '2nd closest', tone: 'neutral' });
    expect(isLikelyMatch(0.6, 0.958)).toBe(false);
  });

  it('never says "likely" for an uncalibrated model, however high the score', () => {
    expect(matchLabel(0.99, 2, null)).toEqual({ text: '3rd closest', tone: 'neutral' });
    expect(matchLabel(0.99, 4, undefined)).toEqual({ text: '5th closest', tone: 'neutral' });
    expect(isLikelyMatch(0.99, null)).toBe(false);
  });
});
