import { describe, expect, it } from 'vitest';
import { chunkNote } from './chunk-note.ts';

describe('chunkNote', () => {
  const note = [
    '---',
    'tags: [trip]',
    '---',
    '# Beach trip',
    '',
    'We took **Max** to the [beach](https://example.org). He ran through the grass.',
    '',
    '## Evening',
    '',
    'Sunset over the water.',
    '',
    '- towels',
    '- a kite',
    '',
    '### Food',
    '',
    'Fish &amp; chips.',
  ].join('\n');

  it('splits by heading, keeps the heading path, drops Markdown syntax and front matter', () => {
    const { title, chunks } = chunkNote(note, '/notes/trip.md');
    expect(title).toBe('Beach trip');
    expect(chunks.map((c) => [c.headingPath, c.text])).toEqual([
      [['Beach trip'], 'We took Max to the beach. He ran through the grass.'],
      [['Beach trip', 'Evening'], 'Sunset over the water. towels a kite'],
      [['Beach trip', 'Evening', 'Food'], 'Fish & chips.'],
    ]);
  });

  it('gives each passage its exact range in the file', () => {
    const { chunks } = chunkNote(note, '/notes/trip.md');
    expect(note.slice(chunks[0]!.start, chunks[0]!.end)).toBe('We took **Max** to the [beach](https://example.org). He ran through the grass.');
    expect(note.slice(chunks[1]!.start, chunks[1]!.end)).toBe('Sunset over the water.\n\n- towels\n- a kite');
    expect(note.slice(chunks[2]!.start, chunks[2]!.end)).toBe('Fish &amp; chips.');
  });

  it('cuts a very long paragraph at sentence ends, each piece pointing into the file', () => {
    const sentences = Array.from({ length: 40 }, (_, i) => `Sentence number ${i} talks about waves.`);
    const content = `# Long\n\n${sentences.join(' ')}\n`;
    const { chunks } = chunkNote(content, '/n/long.md');
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect(chunk.text.length).toBeLessThanOrEqual(400);
      expect(content.slice(chunk.start, chunk.end).startsWith(chunk.text.slice(0, 20))).toBe(true);
    }
    expect(chunks.map((c) => c.text).join(' ')).toBe(sentences.join(' '));
  });

  it('titles a note without headings by its first line, an empty one by its file name', () => {
    expect(chunkNote('Groceries for the **weekend**\n\nmilk, eggs', '/n/list.md').title).toBe('Groceries for the weekend');
    expect(chunkNote('', '/n/empty.md')).toEqual({ title: 'empty', chunks: [{ text: 'empty', headingPath: [], start: 0, end: 0 }] });
  });

  it('splits plain text at blank lines without reading Markdown into it', () => {
    const text = `# not a heading\n\n${'word '.repeat(90)}\n\nsecond paragraph`;
    const { chunks } = chunkNote(text, '/n/plain.txt', false);
    expect(chunks[0]!.text.startsWith('# not a heading')).toBe(true);
    expect(chunks.at(-1)!.text).toBe('second paragraph');
    expect(text.slice(chunks.at(-1)!.start, chunks.at(-1)!.end)).toBe('second paragraph');
  });
});
