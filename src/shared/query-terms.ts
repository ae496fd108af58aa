/**
 * Reading a search query as terms to add and subtract, rclip-style: `beach + sunset − people` and
 * `beach -people` look for beach and sunset and away from people. An operator is a `+`, `-` or `−` at the
 * start or after a space, so "t-shirt" and "4-3" stay whole. Pure: the renderer shows the terms as chips, the
 * service ranks with them.
 */

export interface TextTerm {
  sign: 1 | -1;
  text: string;
}

const OPERATOR = /(^|\s)([+\-−–])(?=\s*\S)/g;

export function parseQueryTerms(query: string): TextTerm[] {
  const terms: TextTerm[] = [];
  let sign: 1 | -1 = 1;
  let from = 0;
  const push = (text: string) => {
    const trimmed = text.trim();
    if (trimmed) terms.push({ sign, text: trimmed });
  };
  for (const match of query.matchAll(OPERATOR)) {
    const at = match.index + match[1]!.length;
    push(query.slice(from, at));
    sign = match[2] === '+' ? 1 : -1;
    from = at + 1;
  }
  push(query.slice(from));
  return terms;
}

/** True when the query has more than one term or a subtracted one: it is read as `a + b − c`, not as one text. */
export function isCombinedQuery(terms: readonly TextTerm[]): boolean {
  return terms.length > 1 || terms.some((term) => term.sign === -1);
}
