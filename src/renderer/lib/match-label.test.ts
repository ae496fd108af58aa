import { describe, expect, it } from 'vitest';
import { matchLabel } from './match-label.ts';

describe('matchLabel', () => {
  it('says "Likely match" where the service found the note likely, whatever its rank', () => {
    expect(matchLabel(true, 0)).toEqual({ text: 'Likely match', tone: 'likely' });
    expect(matchLabel(true, 3)).toEqual({ text: 'Likely match', tone: 'likely' });
  });

  it('otherwise names the rank only', () => {
    expect(matchLabel(false, 0)).toEqual({ text: 'Closest', tone: 'neutral' });
    expect(matchLabel(false, 1)).toEqual({ text: '2nd closest', tone: 'neutral' });
    expect(matchLabel(false, 2)).toEqual({ text: '3rd closest', tone: 'neutral' });
    expect(matchLabel(false, 4)).toEqual({ text: '5th closest', tone: 'neutral' });
  });
});
