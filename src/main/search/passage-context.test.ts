import { describe, expect, it } from 'vitest';
import type { NoteChunkRow } from '../library/schema.ts';
import { passageInContext } from './passage-context.ts';

const chunk = (text: string, headingPath = ['Saturday']) => ({ text, heading_path: headingPath }) as NoteChunkRow;

describe('passageInContext', () => {
  const before = chunk('In the afternoon I walked to the market for bread and cheese, and stopped at the bookshop on the corner.');
  const passage = chunk('At the park a black dog leapt to catch a rope toy.');
  const after = chunk('Dinner with Sam and Ines. We talked about work until late and made plans for the spring, the garden and the long summer holiday by the sea with the children.');

  it('shows the end of the passage before and the start of the one after, cut at words, and where the passage is', () => {
    const { text, passage: range } = passageInContext(passage, before, after);
    expect(text).toBe(
      '…for bread and cheese, and stopped at the bookshop on the corner. At the park a black dog leapt to catch a rope toy. Dinner with Sam and Ines. We talked about work until late and made plans for the spring, the garden and the long summer holiday by the sea…',
    );
    expect(text.slice(range.start, range.end)).toBe(passage.text);
  });

  it('leaves out neighbours under another heading, and short ones whole', () => {
    const { text, passage: range } = passageInContext(passage, chunk('Breakfast.', ['Morning']), chunk('Home by six.'));
    expect(text).toBe('At the park a black dog leapt to catch a rope toy. Home by six.');
    expect(range).toEqual({ start: 0, end: passage.text.length });
  });

  it('marks a neighbour that starts mid-sentence (a long sentence cut between words) with an ellipsis', () => {
    expect(passageInContext(passage, chunk('to look at the new novels.'), undefined).text).toBe(`…to look at the new novels. ${passage.text}`);
  });
});
