import { describe, expect, it } from 'vitest';
import { findWikilinks, isPhotoTarget, NoteResolver } from './wikilinks.ts';

describe('findWikilinks', () => {
  it('reads targets, headings, aliases and embeds with their ranges', () => {
    const text = 'See [[Oslo]], [[trips/Bergen.md#Day 2|the second day]] and ![[fjord.jpg]].';
    const links = findWikilinks(text);
    expect(links.map(({ target, heading, alias, embed }) => ({ target, heading, alias, embed }))).toEqual([
      { target: 'Oslo', heading: null, alias: null, embed: false },
      { target: 'trips/Bergen.md', heading: 'Day 2', alias: 'the second day', embed: false },
      { target: 'fjord.jpg', heading: null, alias: null, embed: true },
    ]);
    expect(links.map((l) => text.slice(l.start, l.end))).toEqual(['[[Oslo]]', '[[trips/Bergen.md#Day 2|the second day]]', '![[fjord.jpg]]']);
  });

  it('skips links inside code spans and fenced code blocks', () => {
    const text = ['`[[not a link]]` but [[Real]]', '```', '[[Inside fence]]', '```', '~~~~', '[[Tilde]]', '~~~~', '``a ` [[x]]`` [[After]]'].join('\n');
    expect(findWikilinks(text).map((l) => l.target)).toEqual(['Real', 'After']);
  });

  it('takes a heading-only link as a link to the same note, and ignores empty brackets', () => {
    expect(findWikilinks('[[#Plans]] [[ ]] [[]]').map((l) => [l.target, l.heading])).toEqual([['', 'Plans']]);
  });

  it('finds links on CRLF lines and across a long text', () => {
    const text = 'a [[One]]\r\nb [[Two]]\r\n'.repeat(3);
    const links = findWikilinks(text);
    expect(links.map((l) => l.target)).toEqual(['One', 'Two', 'One', 'Two', 'One', 'Two']);
    expect(text.slice(links[3]!.start, links[3]!.end)).toBe('[[Two]]');
  });
});

describe('NoteResolver', () => {
  const notes = [
    { path: '/n/Oslo.md' },
    { path: '/n/trips/2024/Bergen.md' },
    { path: '/n/Bergen.md' },
    { path: '/n/archive/old/Bergen.md' },
    { path: '/n/ideas.txt' },
  ];
  const resolver = new NoteResolver(notes);

  it('matches file names without extension, ignoring case', () => {
    expect(resolver.resolve('oslo', '/n/x.md')?.path).toBe('/n/Oslo.md');
    expect(resolver.resolve('Oslo.md', '/n/x.md')?.path).toBe('/n/Oslo.md');
    expect(resolver.resolve('IDEAS', '/n/x.md')?.path).toBe('/n/ideas.txt');
    expect(resolver.resolve('Tromsø', '/n/x.md')).toBeNull();
  });

  it('prefers the nearest note when several share a name, then the shortest path', () => {
    expect(resolver.resolve('Bergen', '/n/trips/2024/plan.md')?.path).toBe('/n/trips/2024/Bergen.md');
    expect(resolver.resolve('Bergen', '/n/archive/old/x.md')?.path).toBe('/n/archive/old/Bergen.md');
    expect(resolver.resolve('Bergen', '/n/x.md')?.path).toBe('/n/Bergen.md');
    expect(resolver.resolve('Bergen', '/elsewhere/x.md')?.path).toBe('/n/Bergen.md');
  });

  it('uses the folders a target names', () => {
    expect(resolver.resolve('old/Bergen', '/n/x.md')?.path).toBe('/n/archive/old/Bergen.md');
    expect(resolver.resolve('trips/2024/bergen.md', '/n/x.md')?.path).toBe('/n/trips/2024/Bergen.md');
    expect(resolver.resolve('nowhere/Bergen', '/n/x.md')).toBeNull();
  });

  it('treats Windows paths like any other', () => {
    const windows = new NoteResolver([{ path: 'C:\\Notes\\a\\Day.md' }, { path: 'C:\\Notes\\b\\Day.md' }]);
    expect(windows.resolve('Day', 'C:\\Notes\\b\\x.md')?.path).toBe('C:\\Notes\\b\\Day.md');
    expect(windows.resolve('a/Day', 'C:\\Notes\\b\\x.md')?.path).toBe('C:\\Notes\\a\\Day.md');
  });
});

describe('isPhotoTarget', () => {
  it('knows picture files from notes', () => {
    expect(isPhotoTarget('fjord.JPG')).toBe(true);
    expect(isPhotoTarget('IMG_1.heic')).toBe(true);
    expect(isPhotoTarget('Oslo')).toBe(false);
    expect(isPhotoTarget('notes.md')).toBe(false);
  });
});
