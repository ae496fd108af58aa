/** Builds LanceDB (DataFusion) SQL predicates from values without letting a value change the query. */

export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function sqlIn(column: string, values: readonly string[]): string {
  if (values.length === 0) return 'false';
  return `${column} IN (${values.map(sqlString).join(', ')})`;
}

/** Rows whose path lies inside `folder` (the folder itself excluded). */
export function sqlUnder(column: string, folder: string, separator: string): string {
  const prefix = folder.endsWith(separator) ? folder : folder + separator;
  return `starts_with(${column}, ${sqlString(prefix)})`;
}

export function sqlAnd(...predicates: (string | undefined | false)[]): string | undefined {
  const parts = predicates.filter((p): p is string => typeof p === 'string' && p.length > 0);
  return parts.length === 0 ? undefined : parts.map((p) => `(${p})`).join(' AND ');
}
