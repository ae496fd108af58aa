import { describe, expect, it } from 'vitest';
import { applyEdit, dominantSeparator, editorOffset, editorText } from './keep-bytes.ts';

/** What the editor would produce after replacing `from` by `to` once. */
function edit(original: string, from: string, to: string): string {
  const text = editorText(original);
  expect(text).toContain(from);
  return applyEdit(original, text.replace(from, to));
}

describe('applyEdit', () => {
  const tricky = [
    '\uFEFF---\r\ntags: [trip, winter]\r\n---\r\n',
    '# Title  \r\n\tindented\ttabs\r\nmixed lf\nold mac\rlast line, no final newline   ',
    'plain\n\n\n',
    '',
    '\r\n',
    'one line',
    'a\r\nb\nc\rd\r\n\r\n',
  ];

  it('gives back the original exactly when nothing changed', () => {
    for (const text of tricky) expect(applyEdit(text, editorText(text))).toBe(text);
  });

  it('changes only the edited word in a CRLF file with trailing spaces and no final newline', () => {
    const original = 'First line  \r\nThe quick fox\t\r\nlast  ';
    expect(edit(original, 'quick', 'slow')).toBe('First line  \r\nThe slow fox\t\r\nlast  ');
  });

  it('keeps every untouched line of a mixed file exact, and the edited line its own separator', () => {
    const original = 'a\r\nb\nc\rd\r\n';
    expect(edit(original, 'c', 'see')).toBe('a\r\nb\nsee\rd\r\n');
    expect(edit(original, 'b', 'bee')).toBe('a\r\nbee\nc\rd\r\n');
  });

  it('gives new lines the file’s most common separator', () => {
    expect(edit('a\r\nb\r\nc\nd', 'b', 'b\nnew')).toBe('a\r\nb\r\nnew\r\nc\nd');
    expect(edit('x\ny', 'y', 'y\nz')).toBe('x\ny\nz');
    expect(edit('only', 'only', 'one\ntwo')).toBe('one\ntwo');
  });

  it('keeps separators around deleted lines; a moved line is a new line', () => {
    const original = 'keep\r\ndrop\nalso\rtail\r\n';
    expect(applyEdit(original, 'keep\nalso\ntail\n')).toBe('keep\r\nalso\rtail\r\n');
    expect(applyEdit(original, 'keep\nalso\ndrop\ntail\n')).toBe('keep\r\nalso\rdrop\r\ntail\r\n');
  });

  it('adds and removes the final line break as the editor says', () => {
    expect(applyEdit('a\r\nb', 'a\nb\n')).toBe('a\r\nb\r\n');
    expect(applyEdit('a\r\nb\r\n', 'a\nb')).toBe('a\r\nb');
  });

  it('keeps a byte order mark, tabs and trailing spaces outside the edit', () => {
    const original = '\uFEFF---\r\ntags: [a]\r\n---\r\n\tTabbed  \r\nword\r\n';
    expect(edit(original, 'word', 'words')).toBe('\uFEFF---\r\ntags: [a]\r\n---\r\n\tTabbed  \r\nwords\r\n');
  });

  it('stays exact outside the changed region of a long text', () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `line ${i}${i % 3 === 0 ? '\r\n' : i % 3 === 1 ? '\n' : '\r'}`);
    const original = lines.join('');
    const edited = editorText(original).replace('line 1500', 'LINE 1500').replace('line 10\n', 'line 10\ninserted\n');
    const saved = applyEdit(original, edited);
    expect(editorText(saved)).toBe(edited);
    expect(saved.replace('LINE 1500', 'line 1500').replace('inserted\r\n', '')).toBe(original);
  });
});

describe('dominantSeparator', () => {
  it('is the separator most lines use', () => {
    expect(dominantSeparator('a\r\nb\r\nc\n')).toBe('\r\n');
    expect(dominantSeparator('a\rb')).toBe('\r');
    expect(dominantSeparator('single')).toBe('\n');
  });
});

describe('editorOffset', () => {
  it('maps a range in the file to the same text in the editor', () => {
    const original = 'a\r\nb\rc\nthe word\r\n';
    const start = original.indexOf('word');
    const at = editorOffset(original, start);
    expect(editorText(original).slice(at, at + 4)).toBe('word');
    expect(editorOffset(original, 0)).toBe(0);
    expect(editorOffset(original, original.length)).toBe(editorText(original).length);
  });
});
