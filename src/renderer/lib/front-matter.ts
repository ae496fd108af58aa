/**
 * YAML front matter (Obsidian's "properties"): the block between a first line `---` and the next `---` (or
 * `...`). It is shown as a table of properties and never rendered as Markdown; the text itself is never
 * rewritten here.
 */
import { CORE_SCHEMA, load } from 'js-yaml';

export interface Property {
  key: string;
  /** A list property (`tags: [a, b]` or `- a` lines) gives several values. */
  values: string[];
}

export interface FrontMatter {
  /** The YAML between the fences. */
  yaml: string;
  /** Where the body (what follows the closing fence and its line break) starts in the text. */
  bodyStart: number;
  /** The properties, or null when the YAML is not a mapping (shown raw then). */
  properties: Property[] | null;
}

const OPEN = /^---[ \t]*\r?\n/;
const CLOSE = /^(?:---|\.\.\.)[ \t]*(?:\r\n|\r|\n|$)/m;

export function splitFrontMatter(text: string): FrontMatter | null {
  const open = OPEN.exec(text);
  if (!open) return null;
  const rest = text.slice(open[0].length);
  const close = CLOSE.exec(rest);
  if (!close) return null;
  const yaml = rest.slice(0, close.index);
  return { yaml, bodyStart: open[0].length + close.index + close[0].length, properties: properties(yaml) };
}

function properties(yaml: string): Property[] | null {
  let data: unknown;
  try {
    data = load(yaml, { schema: CORE_SCHEMA, json: true });
  } catch {
    return null;
  }
  if (data === null || data === undefined) return [];
  if (typeof data !== 'object' || Array.isArray(data)) return null;
  return Object.entries(data as Record<string, unknown>).map(([key, value]) => ({
    key,
    values: Array.isArray(value) ? value.map(show) : value === null ? [] : [show(value)],
  }));
}

function show(value: unknown): string {
  if (value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
