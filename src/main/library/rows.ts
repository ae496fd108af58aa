/** LanceDB rows as plain objects (Arrow row proxies: vectors become Float32Array, lists arrays), and vector samples. */
import type { Table } from '@lancedb/lancedb';

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

interface ArrowColumns {
  numRows: number;
  getChild(name: string): Iterable<unknown> | null;
}

/** Plain objects from the scalar columns of a query's Arrow table: a large scan reads far faster by column than through row proxies. */
export function columnRows<T>(table: ArrowColumns, names: readonly string[]): T[] {
  // An empty result may come without the columns at all.
  if (table.numRows === 0) return [];
  const columns = names.map((name) => {
    const column = table.getChild(name);
    if (!column) throw new Error(`The query did not return the column ${name}.`);
    return [...column];
  });
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < table.numRows; i++) {
    const row: Record<string, unknown> = {};
    names.forEach((name, c) => {
      const value = columns[c]![i];
      row[name] = typeof value === 'bigint' ? Number(value) : value;
    });
    rows.push(row);
  }
  return rows as T[];
}

/**
 * Vectors of up to `limit` rows matching `where`, spread evenly over the whole table: a sample for per-query
 * statistics. Rows are stored in the order they were indexed, folder by folder, so the first `limit` rows
 * would describe the first folder, not the library.
 */
export async function vectorSample(table: Table, where: string, limit: number): Promise<Float32Array[]> {
  const matching = await table.query().where(where).select(['id']).withRowId().toArray();
  const count = Math.min(limit, matching.length);
  if (count === 0) return [];
  const picked = Array.from({ length: count }, (_, i) => matching[Math.floor((i * matching.length) / count)]._rowid as bigint);
  const rows = await table.takeRowIds(picked).select(['vector']).toArray();
  return plainRows<{ vector: Float32Array | null }>(rows).flatMap((row) => (row.vector ? [row.vector] : []));
}
