/** Dot product; for the L2-normalized vectors every embedder returns, this is the cosine similarity. */
export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/** Scales a vector to unit length in place (a zero vector stays zero). */
export function normalize(vector: Float32Array): Float32Array {
  const length = Math.sqrt(dot(vector, vector));
  const scale = length > 0 ? 1 / length : 0;
  for (let i = 0; i < vector.length; i++) vector[i]! *= scale;
  return vector;
}
