import { readFileSync } from 'node:fs';

/**
 * Concept groups for the held-out-concept evaluation: one group a line (`bicycle bicycles bike bikes`),
 * `#` starts a comment. A caption mentions a group when one of its words is one of the group's words.
 */
export function readConceptGroups(path: string): string[][] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim().toLowerCase())
    .filter(Boolean)
    .map((line) => line.split(/\s+/));
}

export function mentionsAny(caption: string, groups: readonly (readonly string[])[]): boolean {
  const words = new Set(caption.toLowerCase().match(/\p{L}+/gu) ?? []);
  return groups.some((group) => group.some((word) => words.has(word)));
}
