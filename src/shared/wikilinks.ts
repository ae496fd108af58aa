/**
 * Obsidian-style wikilinks: `[[Note]]`, `[[Note|alias]]`, `[[Note#Heading]]`, `[[folder/Note]]` and embeds
 * `![[photo.jpg]]`. Pure text work shared by the preview (renderer) and backlinks (main process).
 */

export interface Wikilink {
  /** Range of the whole `[[…]]` (with the `!` of an embed) in the text: `[start, end)`. */
  start: number;
  end: number;
  embed: boolean;
  /** What is linked, as written: a note name or path (extension optional), or a file name. */
  target: string;
  /** After `#` (a heading or `^block`), without the `#`. */
  heading: string | null;
  /** After `|`: the text to show. */
  alias: string | null;
}

const LINK = /(!?)\[\[([^\[\]\n]+?)\]\]/g;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** Every wikilink in Markdown text, in order; those inside code blocks and code spans are not links. */
export function findWikilinks(text: string): Wikilink[] {
  const links: Wikilink[] = [];
  let fence: string | null = null;
  let lineStart = 0;
  while (lineStart <= text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    const line = text.slice(lineStart, lineEnd);
    const opener = FENCE.exec(line)?.[1];
    if (fence !== null) {
      if (opener && opener[0] === fence[0] && opener.length >= fence.length && line.trim() === opener) fence = null;
    } else if (opener) {
      fence = opener;
    } else if (line.includes('[[')) {
      linksInLine(line, lineStart, links);
    }
    if (newline < 0) break;
    lineStart = newline + 1;
  }
  return links;
}

function linksInLine(line: string, offset: number, out: Wikilink[]): void {
  const code = codeSpans(line);
  for (const match of line.matchAll(LINK)) {
    const at = match.index;
    if (code.some(([from, to]) => at >= from && at < to)) continue;
    const parsed = parseInner(match[2]!);
    if (!parsed) continue;
    out.push({ start: offset + at, end: offset + at + match[0].length, embed: match[1] === '!', ...parsed });
  }
}

/** `[from, to)` of each inline code span (a run of backticks closed by a run of the same length). */
function codeSpans(line: string): [number, number][] {
  const runs = [...line.matchAll(/`+/g)].map((m) => ({ at: m.index, length: m[0].length }));
  const spans: [number, number][] = [];
  for (let i = 0; i < runs.length; i++) {
    const open = runs[i]!;
    const close = runs.findIndex((run, k) => k > i && run.length === open.length);
    if (close < 0) continue;
    spans.push([open.at, runs[close]!.at + open.length]);
    i = close;
  }
  return spans;
}

function parseInner(inner: string): Pick<Wikilink, 'target' | 'heading' | 'alias'> | null {
  const bar = inner.indexOf('|');
  const ref = bar < 0 ? inner : inner.slice(0, bar);
  const alias = bar < 0 ? null : inner.slice(bar + 1).trim() || null;
  const hash = ref.indexOf('#');
  const target = (hash < 0 ? ref : ref.slice(0, hash)).trim();
  const heading = hash < 0 ? null : ref.slice(hash + 1).trim() || null;
  if (!target && !heading) return null;
  return { target, heading, alias };
}

const NOTE_EXTENSION = /\.(md|txt)$/i;

function slashes(path: string): string {
  return path.replaceAll('\\', '/');
}

/** How a note is named in links: its file name without `.md`/`.txt`, lower-cased. */
export function noteKey(pathOrName: string): string {
  const name = slashes(pathOrName).split('/').pop() ?? '';
  return name.replace(NOTE_EXTENSION, '').toLowerCase();
}

/**
 * Resolves link targets to notes as Obsidian does: by file name without extension, case-insensitive; a target
 * with folders (`trips/Oslo`) must match the end of the path; when several notes match, the nearest to the
 * linking note wins (most folders in common), then the shortest path.
 */
export class NoteResolver<T extends { path: string }> {
  private readonly byKey = new Map<string, T[]>();

  constructor(notes: Iterable<T>) {
    for (const note of notes) {
      const key = noteKey(note.path);
      const list = this.byKey.get(key);
      if (list) list.push(note);
      else this.byKey.set(key, [note]);
    }
  }

  resolve(target: string, fromPath: string): T | null {
    const wanted = slashes(target).replace(NOTE_EXTENSION, '').toLowerCase().replace(/^\/+/, '');
    if (!wanted) return null;
    let candidates = this.byKey.get(noteKey(wanted)) ?? [];
    if (wanted.includes('/')) {
      candidates = candidates.filter((note) => slashes(note.path).replace(NOTE_EXTENSION, '').toLowerCase().endsWith(`/${wanted}`));
    }
    if (candidates.length <= 1) return candidates[0] ?? null;
    const from = folders(fromPath);
    const closeness = (note: T) => commonPrefix(from, folders(note.path));
    return [...candidates].sort((a, b) => closeness(b) - closeness(a) || a.path.length - b.path.length || a.path.localeCompare(b.path))[0]!;
  }
}

function folders(path: string): string[] {
  return slashes(path).split('/').slice(0, -1);
}

function commonPrefix(a: readonly string[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

const PHOTO_EXTENSION = /\.(jpe?g|png|webp|gif|avif|heic|heif|tiff?|bmp)$/i;

/** True when an embed names a picture file rather than a note. */
export function isPhotoTarget(target: string): boolean {
  return PHOTO_EXTENSION.test(target);
}
