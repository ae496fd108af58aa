import { basename, extname } from 'node:path';
import { Lexer, type Token } from 'marked';

export interface NoteChunk {
  /** Plain text of the passage (Markdown syntax removed): what is embedded, keyword-indexed and shown. */
  text: string;
  /** Headings above the passage, outermost first. */
  headingPath: string[];
  /** Range of the passage in the note's file content, in JavaScript string indices; `end` exclusive. */
  start: number;
  end: number;
}

export interface ChunkedNote {
  title: string;
  chunks: NoteChunk[];
}

/** A passage grows by whole blocks (paragraphs, lists…) up to this many characters. */
const TARGET_CHARS = 400;
/** A single block longer than this is split at sentence ends. */
const MAX_CHARS = 800;

interface Block {
  text: string;
  start: number;
  end: number;
}

/**
 * Splits a note into passages by heading and paragraph, with marked's lexer (CommonMark + GFM), so that a
 * photo can be matched to the passage that describes it rather than to a whole long note. Small neighbouring
 * paragraphs under one heading share a passage; very long ones are cut at sentence boundaries. YAML front
 * matter (Obsidian properties) is skipped. Plain-text files are split at blank lines.
 */
export function chunkNote(content: string, path: string, markdown = true): ChunkedNote {
  const bodyStart = markdown ? frontMatterEnd(content) : 0;
  const sections = markdown ? markdownSections(content, bodyStart) : plainSections(content);
  const chunks = sections.flatMap((section) => packBlocks(section.blocks, content).map((block) => ({ ...block, headingPath: section.headingPath })));
  const title = firstHeading(sections) ?? firstLine(content.slice(bodyStart), markdown) ?? basename(path, extname(path));
  if (chunks.length === 0) return { title, chunks: [{ text: title, headingPath: [], start: 0, end: content.length }] };
  return { title, chunks };
}

interface Section {
  headingPath: string[];
  blocks: Block[];
}

function markdownSections(content: string, bodyStart: number): Section[] {
  const sections: Section[] = [{ headingPath: [], blocks: [] }];
  const headings: { depth: number; text: string }[] = [];
  let cursor = bodyStart;
  for (const token of new Lexer({ gfm: true }).lex(content.slice(bodyStart))) {
    const found = content.indexOf(token.raw, cursor);
    const start = found >= 0 ? found : cursor;
    const end = start + token.raw.length;
    cursor = found >= 0 ? end : cursor;
    if (token.type === 'heading') {
      while (headings.length > 0 && headings.at(-1)!.depth >= token.depth) headings.pop();
      headings.push({ depth: token.depth, text: plainText(token).trim() });
      sections.push({ headingPath: headings.map((h) => h.text), blocks: [] });
    } else if (token.type !== 'space' && token.type !== 'hr' && token.type !== 'def') {
      const text = collapse(plainText(token));
      if (text) sections.at(-1)!.blocks.push(trimmedBlock(content, start, end, text));
    }
  }
  return sections;
}

function plainSections(content: string): Section[] {
  const blocks: Block[] = [];
  let start = 0;
  for (const part of content.split(/\n\s*\n/)) {
    const partStart = content.indexOf(part, start);
    const text = collapse(part);
    if (text) blocks.push(trimmedBlock(content, partStart, partStart + part.length, text));
    start = partStart + part.length;
  }
  return [{ headingPath: [], blocks }];
}

/** Visible text of a token and its children: link and emphasis syntax dropped, image alt text kept. */
function plainText(token: Token): string {
  if (token.type === 'list') return (token.items as Token[]).map(plainText).join('\n');
  if (token.type === 'table') {
    const cells = [token.header, ...token.rows].flat() as { text: string }[];
    return cells.map((cell) => cell.text).join(' ');
  }
  if (token.type === 'code' || token.type === 'codespan' || token.type === 'image') return String(token.text ?? '');
  if (token.type === 'html') return '';
  if (token.type === 'br') return '\n';
  const { tokens, text } = token as { tokens?: Token[]; text?: unknown };
  if (tokens && tokens.length > 0) return tokens.map(plainText).join(token.type === 'list_item' ? ' ' : '');
  return typeof text === 'string' ? decodeEntities(text) : '';
}

/** marked escapes &, <, >, " and ' in text tokens. */
function decodeEntities(text: string): string {
  return text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&');
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function trimmedBlock(content: string, start: number, end: number, text: string): Block {
  const raw = content.slice(start, end);
  const lead = raw.length - raw.trimStart().length;
  const trail = raw.length - raw.trimEnd().length;
  return { text, start: start + lead, end: Math.max(start + lead, end - trail) };
}

/** Joins small neighbouring blocks and cuts oversized ones, keeping each passage's range in the file. */
function packBlocks(blocks: readonly Block[], content: string): Block[] {
  const out: Block[] = [];
  let current: Block | undefined;
  for (const block of blocks.flatMap((block) => splitLong(block, content))) {
    if (current && current.text.length + 1 + block.text.length <= TARGET_CHARS) {
      current = { text: `${current.text} ${block.text}`, start: current.start, end: block.end };
    } else {
      if (current) out.push(current);
      current = block;
    }
  }
  if (current) out.push(current);
  return out;
}

const sentences = new Intl.Segmenter(undefined, { granularity: 'sentence' });

function splitLong(block: Block, content: string): Block[] {
  if (block.text.length <= MAX_CHARS) return [block];
  const pieces: string[] = [];
  let piece = '';
  for (const { segment } of sentences.segment(block.text)) {
    if (piece && piece.length + segment.length > TARGET_CHARS) {
      pieces.push(piece.trim());
      piece = '';
    }
    piece += segment;
  }
  if (piece.trim()) pieces.push(piece.trim());
  // A piece starts where its opening words appear in the file; where markup hides them, the previous end.
  const starts: number[] = [];
  let cursor = block.start;
  for (const text of pieces) {
    const at = content.indexOf(text.slice(0, 24), cursor);
    const start = at >= 0 && at < block.end ? at : cursor;
    starts.push(start);
    cursor = start + 1;
  }
  return pieces.map((text, i) => ({ text, start: starts[i]!, end: Math.max(starts[i]! + 1, (starts[i + 1] ?? block.end)) }));
}

/** End of a leading `---` YAML block, or 0 when the note has none. */
function frontMatterEnd(content: string): number {
  const open = content.startsWith('---\n') ? 4 : content.startsWith('---\r\n') ? 5 : 0;
  if (open === 0) return 0;
  for (const close of ['\n---\n', '\n---\r\n', '\n...\n']) {
    const at = content.indexOf(close, open - 1);
    if (at >= 0) return at + close.length;
  }
  return content.endsWith('\n---') ? content.length : 0;
}

function firstHeading(sections: readonly Section[]): string | undefined {
  return sections.find((section) => section.headingPath.length > 0)?.headingPath.at(-1) || undefined;
}

function firstLine(body: string, markdown: boolean): string | undefined {
  const line = body.split('\n').find((l) => l.trim());
  if (!line) return undefined;
  const text = collapse(markdown ? Lexer.lexInline(line).map(plainText).join('') : line);
  if (!text) return undefined;
  return text.length <= 80 ? text : `${text.slice(0, 79).trimEnd()}…`;
}
