/**
 * Turns what zod says about a bad request into sentences a person understands, naming the field the way the
 * app names it ("The folder", "A search") and saying what would be right. Pure: the dispatcher and the tests use it.
 */
import type { z } from 'zod';

/** How each request field is called in a sentence; the method's own name for it wins (see METHOD_FIELDS). */
const FIELDS: Record<string, string> = {
  query: 'A search',
  text: 'A search term',
  terms: 'A combined search',
  sign: 'The sign of a search term',
  path: 'The path',
  folder: 'The folder filter',
  root: 'The notes folder',
  kind: 'The kind of folder',
  photoId: 'The photo id',
  photoIds: 'The selection of photos',
  noteId: 'The note id',
  content: 'The note',
  fileName: 'The file name',
  revision: 'The note’s revision',
  passage: 'The selected passage',
  start: 'The start of the selection',
  end: 'The end of the selection',
  offset: 'The offset',
  limit: 'The number of results',
  filters: 'The filters',
  dateFrom: 'The start date',
  dateTo: 'The end date',
  camera: 'The camera',
  failedOnly: 'The “failed only” choice',
  model: 'The model',
  theme: 'The theme',
  keepIndexingInTray: 'The “keep indexing in the tray” setting',
  startAtLogin: 'The “start at login” setting',
  showHidden: 'The “show hidden folders” choice',
  names: 'The photo names',
  near: 'The path of the note that embeds the photos',
};

const METHOD_FIELDS: Record<string, Record<string, string>> = {
  'folders.add': { path: 'The folder' },
  'folders.remove': { path: 'The folder' },
  'photos.byPath': { path: 'The photo’s path' },
  'notes.byPath': { path: 'The note’s path' },
  'indexing.reindex': { root: 'The folder to rescan' },
  'settings.update': { path: 'The model’s path', kind: 'The kind of model' },
  'fs.listDirectories': { path: 'The folder' },
  'notes.create': { folder: 'The folder for the note' },
};

/** What a word-for-word example of a right value looks like, for format errors. */
const FORMATS: Record<string, string> = {
  date: 'a date like 2024-05-31',
  datetime: 'a date and time like 2024-05-31T09:15:00Z',
};

export interface FieldIssue {
  /** The field, dotted (`filters.dateFrom`), or `(root)` for the request as a whole. */
  path: string;
  /** A sentence about that field. */
  message: string;
}

/** One sentence per issue, for a request to `method` (whose values are read from `request` to quote sizes). */
export function describeIssues(method: string, request: unknown, issues: readonly z.core.$ZodIssue[]): FieldIssue[] {
  return issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(root)', message: describeIssue(method, request, issue) }));
}

export function describeIssue(method: string, request: unknown, issue: z.core.$ZodIssue): string {
  const label = fieldLabel(method, issue.path);
  const value = valueAt(request, issue.path);
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return `${label} is missing.`;
      return `${label} must be ${typeNoun(issue.expected)}, not ${describeValue(value)}.`;
    case 'too_big':
      return tooBig(label, issue, value);
    case 'too_small':
      return tooSmall(label, issue, value);
    case 'invalid_format':
      if (issue.format === 'regex') {
        return issue.message.startsWith('Invalid string') ? `${label} contains characters it cannot have.` : `${label} ${sentenceBody(issue.message)}.`;
      }
      return `${label} must be ${FORMATS[issue.format] ?? `in ${issue.format} format`}${typeof value === 'string' ? `, not “${clip(value)}”` : ''}.`;
    case 'invalid_value':
      return `${label} must be ${oneOf(issue.values.map((v) => `“${String(v)}”`))}${value !== undefined ? `, not ${describeValue(value)}` : ''}.`;
    case 'unrecognized_keys':
      return `${issue.path.length > 0 ? label : 'This request'} has ${issue.keys.length === 1 ? 'a field' : 'fields'} Subspace does not know: ${issue.keys.join(', ')}.`;
    case 'not_multiple_of':
      return `${label} must be a multiple of ${String(issue.divisor)}.`;
    case 'invalid_union':
    case 'invalid_key':
    case 'invalid_element':
      return `${label} is not valid.`;
    case 'custom':
      return issue.path.length > 0 ? `${label} ${sentenceBody(issue.message)}.` : `${capitalize(sentenceBody(issue.message))}.`;
  }
}

/** A one-line summary of all issues: the first sentence, and how many more there are. */
export function summarizeIssues(issues: readonly FieldIssue[]): string {
  const [first, ...rest] = issues;
  if (!first) return 'This request is not valid.';
  return rest.length === 0 ? first.message : `${first.message} (and ${rest.length} more ${rest.length === 1 ? 'problem' : 'problems'})`;
}

function tooBig(label: string, issue: z.core.$ZodIssueTooBig, value: unknown): string {
  const max = Number(issue.maximum);
  switch (issue.origin) {
    case 'string': {
      const length = typeof value === 'string' ? value.length : null;
      return `${label} can be at most ${count(max, 'character')}${length !== null ? `: yours has ${formatNumber(length)}` : ''}.`;
    }
    case 'array':
    case 'set':
      return `${label} can have at most ${formatNumber(max)}${Array.isArray(value) ? `: yours has ${formatNumber(value.length)}` : ''}.`;
    default:
      return `${label} can be at most ${formatNumber(max)}${typeof value === 'number' ? `, not ${formatNumber(value)}` : ''}.`;
  }
}

function tooSmall(label: string, issue: z.core.$ZodIssueTooSmall, value: unknown): string {
  const min = Number(issue.minimum);
  switch (issue.origin) {
    case 'string':
      if (min <= 1) return `${label} is empty.`;
      return `${label} must be at least ${count(min, 'character')}.`;
    case 'array':
    case 'set':
      return min <= 1 ? `${label} is empty.` : `${label} needs at least ${formatNumber(min)}.`;
    default:
      return `${label} must be at least ${formatNumber(min)}${typeof value === 'number' ? `, not ${formatNumber(value)}` : ''}.`;
  }
}

function fieldLabel(method: string, path: readonly PropertyKey[]): string {
  const names = path.filter((part): part is string => typeof part === 'string');
  const name = names.at(-1);
  if (name === undefined) return path.length > 0 ? 'An item' : 'This request';
  return METHOD_FIELDS[method]?.[name] ?? FIELDS[name] ?? `The field “${name}”`;
}

function valueAt(request: unknown, path: readonly PropertyKey[]): unknown {
  let value = request;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

function typeNoun(expected: string): string {
  const nouns: Record<string, string> = {
    string: 'text',
    number: 'a number',
    int: 'a whole number',
    boolean: 'yes or no (true or false)',
    object: 'a group of fields',
    array: 'a list',
  };
  return nouns[expected] ?? `a ${expected}`;
}

function describeValue(value: unknown): string {
  if (value === null) return 'empty (null)';
  if (typeof value === 'string') return `“${clip(value)}”`;
  if (typeof value === 'number') return Number.isInteger(value) ? formatNumber(value) : String(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a group of fields';
  return String(value);
}

/** zod's and our refinement messages are predicates ("must be …"); this makes one fit after a field's name. */
function sentenceBody(message: string): string {
  return message.trim().replace(/\.$/, '');
}

function oneOf(items: string[]): string {
  if (items.length <= 1) return items[0] ?? 'something else';
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

function count(n: number, unit: string): string {
  return `${formatNumber(n)} ${unit}${n === 1 ? '' : 's'}`;
}

function formatNumber(n: number): string {
  return n.toLocaleString('en-US');
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
