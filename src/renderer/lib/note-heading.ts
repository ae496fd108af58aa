/**
 * `[[Note#Heading]]`: the heading to bring into view once that note opens (a link only carries the note in the
 * URL), and where a heading is in a note's text.
 */
let pending: { noteId: string; heading: string } | null = null;

export function revealOnOpen(noteId: string, heading: string): void {
  pending = { noteId, heading };
}

/** The heading to reveal in this note, once. */
export function takeHeadingFor(noteId: string): string | null {
  if (pending?.noteId !== noteId) return null;
  const { heading } = pending;
  pending = null;
  return heading;
}

const ATX = /^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;

function normalize(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Offset of the start of the first ATX heading line whose text matches `heading` (case-insensitive), or -1. */
export function headingOffset(text: string, heading: string): number {
  const wanted = normalize(heading);
  let offset = 0;
  for (const line of text.split('\n')) {
    const match = ATX.exec(line);
    if (match && normalize(match[1]!) === wanted) return offset;
    offset += line.length + 1;
  }
  return -1;
}

/** Whether a rendered heading's text is the one a link names. */
export function sameHeading(rendered: string, heading: string): boolean {
  return normalize(rendered) === normalize(heading);
}
