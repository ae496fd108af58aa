import { basename, extname } from 'node:path';
import { Lexer, type Token } from 'marked';
import type { TokenBudget } from '../model/embedder-types.ts';

export interface NoteChunk {
  /** Plain text of the passage (Markdown syntax removed): what is keyword-indexed and shown. */
  text: string;
  /** What the text tower reads: the passage after its nearest heading, where both fit the tower's budget. */
  embedText: string;
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

/**
 * Without the model's tokenizer: words and punctuation marks, each counted as 1.25 tokens (WordPiece over
 * English notes gives about 1.03 a piece, so this stays within a 32-token tower).
 */
export const WORD_BUDGET: TokenBudget = { max: 30, count: (text) => Math.ceil(1.25 * (text.match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu)?.length ?? 0)) };

/** Bump when the passages `chunkNote` cuts change: libraries indexed before re-read their notes. */
export const CHUNKER_VERSION = 2;

/** How far past the previous passage the next one's opening words are looked for in the file. */
const SEARCH_CHARS = 4096;

interface Block {
  text: string;
  start: number;
  end: number;
}

/**
 * Bounds on the work one note may cost. Deeply nested Markdown (a 20 KB line of `>`, a list 2,000 levels
 * deep) makes marked's recursive lexer overflow the stack or take minutes and gigabytes; past these bounds
 * the chunker reads the text as plain paragraphs instead, losing only Markdown syntax removal.
 */
export interface ChunkLimits {
  /** Markdown is lexed in pieces of about this many characters, cut at blank lines outside code fences. */
  pieceChars: number;
  /** A piece nested deeper than this (block quotes plus list indentation) is read as plain text. */
  maxNesting: number;
  /** Lexing time for the whole note; pieces after it run out are read as plain text. */
  budgetMs: number;
}

export const DEFAULT_CHUNK_LIMITS: ChunkLimits = { pieceChars: 64 * 1024, maxNesting: 16, budgetMs: 5000 };

/**
 * Splits a note into passages that the text tower reads whole (at most `budget.max` tokens), by heading and
 * paragraph with marked's lexer (CommonMark + GFM), so that a photo is matched to the sentences that describe
 * it rather than to a whole long note. Short neighbouring paragraphs under one heading share a passage while
 * they fit; a longer paragraph is cut between sentences, and a sentence longer than the budget between words.
 * YAML front matter (Obsidian properties) is skipped. Plain-text files are split at blank lines.
 */
export function chunkNote(
  content: string,
  path: string,
  markdown = true,
  limits: ChunkLimits = DEFAULT_CHUNK_LIMITS,
  budget: TokenBudget = WORD_BUDGET,
): ChunkedNote {
  const bodyStart = markdown ? frontMatterEnd(content) : 0;
  const sections = markdown ? markdownSections(content, bodyStart, limits) : [{ headingPath: [], blocks: plainBlocks(content, 0, content.length) }];
  const room = passageRoom(sections, budget);
  const chunks = sections.flatMap((section) => sectionPassages(section, content, room));
  const title = firstHeading(sections) ?? firstLine(content.slice(bodyStart), markdown) ?? basename(path, extname(path));
  if (chunks.length === 0) return { title, chunks: [{ text: title, embedText: title, headingPath: [], start: 0, end: content.length }] };
  return { title, chunks };
}

/**
 * Passages one note may have, about: a longer note (past some 50,000 words) gets longer passages, matched by
 * their opening words only, so that one huge file does not cost the library tens of thousands of vectors.
 */
const MAX_PASSAGES = 2000;

/**
 * The budget, widened for a note too long for MAX_PASSAGES passages of it (estimated from its words). Such
 * passages are longer than the tower reads anyway, so their words are counted rather than tokenized: running
 * the tokenizer over every sentence of a 5 MB note takes half a minute.
 */
function passageRoom(sections: readonly Section[], budget: TokenBudget): TokenBudget {
  let tokens = 0;
  for (const section of sections) for (const block of section.blocks) tokens += WORD_BUDGET.count(block.text);
  const scale = Math.ceil(tokens / budget.max / MAX_PASSAGES);
  return scale > 1 ? { max: budget.max * scale, count: WORD_BUDGET.count } : budget;
}

interface Section {
  headingPath: string[];
  blocks: Block[];
}

function markdownSections(content: string, bodyStart: number, limits: ChunkLimits): Section[] {
  const sections: Section[] = [{ headingPath: [], blocks: [] }];
  const headings: { depth: number; text: string }[] = [];
  const deadline = performance.now() + limits.budgetMs;
  for (const piece of markdownPieces(content, bodyStart, limits.pieceChars)) {
    const parts = performance.now() < deadline && piece.depth <= limits.maxNesting ? lexPiece(content, piece) : null;
    for (const part of parts ?? plainBlocks(content, piece.start, piece.end)) {
      if ('depth' in part) {
        while (headings.length > 0 && headings.at(-1)!.depth >= part.depth) headings.pop();
        headings.push(part);
        sections.push({ headingPath: headings.map((h) => h.text), blocks: [] });
      } else {
        sections.at(-1)!.blocks.push(part);
      }
    }
  }
  return sections;
}

interface Piece {
  start: number;
  end: number;
  /** Block quote markers plus list indentation (two columns a level) on its deepest line outside code fences. */
  depth: number;
}

const FENCE = /[ ]{0,3}(`{3,}|~{3,})/y;
const BLANK = /[ \t\r]*(?:\n|$)/y;
const CONTAINERS = /[ \t>]*/y;

/**
 * Cuts the body into pieces of at most `size` characters, at a blank line outside code fences where there
 * is one, else at a line end; a longer line is cut anywhere (never inside a surrogate pair) into pieces of
 * its own. Reference links defined in
 * another piece are then not resolved, which only leaves their brackets in the text.
 */
function markdownPieces(content: string, start: number, size: number): Piece[] {
  const pieces: Piece[] = [];
  let piece = { start, depth: 0 };
  /** The last blank line outside a fence in the current piece: where it ends, the depth up to it and after it. */
  let blank = { at: -1, before: 0, after: 0 };
  let fence: string | null = null;
  let lineStart = start;
  while (lineStart < content.length) {
    const newline = content.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? content.length : newline + 1;
    if (lineEnd - piece.start > size) {
      if (blank.at > piece.start) {
        pieces.push({ start: piece.start, end: blank.at, depth: blank.before });
        piece = { start: blank.at, depth: blank.after };
      } else if (lineStart > piece.start) {
        pieces.push({ start: piece.start, end: lineStart, depth: piece.depth });
        piece = { start: lineStart, depth: 0 };
      } else {
        const depth = lineDepth(content, lineStart);
        let at = lineStart;
        for (; lineEnd - at > size; at = safeCut(content, at + size)) pieces.push({ start: at, end: safeCut(content, at + size), depth });
        pieces.push({ start: at, end: lineEnd, depth });
        piece = { start: lineEnd, depth: 0 };
        lineStart = lineEnd;
      }
      blank = { at: -1, before: 0, after: 0 };
      continue;
    }
    FENCE.lastIndex = lineStart;
    const marker = FENCE.exec(content)?.[1];
    if (marker && (fence === null || (marker[0] === fence[0] && marker.length >= fence.length))) fence = fence === null ? marker : null;
    const depth = fence === null || marker ? lineDepth(content, lineStart) : 0;
    piece.depth = Math.max(piece.depth, depth);
    blank.after = Math.max(blank.after, depth);
    BLANK.lastIndex = lineStart;
    if (fence === null && BLANK.test(content)) blank = { at: lineEnd, before: piece.depth, after: 0 };
    lineStart = lineEnd;
  }
  if (piece.start < content.length) pieces.push({ start: piece.start, end: content.length, depth: piece.depth });
  return pieces;
}

function lineDepth(content: string, lineStart: number): number {
  CONTAINERS.lastIndex = lineStart;
  const prefix = CONTAINERS.exec(content)![0];
  let quotes = 0;
  let columns = 0;
  for (const char of prefix) {
    if (char === '>') quotes++;
    else columns += char === '\t' ? 4 : 1;
  }
  return quotes + Math.floor(columns / 2);
}

function safeCut(content: string, at: number): number {
  const code = content.charCodeAt(at - 1);
  return code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
}

/**
 * The piece's headings and text blocks, with ranges in `content`; null when marked fails on it (a stack
 * overflow on nesting the depth check did not see). marked reads CR LF as LF, so ranges are found in the
 * lexed text and mapped back past the removed CRs.
 */
function lexPiece(content: string, piece: Piece): ({ depth: number; text: string } | Block)[] | null {
  const original = content.slice(piece.start, piece.end);
  const source = original.replace(/\r\n?/g, '\n');
  const removed: number[] = [];
  for (let i = original.indexOf('\r\n'); i >= 0; i = original.indexOf('\r\n', i + 2)) removed.push(i - removed.length);
  const toContent = (at: number) => piece.start + at + countBelow(removed, at);
  try {
    const parts: ({ depth: number; text: string } | Block)[] = [];
    let cursor = 0;
    for (const token of new Lexer({ gfm: true }).lex(source)) {
      const found = source.indexOf(token.raw, cursor);
      const start = found >= 0 ? found : cursor;
      const end = Math.min(source.length, start + token.raw.length);
      cursor = found >= 0 ? end : cursor;
      if (token.type === 'heading') {
        parts.push({ depth: token.depth, text: plainText(token).trim() });
      } else if (token.type !== 'space' && token.type !== 'hr' && token.type !== 'def') {
        const text = collapse(plainText(token));
        if (text) parts.push(trimmedBlock(content, toContent(start), toContent(end), text));
      }
    }
    return parts;
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}

/** How many of the sorted `values` are below `at`. */
function countBelow(values: readonly number[], at: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (values[middle]! < at) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The text from `start` to `end` as paragraphs, split at blank lines. */
function plainBlocks(content: string, start: number, end: number): Block[] {
  const blocks: Block[] = [];
  const blank = /\n\s*\n/g;
  const text = content.slice(start, end);
  let partStart = 0;
  for (let match = blank.exec(text); ; match = blank.exec(text)) {
    const partEnd = match ? match.index : text.length;
    const collapsed = collapse(text.slice(partStart, partEnd));
    if (collapsed) blocks.push(trimmedBlock(content, start + partStart, start + partEnd, collapsed));
    if (!match) break;
    partStart = match.index + match[0].length;
  }
  return blocks;
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

/**
 * The section's passages, each embedded after the section's heading where both fit the budget (on the journal
 * notes of bench/passages.ts, the note describing a photo came first for 41 of 50 photos this way, 37 without
 * the heading, 38 when every passage left room for it and so was shorter).
 */
function sectionPassages(section: Section, content: string, budget: TokenBudget): NoteChunk[] {
  const heading = section.headingPath.at(-1);
  return packBlocks(section.blocks, content, budget).map((block) => {
    const withHeading = heading ? `${heading}: ${block.text}` : block.text;
    return { ...block, embedText: heading && budget.count(withHeading) <= budget.max ? withHeading : block.text, headingPath: section.headingPath };
  });
}

interface Unit extends Block {
  tokens: number;
}

/**
 * Joins whole neighbouring blocks while they fit the budget; a block that does not fit alone is cut into
 * sentences (a sentence that does not fit, into runs of words), packed into passages that never take in the
 * next block.
 */
function packBlocks(blocks: readonly Block[], content: string, budget: TokenBudget): Block[] {
  const out: Block[] = [];
  let current: Unit | undefined;
  const flush = () => {
    if (current) out.push({ text: current.text, start: current.start, end: current.end });
    current = undefined;
  };
  for (const block of blocks) {
    const tokens = tokensWithin(block.text, budget);
    if (current && current.tokens + tokens <= budget.max) {
      current = { text: `${current.text} ${block.text}`, start: current.start, end: block.end, tokens: current.tokens + tokens };
      continue;
    }
    flush();
    if (tokens <= budget.max) {
      current = { ...block, tokens };
      continue;
    }
    for (const unit of sentenceUnits(block, content, budget)) {
      if (current && current.tokens + unit.tokens <= budget.max) {
        current = { text: `${current.text} ${unit.text}`, start: current.start, end: unit.end, tokens: current.tokens + unit.tokens };
      } else {
        flush();
        current = unit;
      }
    }
    flush();
  }
  flush();
  return out;
}

const sentences = new Intl.Segmenter('en', { granularity: 'sentence' });

/** Tokens per word in English notes with WordPiece (1.17 measured on bench/passages' notes), to size runs of words. */
const WORDS_TO_TOKENS = 1.2;

/** Words of a collapsed text (single spaces). */
function wordCount(text: string): number {
  let words = 1;
  for (let at = text.indexOf(' '); at >= 0; at = text.indexOf(' ', at + 1)) words++;
  return words;
}

/**
 * A text's tokens, or Infinity, without running the tokenizer, when it has more words than the budget has
 * tokens (every word is at least one): tokenizing a megabyte paragraph costs seconds.
 */
function tokensWithin(text: string, budget: TokenBudget): number {
  return wordCount(text) > budget.max ? Infinity : budget.count(text);
}

/** A block's sentences, each within the budget, with their ranges in the file. */
function sentenceUnits(block: Block, content: string, budget: TokenBudget): Unit[] {
  const pieces: { text: string; tokens: number }[] = [];
  for (const { segment } of sentences.segment(block.text)) {
    const text = segment.trim();
    if (!text) continue;
    const tokens = tokensWithin(text, budget);
    if (tokens <= budget.max) pieces.push({ text, tokens });
    else pieces.push(...splitRun(text, Math.ceil(WORDS_TO_TOKENS * wordCount(text)), budget));
  }
  return locate(pieces, block, content);
}

/**
 * Cuts a sentence longer than the budget into runs of words of about equal length (a word longer than the
 * budget into runs of characters): as many runs as its tokens need, each shrunk until it fits. Equal runs
 * leave no stray fragment of a few words to be matched on its own.
 */
function splitRun(text: string, tokens: number, budget: TokenBudget, byWords = true): { text: string; tokens: number }[] {
  const parts = byWords ? text.split(' ') : [...text];
  const glue = byWords ? ' ' : '';
  const out: { text: string; tokens: number }[] = [];
  let at = 0;
  let charsLeft = text.length;
  while (at < parts.length) {
    const runsLeft = Math.ceil(Math.max(1, (tokens * charsLeft) / text.length) / budget.max);
    let take = Math.ceil((parts.length - at) / runsLeft);
    let piece = parts.slice(at, at + take).join(glue);
    let count = budget.count(piece);
    while (count > budget.max && take > 1) {
      take = Math.max(1, Math.floor(take * 0.8));
      piece = parts.slice(at, at + take).join(glue);
      count = budget.count(piece);
    }
    if (count > budget.max && byWords) out.push(...splitRun(piece, count, budget, false));
    else out.push({ text: piece, tokens: count });
    at += take;
    charsLeft -= piece.length + glue.length;
  }
  return out;
}

/**
 * Finds where each piece starts in the file: where its opening words appear, looked for a little way past the
 * previous piece (a bounded search keeps a long paragraph linear); where markup hides them, the previous end.
 * A piece ends where the next one starts, or at the block's end.
 */
function locate(pieces: readonly { text: string; tokens: number }[], block: Block, content: string): Unit[] {
  const starts: number[] = [];
  let cursor = block.start;
  for (const { text } of pieces) {
    const limit = Math.min(block.end, cursor + SEARCH_CHARS);
    let at = content.slice(0, limit).indexOf(text.slice(0, 24), cursor);
    if (at < 0) at = content.slice(0, limit).indexOf(text.slice(0, Math.max(1, text.indexOf(' '))), cursor);
    const start = at >= 0 && at < block.end ? at : cursor;
    starts.push(start);
    cursor = start + 1;
  }
  return pieces.map(({ text, tokens }, i) => {
    const next = starts[i + 1] ?? block.end;
    const end = i + 1 < pieces.length ? trimEnd(content, starts[i]!, next) : block.end;
    return { text, tokens, start: starts[i]!, end: Math.max(starts[i]! + 1, end) };
  });
}

/** `end` moved back over whitespace, not before `start`. */
function trimEnd(content: string, start: number, end: number): number {
  while (end > start + 1 && /\s/.test(content[end - 1]!)) end--;
  return end;
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

/** A line's visible text, or the line itself when marked fails on it. */
function inlineText(line: string): string {
  try {
    return Lexer.lexInline(line).map(plainText).join('');
  } catch (error) {
    if (error instanceof RangeError) return line;
    throw error;
  }
}

function firstHeading(sections: readonly Section[]): string | undefined {
  return sections.find((section) => section.headingPath.length > 0)?.headingPath.at(-1) || undefined;
}

function firstLine(body: string, markdown: boolean): string | undefined {
  const found = /^[^\n]*\S[^\n]*$/m.exec(body)?.[0];
  if (!found) return undefined;
  const line = found.slice(0, safeCut(found, 1000));
  const text = collapse(markdown ? inlineText(line) : line);
  if (!text) return undefined;
  return text.length <= 80 ? text : `${text.slice(0, 79).trimEnd()}…`;
}
