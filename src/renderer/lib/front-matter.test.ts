import { describe, expect, it } from 'vitest';
import { splitFrontMatter } from './front-matter.ts';

describe('splitFrontMatter', () => {
  it('reads properties and where the body starts', () => {
    const text = '---\ntags: [trip, winter]\ndate: 2024-02-10\ntitle: "Oslo: day 1"\naliases:\n  - Oslo\n  - Kristiania\nempty:\n---\n# Oslo\n';
    const front = splitFrontMatter(text)!;
    expect(front.properties).toEqual([
      { key: 'tags', values: ['trip', 'winter'] },
      { key: 'date', values: ['2024-02-10'] },
      { key: 'title', values: ['Oslo: day 1'] },
      { key: 'aliases', values: ['Oslo', 'Kristiania'] },
      { key: 'empty', values: [] },
    ]);
    expect(text.slice(front.bodyStart)).toBe('# Oslo\n');
  });

  it('handles CRLF, a closing "...", and front matter at the very end', () => {
    expect(splitFrontMatter('---\r\na: 1\r\n---\r\nbody')!.bodyStart).toBe('---\r\na: 1\r\n---\r\n'.length);
    expect(splitFrontMatter('---\na: 1\n...\nbody')!.properties).toEqual([{ key: 'a', values: ['1'] }]);
    const end = splitFrontMatter('---\na: 1\n---');
    expect(end!.bodyStart).toBe('---\na: 1\n---'.length);
  });

  it('is absent without an opening fence on the first line or without a closing one', () => {
    expect(splitFrontMatter('# Title\n---\na: 1\n---\n')).toBeNull();
    expect(splitFrontMatter('---\na: 1\nno end')).toBeNull();
    expect(splitFrontMatter(' ---\na: 1\n---\n')).toBeNull();
  });

  it('keeps YAML that is not a mapping, or broken, as raw text', () => {
    expect(splitFrontMatter('---\n- a\n- b\n---\n')!.properties).toBeNull();
    const broken = splitFrontMatter('---\nkey: [unclosed\n---\nbody')!;
    expect(broken.properties).toBeNull();
    expect(broken.yaml).toBe('key: [unclosed\n');
    expect(splitFrontMatter('---\n---\nbody')!.properties).toEqual([]);
  });

  it('shows nested values as JSON rather than losing them', () => {
    expect(splitFrontMatter('---\nplace: {city: Oslo, country: NO}\n---\n')!.properties).toEqual([
      { key: 'place', values: ['{"city":"Oslo","country":"NO"}'] },
    ]);
  });
});
