/** Splits text into plain and highlighted segments from the ranges the search returns. */
import type { TextRange } from '../../shared/dto.ts';
import { STOP_WORDS } from '../../shared/stop-words.ts';

export interface Segment {
  readonly text: string;
  readonly marked: boolean;
}

/** Markdown punctuation that reads as noise in a one-line excerpt: emphasis, code ticks, heading marks. */
const INLINE_MARKUP = /\*\*|__|`|^#{1,6}\s+|\n#{1,6}\s+/g;

/**
 * Like `segments`, for an excerpt of a Markdown note: the markup is dropped after the ranges are
 * applied (the ranges index the raw text), and line breaks become spaces.
 */
export function snippetSegments(text: string, ranges: readonly TextRange[]): Segment[] {
  return segments(text, withoutStopWords(text, ranges))
    .map((segment) => ({ ...segment, text: segment.text.replace(INLINE_MARKUP, (m) => (m.startsWith('\n') ? ' ' : '')).replace(/\s*\n\s*/g, ' ') }))
    .filter((segment) => segment.text.length > 0);
}

export function segments(text: string, ranges: readonly TextRange[]): Segment[] {
  const sorted = ranges
    .map((r) => ({ start: Math.max(0, Math.min(r.start, text.length)), end: Math.max(0, Math.min(r.end, text.length)) }))
    .filter((r) => r.end > r.start)
    .sort((a, b) => a.start - b.start);
  const out: Segment[] = [];
  let at = 0;
  for (const range of sorted) {
    const start = Math.max(range.start, at);
    if (range.end <= start) continue;
    if (start > at) out.push({ text: text.slice(at, start), marked: false });
    out.push({ text: text.slice(start, range.end), marked: true });
    at = range.end;
  }
  if (at < text.length) out.push({ text: text.slice(at), marked: false });
  return out;
}

/** Drops ranges that mark only a stop word ("the", "them"): marking them says nothing about why the note matched. */
export function withoutStopWords(text: string, ranges: readonly TextRange[]): TextRange[] {
  return ranges.filter((range) => !STOP_WORDS.has(text.slice(range.start, range.end).trim().toLowerCase()));
}
