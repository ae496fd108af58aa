import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { methods, type MethodName } from './api.ts';
import { ApiError } from './errors.ts';
import { describeAction } from './method-actions.ts';
import { describeIssue, describeIssues } from './request-wording.ts';

/** Every field name a request schema can hold, nested ones included. */
function fieldNames(schema: z.ZodType): string[] {
  const def = schema._zod.def as { type: string; shape?: Record<string, z.ZodType>; innerType?: z.ZodType; element?: z.ZodType; options?: z.ZodType[]; in?: z.ZodType };
  switch (def.type) {
    case 'object':
      return Object.entries(def.shape!).flatMap(([name, field]) => [name, ...fieldNames(field)]);
    case 'optional':
    case 'default':
    case 'nullable':
      return fieldNames(def.innerType!);
    case 'array':
      return fieldNames(def.element!);
    case 'union':
      return def.options!.flatMap(fieldNames);
    case 'pipe':
      return fieldNames(def.in!);
    default:
      return [];
  }
}

/** What the dispatcher answers for `request` to `method`: the sentence, the per-field issues, and zod's words as the detail. */
function refused(method: MethodName, request: unknown): ApiError {
  const parsed = methods[method].request.safeParse(request);
  if (parsed.success) throw new Error(`${method} accepted ${JSON.stringify(request)}`);
  return ApiError.badRequest(method, request, parsed.error);
}

describe('bad requests in words', () => {
  it('a relative folder: a full path is asked for, with an example; zod’s words are the detail', () => {
    const error = refused('folders.add', { kind: 'photos', path: 'Pictures' });
    expect(error.message).toBe('The folder must be a full path, like /home/ana/Pictures or ~/Pictures.');
    expect(error.issues).toEqual([{ path: 'path', message: error.message }]);
    expect(error.detail).toBe('Invalid request for folders.add: path: must be a full path, like /home/ana/Pictures or ~/Pictures');
    expect(error.toBody()).toMatchObject({ code: 'bad_request', detail: error.detail });
  });

  it('accepts ~ and ~/… in a path box, and nothing else that starts with ~', () => {
    expect(methods['folders.add'].request.safeParse({ kind: 'photos', path: '~/Pictures' }).success).toBe(true);
    expect(methods['folders.add'].request.safeParse({ kind: 'photos', path: '~' }).success).toBe(true);
    expect(refused('folders.add', { kind: 'photos', path: '~ana/Pictures' }).message).toContain('must be a full path');
  });

  it('too long (string): the limit and the length given, with thousands separated', () => {
    expect(refused('search.text', { query: 'x'.repeat(2143) }).message).toBe('A search can be at most 500 characters: yours has 2,143.');
  });

  it('too short (string): empty', () => {
    expect(refused('search.text', { query: '   ' }).message).toBe('A search is empty.');
  });

  it('too big and too small (number), and not a whole number', () => {
    expect(refused('search.text', { query: 'x', limit: 1000 }).message).toBe('The number of results can be at most 500, not 1,000.');
    expect(refused('search.text', { query: 'x', offset: -1 }).message).toBe('The offset must be at least 0, not -1.');
    expect(refused('search.text', { query: 'x', limit: 2.5 }).message).toBe('The number of results must be a whole number, not 2.5.');
  });

  it('too many and too few items (array)', () => {
    const terms = Array.from({ length: 9 }, () => ({ sign: 1, text: 'a' }));
    expect(refused('search.combined', { terms }).message).toBe('A combined search can have at most 8: yours has 9.');
    expect(refused('search.combined', { terms: [] }).message).toMatch(/^A combined search is empty\./);
  });

  it('missing and wrong type', () => {
    expect(refused('folders.add', { kind: 'photos' }).message).toBe('The folder is missing.');
    expect(refused('folders.add', { kind: 'photos', path: 42 }).message).toBe('The folder must be text, not 42.');
    expect(refused('indexing.reindex', { failedOnly: 'yes' }).message).toBe('The “failed only” choice must be yes or no (true or false), not “yes”.');
  });

  it('a date in the wrong format, and a date range the wrong way round', () => {
    expect(refused('search.text', { query: 'x', filters: { dateFrom: '2021-02-30' } }).message).toBe(
      'The start date must be a date like 2024-05-31, not “2021-02-30”.',
    );
    const backwards = refused('search.text', { query: 'x', filters: { dateFrom: '2022-01-01', dateTo: '2021-01-01' } });
    expect(backwards.message).toBe('The start date must not be after the end date.');
    expect(backwards.issues?.[0]?.path).toBe('filters.dateFrom');
  });

  it('a value not among the choices (enum)', () => {
    expect(refused('folders.add', { kind: 'videos', path: '/x' }).message).toBe('The kind of folder must be “photos” or “notes”, not “videos”.');
  });

  it('unknown fields', () => {
    expect(refused('folders.list', { colour: 'red' }).message).toBe('This request has a field Subspace does not know: colour.');
  });

  it('a pattern (ids)', () => {
    expect(refused('photos.get', { photoId: 'a/b' }).message).toBe('The photo id can contain only letters, digits and _ . : -.');
  });

  it('refinements on a field and on the whole request', () => {
    expect(refused('notes.create', { root: '/n', fileName: 'a/b.md' }).message).toBe('The file name must be a name alone, without folders.');
    expect(refused('notes.create', { root: '/n', fileName: 'trip.doc' }).message).toBe('The file name must end in .md or .txt.');
    expect(refused('search.combined', { terms: [{ sign: -1, text: 'a' }] }).message).toBe(
      'A combined search needs at least one term that is added (+).',
    );
  });

  it('names the method’s own field ("The photo’s path" for photos.byPath), and counts further problems', () => {
    expect(refused('photos.byPath', { path: 'x.jpg' }).message).toBe('The photo’s path must be a full path, like /home/ana/Pictures.');
    const two = refused('folders.add', { kind: 'videos', path: 'x' });
    expect(two.message).toMatch(/\(and 1 more problem\)$/);
    expect(two.issues).toHaveLength(2);
  });

  it('has a name for every field of every request', () => {
    const unnamed: string[] = [];
    const seen = new Set<string>();
    for (const [method, { request }] of Object.entries(methods)) {
      for (const field of fieldNames(request)) {
        seen.add(field);
        const sentence = describeIssue(method, {}, { code: 'custom', path: [field], message: 'is wrong', input: undefined });
        if (sentence.startsWith('The field “')) unnamed.push(`${method}: ${field}`);
      }
    }
    expect([...seen]).toEqual(expect.arrayContaining(['query', 'dateFrom', 'sign', 'fileName', 'start', 'kind', 'theme', 'showHidden']));
    expect(unnamed).toEqual([]);
  });

  it('says what every method does, for "Subspace could not …"', () => {
    expect(Object.keys(methods).filter((method) => describeAction(method) === 'do that')).toEqual([]);
  });

  it('a field it has no name for is quoted, never dropped', () => {
    const schema = z.object({ wibble: z.string() });
    const result = schema.safeParse({ wibble: 1 });
    expect(describeIssues('x.y', { wibble: 1 }, result.error!.issues)).toEqual([{ path: 'wibble', message: 'The field “wibble” must be text, not 1.' }]);
  });
});
