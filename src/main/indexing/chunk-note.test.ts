import { describe, expect, it } from 'vitest';
import { chunkNote, DEFAULT_CHUNK_LIMITS } from './chunk-note.ts';

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

  it('reads a line of 20,000 `>` as plain text instead of overflowing the stack', () => {
    const content = '>'.repeat(20_000);
    const { chunks } = chunkNote(content, '/n/quotes.md');
    expect(chunks.map((c) => c.text).join('')).toBe(content);
  });

  it('indexes a 4 MB list nested 2,000 levels deep in seconds', () => {
    const content = Array.from({ length: 2000 }, (_, i) => `${'  '.repeat(i)}- item ${i}`).join('\n');
    const started = performance.now();
    const { chunks } = chunkNote(content, '/n/nested.md');
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(chunks.map((c) => c.text).join(' ')).toContain('- item 1999');
  }, 30_000);

  it('falls back to plain text only where the nesting is, keeping headings before and after', () => {
    const content = `# Before\n\nFirst words.\n\n${'>'.repeat(20_000)}\n\n## After\n\nLast words.`;
    const { title, chunks } = chunkNote(content, '/n/mixed.md', true, { ...DEFAULT_CHUNK_LIMITS, pieceChars: 4096 });
    expect(title).toBe('Before');
    expect(chunks[0]).toMatchObject({ headingPath: ['Before'], text: 'First words.' });
    expect(chunks.at(-1)).toMatchObject({ headingPath: ['Before', 'After'], text: 'Last words.' });
    expect(chunks.slice(1, -1).map((c) => c.text).join('')).toBe('>'.repeat(20_000));
  });

  it('reads the rest of a note as plain text once its parsing time is spent', () => {
    const content = '# Title\n\nSome **bold** words.';
    const { chunks } = chunkNote(content, '/n/slow.md', true, { ...DEFAULT_CHUNK_LIMITS, budgetMs: 0 });
    expect(chunks.map((c) => c.text)).toEqual(['# Title Some **bold** words.']);
  });

  it('gives exact ranges in a note with Windows line endings', () => {
    const content = ['# Trip', '', 'We walked', 'along the cliffs.', '', '## Evening', '', 'Sunset over', 'the water.', ''].join('\r\n');
    const { chunks } = chunkNote(content, '/n/crlf.md');
    expect(chunks.map((c) => content.slice(c.start, c.end))).toEqual(['We walked\r\nalong the cliffs.', 'Sunset over\r\nthe water.']);
  });
});
