import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TokenBudget } from '../model/embedder-types.ts';
import { embeddedModelDir } from '../model/embedder.ts';
import { loadTokenizer } from '../model/tokenizer.ts';
import { chunkNote, DEFAULT_CHUNK_LIMITS, WORD_BUDGET } from './chunk-note.ts';

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
    expect(chunkNote('', '/n/empty.md')).toEqual({ title: 'empty', chunks: [{ text: 'empty', embedText: 'empty', headingPath: [], start: 0, end: 0 }] });
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

describe('chunkNote within the text tower budget (the embedded model: 32 tokens with [CLS] and [SEP])', () => {
  let budget: TokenBudget;
  beforeAll(async () => {
    const tokenizer = await loadTokenizer(join(embeddedModelDir(), 'tokenizer.json'));
    budget = { max: 30, count: (text) => tokenizer.encode(text).length - 2 };
  });
  const chunk = (content: string) => chunkNote(content, '/n/journal.md', true, DEFAULT_CHUNK_LIMITS, budget).chunks;

  const journal = [
    '# Saturday at the dog park',
    '',
    'Slept badly again, so I took the long way to the park to clear my head. The forecast said rain by noon but it held off all day, which felt like a small gift after the week I had.',
    '',
    'Near the fence a black spaniel launched himself at a knotted rope toy, all four paws off the grass at once. His owner said he does that all afternoon.',
    '',
    '- bread',
    '- eggs',
    '',
    'Note to self: call Priya.',
  ].join('\n');

  it('cuts passages that the tower reads whole, each pointing at its own text in the file', () => {
    const chunks = chunk(journal);
    for (const c of chunks) {
      expect(budget.count(c.text)).toBeLessThanOrEqual(30);
      expect(budget.count(c.embedText)).toBeLessThanOrEqual(30);
      expect(journal.slice(c.start, c.end).replace(/^- /, '').startsWith(c.text.split(' ')[0]!)).toBe(true);
    }
    const range = (text: string) => chunks.find((c) => c.text === text)!;
    const owner = range('His owner said he does that all afternoon.');
    expect(journal.slice(owner.start, owner.end)).toBe('His owner said he does that all afternoon.');
    const list = range('bread eggs Note to self: call Priya.');
    expect(journal.slice(list.start, list.end)).toBe('- bread\n- eggs\n\nNote to self: call Priya.');
    expect(chunks.map((c) => c.text).join(' ')).toBe(
      'Slept badly again, so I took the long way to the park to clear my head. The forecast said rain by noon but it held off all day, which felt like a small gift after the week I had. ' +
        'Near the fence a black spaniel launched himself at a knotted rope toy, all four paws off the grass at once. His owner said he does that all afternoon. bread eggs Note to self: call Priya.',
    );
  });

  it('cuts a paragraph between sentences, never taking in the next paragraph', () => {
    const texts = chunk(journal).map((c) => c.text);
    expect(texts).toContain('Near the fence a black spaniel launched himself at a knotted rope toy, all four paws off the grass at once.');
    expect(texts).toContain('His owner said he does that all afternoon.');
    expect(texts.some((text) => text.includes('all afternoon.') && text.includes('bread'))).toBe(false);
  });

  it('joins short paragraphs and list items while they fit', () => {
    expect(chunk(journal).map((c) => c.text)).toContain('bread eggs Note to self: call Priya.');
  });

  it('embeds a passage after its heading where both fit, the passage alone where they do not', () => {
    const chunks = chunk(journal);
    const short = chunks.find((c) => c.text === 'His owner said he does that all afternoon.')!;
    expect(short.embedText).toBe('Saturday at the dog park: His owner said he does that all afternoon.');
    expect(short.headingPath).toEqual(['Saturday at the dog park']);
    const heading = 'What we saw on the long walk along the river and then back over the hills to the village';
    const [alone] = chunk(`# ${heading}\n\nNear the fence a black spaniel launched himself at a knotted rope toy.`);
    expect(alone!.headingPath).toEqual([heading]);
    expect(alone!.embedText).toBe('Near the fence a black spaniel launched himself at a knotted rope toy.');
  });

  it('splits a sentence longer than the budget between words', () => {
    const words = Array.from({ length: 90 }, (_, i) => ['the', 'dog', 'ran', 'across', 'wide', 'meadows'][i % 6]).join(' ');
    const content = `# Run-on\n\n${words}\n`;
    const chunks = chunk(content);
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    for (const c of chunks) {
      expect(budget.count(c.text)).toBeLessThanOrEqual(30);
      expect(content.slice(c.start, c.end).startsWith(c.text.split(' ')[0]!)).toBe(true);
    }
    expect(chunks.map((c) => c.text).join(' ')).toBe(words);
    expect(chunks.at(-1)!.end).toBe(content.length - 1);
  });

  it('cuts a long sentence into runs of about equal length, leaving no stray fragment', () => {
    const sentence = 'We walked along the river past the old mill and the footbridge where the kingfishers nest, then up the hill through the beech wood to the village and down again to the harbour.';
    const counts = chunk(sentence).map((c) => budget.count(c.text));
    expect(counts.length).toBe(2);
    expect(Math.abs(counts[0]! - counts[1]!)).toBeLessThanOrEqual(2);
  });

  it('gives a note of a hundred thousand sentences longer passages rather than more than about 2,000', () => {
    const content = 'Un café crème à emporter, près du port. '.repeat(100_000);
    const chunks = chunk(content);
    expect(chunks.length).toBeGreaterThan(1000);
    expect(chunks.length).toBeLessThanOrEqual(2600);
    // A 4 MB line is lexed in 64 KB pieces, cut wherever they fall: compare without the spaces.
    expect(chunks.map((c) => c.text).join('').replaceAll(' ', '')).toBe(content.replaceAll(' ', ''));
  }, 30_000);

  it('cuts a megabyte paragraph without punctuation in seconds', () => {
    const content = Array.from({ length: 200_000 }, (_, i) => ['river', 'stone', 'bridge', 'meadow'][i % 4]).join(' ');
    const started = performance.now();
    const chunks = chunk(content);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(chunks.length).toBeLessThanOrEqual(2600);
  }, 30_000);

  it('counts without a tokenizer by words and punctuation, within the embedded model on English text', () => {
    for (const c of chunkNote(journal, '/n/journal.md').chunks) {
      expect(WORD_BUDGET.count(c.text)).toBeLessThanOrEqual(WORD_BUDGET.max);
      expect(budget.count(c.text)).toBeLessThanOrEqual(30);
    }
  });
});
