import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * docs/benchmarks.md is hand-written prose around generated sections, each between `<!-- bench:NAME -->` and
 * `<!-- /bench:NAME -->`. A run rewrites the sections it measured and leaves the rest as it was; a section
 * the file does not have yet is added at the end.
 */
export function writeSections(file: string, sections: Record<string, readonly string[]>): void {
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '# Engine benchmarks\n';
  for (const [name, lines] of Object.entries(sections)) {
    const block = `<!-- bench:${name} -->\n${lines.join('\n')}\n<!-- /bench:${name} -->`;
    const pattern = new RegExp(`<!-- bench:${name} -->[\\s\\S]*?<!-- /bench:${name} -->`);
    text = pattern.test(text) ? text.replace(pattern, () => block) : `${text.trimEnd()}\n\n${block}\n`;
  }
  writeFileSync(file, text);
}
