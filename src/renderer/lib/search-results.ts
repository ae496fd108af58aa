/**
 * How search results are laid out: good matches first, then "More results" behind a divider; or, sorted by
 * date, the good matches grouped by day as in the library grid, with the other results after them.
 */
import type { PhotoHit } from '../../shared/dto.ts';
import type { GridGroup } from './grid-layout.ts';

export type ResultOrder = 'relevance' | 'date';

export interface ResultLayout {
  hits: readonly PhotoHit[];
  groups: GridGroup[];
}

/** Good matches at the head of the ranking; null when the search could not tell (no cutoff). */
export function goodCount(hits: readonly PhotoHit[]): number | null {
  if (hits.length === 0 || hits[0]!.good === undefined) return hits.length === 0 ? 0 : null;
  const first = hits.findIndex((hit) => !hit.good);
  return first === -1 ? hits.length : first;
}

export const MORE_RESULTS = 'More results';

/**
 * `showRest`: whether the results past the good ones are shown (the nearest photos for a query nothing matches
 * are shown only when asked). `dayLabel` names a local calendar day ('YYYY-MM-DD') or null for undated photos.
 */
export function layoutResults(
  hits: readonly PhotoHit[],
  options: { order: ResultOrder; showRest: boolean; dayLabel: (day: string | null) => string },
): ResultLayout {
  const good = goodCount(hits) ?? hits.length;
  const head = hits.slice(0, good);
  const rest = good === 0 && !options.showRest ? [] : hits.slice(good);
  const restGroup: GridGroup[] = rest.length > 0 ? [{ label: good > 0 || options.order === 'date' ? MORE_RESULTS : null, count: rest.length }] : [];
  if (options.order === 'relevance') {
    return { hits: [...head, ...rest], groups: [...(head.length > 0 ? [{ label: null, count: head.length }] : []), ...restGroup] };
  }
  const byDate = [...head].sort((a, b) => (b.photo.takenAt ?? '').localeCompare(a.photo.takenAt ?? ''));
  const groups: GridGroup[] = [];
  let current: string | null | undefined;
  for (const hit of byDate) {
    const day = localDay(hit.photo.takenAt);
    if (groups.length === 0 || day !== current) groups.push({ label: options.dayLabel(day), count: 0 });
    current = day;
    groups[groups.length - 1] = { ...groups[groups.length - 1]!, count: groups[groups.length - 1]!.count + 1 };
  }
  return { hits: [...byDate, ...rest], groups: [...groups, ...restGroup] };
}

/** The local calendar day of an instant, as the library's day groups use. */
export function localDay(takenAt: string | null): string | null {
  if (takenAt === null) return null;
  const date = new Date(takenAt);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
