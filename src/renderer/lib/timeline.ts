/**
 * The library's timeline by month, from `photos.timeline`'s day counts: the grid's month sections and
 * the scrubber's marks. Positions on the scrubber are shares of the photos (item index / total), so a
 * month takes as much of the bar as it has photos, and a position maps to an item without loading it.
 */

export interface TimelineDay {
  readonly day: string | null;
  readonly count: number;
}

export interface TimelineMonth {
  /** `YYYY-MM`, or null for the photos without a date (last). */
  readonly key: string | null;
  readonly year: number | null;
  readonly firstItem: number;
  readonly count: number;
}

export interface TimelineYear {
  readonly year: number;
  /** Index of its newest month in the month list. */
  readonly month: number;
  readonly firstItem: number;
  readonly count: number;
}

const monthFormat = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric' });
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });

export function monthKey(day: string | null): string | null {
  return day === null ? null : day.slice(0, 7);
}

/** "March 2024"; "No date" for undated photos. */
export function monthLabel(key: string | null): string {
  if (key === null) return 'No date';
  return monthFormat.format(new Date(`${key}-15T12:00:00`));
}

/** A day within a month section: "Mon, Mar 4". */
export function dayLabel(day: string | null): string {
  return day === null ? 'No date' : dayFormat.format(new Date(`${day}T12:00:00`));
}

/** Consecutive days of the same month, in timeline order (newest first). */
export function timelineMonths(days: readonly TimelineDay[]): TimelineMonth[] {
  const months: { key: string | null; year: number | null; firstItem: number; count: number }[] = [];
  let item = 0;
  for (const day of days) {
    const key = monthKey(day.day);
    const last = months.at(-1);
    if (last && last.key === key) last.count += day.count;
    else months.push({ key, year: key === null ? null : Number(key.slice(0, 4)), firstItem: item, count: day.count });
    item += day.count;
  }
  return months;
}

export function timelineYears(months: readonly TimelineMonth[]): TimelineYear[] {
  const years: { year: number; month: number; firstItem: number; count: number }[] = [];
  months.forEach((month, index) => {
    if (month.year === null) return;
    const last = years.at(-1);
    if (last && last.year === month.year) last.count += month.count;
    else years.push({ year: month.year, month: index, firstItem: month.firstItem, count: month.count });
  });
  return years;
}

/** The item at a position on the bar (0 = top, the newest; 1 = bottom). */
export function itemAtFraction(total: number, fraction: number): number {
  if (total <= 0) return 0;
  return Math.min(total - 1, Math.max(0, Math.floor(fraction * total)));
}

/** The position on the bar of an item. */
export function fractionOfItem(total: number, index: number): number {
  return total <= 0 ? 0 : Math.min(1, Math.max(0, index / total));
}

/** The month holding an item (index into `months`). */
export function monthOfItem(months: readonly TimelineMonth[], index: number): number {
  let lo = 0;
  let hi = months.length - 1;
  let answer = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((months[mid]?.firstItem ?? 0) <= index) {
      answer = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return answer;
}

/**
 * The years to label on a bar `height` px tall, newest first: each at its position, skipping any that would
 * come closer than `spacing` px to the one labelled before it (a year of a few photos in a big library).
 */
export function yearMarks(years: readonly TimelineYear[], total: number, height: number, spacing: number): { year: TimelineYear; y: number }[] {
  const marks: { year: TimelineYear; y: number }[] = [];
  for (const year of years) {
    const y = fractionOfItem(total, year.firstItem) * height;
    const previous = marks.at(-1);
    if (!previous || y - previous.y >= spacing) marks.push({ year, y });
  }
  return marks;
}
