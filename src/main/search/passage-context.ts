import type { NoteChunkRow } from '../library/schema.ts';
import type { TextRange } from './context.ts';

/** How much of the passages around the one that matched a photo is shown with it. */
const BEFORE_CHARS = 70;
const AFTER_CHARS = 140;

/**
 * A passage with the end of the one before and the start of the one after (under the same heading), cut at
 * word boundaries with an ellipsis, and the passage's range in that text: a passage is a sentence or two,
 * which reads better in the note's own words around it.
 */
export function passageInContext(passage: NoteChunkRow, before: NoteChunkRow | undefined, after: NoteChunkRow | undefined): { text: string; passage: TextRange } {
  const sameSection = (other: NoteChunkRow | undefined) =>
    other !== undefined && other.heading_path.length === passage.heading_path.length && other.heading_path.every((h, i) => h === passage.heading_path[i]);
  const lead = sameSection(before) ? tail(before!.text, BEFORE_CHARS) : '';
  const trail = sameSection(after) ? head(after!.text, AFTER_CHARS) : '';
  const start = lead ? lead.length + 1 : 0;
  const text = [lead, passage.text, trail].filter(Boolean).join(' ');
  return { text, passage: { start, end: start + passage.text.length } };
}

/** The end of a text, from a word boundary; an ellipsis says it starts mid-sentence (cut, or a passage that did). */
function tail(text: string, chars: number): string {
  if (text.length <= chars) return /^[\p{Lu}\p{N}]/u.test(text) ? text : `…${text}`;
  const cut = text.indexOf(' ', text.length - chars);
  return cut < 0 ? '' : `…${text.slice(cut + 1)}`;
}

function head(text: string, chars: number): string {
  if (text.length <= chars) return text;
  const cut = text.lastIndexOf(' ', chars);
  return cut < 0 ? '' : `${text.slice(0, cut)}…`;
}
