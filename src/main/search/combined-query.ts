/** One term of a combined query: text or a photo, added (+1) or subtracted (−1). */
export interface QueryTerm {
  sign: 1 | -1;
  text?: string;
  photoId?: string;
}

/** Σ sign·vector, L2-normalized: the direction the query asks for. */
export function combineVectors(parts: readonly { sign: 1 | -1; vector: Float32Array }[]): Float32Array {
  const dim = parts[0]?.vector.length ?? 0;
  const out = new Float32Array(dim);
  for (const { sign, vector } of parts) for (let i = 0; i < dim; i++) out[i]! += sign * vector[i]!;
  let norm = 0;
  for (const v of out) norm += v * v;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < dim; i++) out[i]! *= scale;
  return out;
}
