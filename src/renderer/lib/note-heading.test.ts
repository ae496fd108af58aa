import { describe, expect, it } from 'vitest';
import { headingOffset, revealOnOpen, takeHeadingFor } from './note-heading.ts';

describe('headingOffset', () => {
  const text = '# Oslo\n\nIntro.\n\n## Day  2 ##\nRain.\n### Fish market\n```\n# not this\n```\n';

  it('finds an ATX heading by its text, ignoring case, spacing and closing hashes', () => {
    expect(headingOffset(text, 'day 2')).toBe(text.indexOf('## Day'));
    expect(headingOffset(text, 'Fish Market')).toBe(text.indexOf('### Fish'));
    expect(headingOffset(text, 'Oslo')).toBe(0);
    expect(headingOffset(text, 'Bergen')).toBe(-1);
    expect(headingOffset('#hashtag\n', 'hashtag')).toBe(-1);
  });
});

describe('revealOnOpen', () => {
  it('hands the heading to that note once', () => {
    revealOnOpen('n1', 'Day 2');
    expect(takeHeadingFor('n2')).toBeNull();
    expect(takeHeadingFor('n1')).toBe('Day 2');
    expect(takeHeadingFor('n1')).toBeNull();
  });
});
