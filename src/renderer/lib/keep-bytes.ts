/**
 * The editor works on text with `\n` line breaks; the file may use `\r\n`, `\r` or a mix. `applyEdit` puts the
 * editor's text back into the file's own text so that every line the user did not touch keeps its exact
 * characters and line separator, and an edited line keeps the separator it had. New lines get the file's
 * most common separator. So a one-word edit changes only that word's bytes on disk.
 */

/** The editor's view of a file's text: line breaks as `\n`, as CodeMirror reads them (`\r\n`, `\r`, `\n`). */
export function editorText(original: string): string {
  return original.replace(/\r\n?/g, '\n');
}

/** Where `offset` in the file's text lands in the editor's text (each `\r\n` is one character there). */
export function editorOffset(original: string, offset: number): number {
  const before = original.slice(0, offset);
  return offset - (before.match(/\r\n/g)?.length ?? 0);
}

interface Lines {
  text: string[];
  /** `separators[i]` follows `text[i]`; the last line has none. */
  separators: string[];
}

function splitLines(text: string): Lines {
  const parts = text.split(/(\r\n|\r|\n)/);
  const lines: Lines = { text: [], separators: [] };
  for (let i = 0; i < parts.length; i += 2) {
    lines.text.push(parts[i]!);
    if (i + 1 < parts.length) lines.separators.push(parts[i + 1]!);
  }
  return lines;
}

/** The separator most lines of the file end with (`\n` for a file of one line). */
export function dominantSeparator(text: string): string {
  const counts = new Map<string, number>();
  for (const separator of text.match(/\r\n|\r|\n/g) ?? []) counts.set(separator, (counts.get(separator) ?? 0) + 1);
  let best = '\n';
  let bestCount = 0;
  for (const [separator, count] of counts) {
    if (count > bestCount) [best, bestCount] = [separator, count];
  }
  return best;
}

/** Pairs of equal lines (indices into `a` and `b`), in order: a longest common subsequence. */
function matchLines(a: readonly string[], b: readonly string[]): [number, number][] {
  if (a.length * b.length > MAX_DIFF_CELLS) return [];
  const n = a.length;
  const m = b.length;
  const lengths = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i * (m + 1) + j] =
        a[i] === b[j] ? lengths[(i + 1) * (m + 1) + j + 1]! + 1 : Math.max(lengths[(i + 1) * (m + 1) + j]!, lengths[i * (m + 1) + j + 1]!);
    }
  }
  const pairs: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) pairs.push([i++, j++]);
    else if (lengths[(i + 1) * (m + 1) + j]! >= lengths[i * (m + 1) + j + 1]!) i++;
    else j++;
  }
  return pairs;
}

/** Past this many line pairs in the changed region, changed lines are paired by position instead (a paste of thousands of lines). */
const MAX_DIFF_CELLS = 4_000_000;

/**
 * The file's new text: `original` (the file as read) with the editor's `edited` text (`\n` breaks) applied.
 * `applyEdit(original, editorText(original)) === original` for every text.
 */
export function applyEdit(original: string, edited: string): string {
  if (edited === editorText(original)) return original;
  const before = splitLines(original);
  const after = edited.split('\n');
  const fallback = dominantSeparator(original);

  let prefix = 0;
  while (prefix < before.text.length && prefix < after.length && before.text[prefix] === after[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < before.text.length - prefix &&
    suffix < after.length - prefix &&
    before.text[before.text.length - 1 - suffix] === after[after.length - 1 - suffix]
  ) {
    suffix++;
  }

  // For each line of `after`, the line of `before` whose separator it keeps (or -1 for a new line).
  const source = new Int32Array(after.length).fill(-1);
  for (let k = 0; k < prefix; k++) source[k] = k;
  for (let k = 1; k <= suffix; k++) source[after.length - k] = before.text.length - k;
  const pairs = matchLines(before.text.slice(prefix, before.text.length - suffix), after.slice(prefix, after.length - suffix));
  // Between matched lines, a run of changed lines takes the separators of the run it replaced, in order.
  let fromBefore = prefix;
  let fromAfter = prefix;
  for (const [i, j] of [...pairs.map(([i, j]) => [i + prefix, j + prefix]), [before.text.length - suffix, after.length - suffix]]) {
    for (let k = 0; fromAfter + k < j! && fromBefore + k < i!; k++) source[fromAfter + k] = fromBefore + k;
    if (j! < after.length - suffix) source[j!] = i!;
    fromBefore = i! + 1;
    fromAfter = j! + 1;
  }

  let out = '';
  for (let k = 0; k < after.length; k++) {
    out += after[k];
    if (k === after.length - 1) break;
    const from = source[k]!;
    out += (from >= 0 ? before.separators[from] : undefined) ?? fallback;
  }
  return out;
}
