/** Turns LanceDB's Arrow row proxies into plain objects: vectors become Float32Array, lists become arrays. */

interface ArrowVectorLike {
  toArray(): ArrayLike<unknown>;
}

function isArrowVector(value: unknown): value is ArrowVectorLike {
  return typeof value === 'object' && value !== null && 'toArray' in value && typeof (value as ArrowVectorLike).toArray === 'function';
}

export function plainRow<T>(row: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (key === 'vector' && isArrowVector(value)) out[key] = Float32Array.from(value.toArray() as ArrayLike<number>);
    else if (isArrowVector(value)) out[key] = Array.from(value.toArray());
    else if (typeof value === 'bigint') out[key] = Number(value);
    else out[key] = value;
  }
  return out as T;
}

export function plainRows<T>(rows: Record<string, unknown>[]): T[] {
  return rows.map((row) => plainRow<T>(row));
}
