import { describe, expect, it } from 'vitest';
import { itemAt, layoutGrid, scrollTopOf } from './grid-layout.ts';
import { fractionOfItem, itemAtFraction, monthLabel, monthOfItem, timelineMonths, timelineYears, yearMarks } from './timeline.ts';

const days = [
  { day: '2024-03-09', count: 4 },
  { day: '2024-03-02', count: 1 },
  { day: '2024-01-20', count: 5 },
  { day: '2023-12-31', count: 2 },
  { day: '2021-06-01', count: 8 },
  { day: null, count: 3 },
];

describe('timeline months and years', () => {
  it('groups days into months and years in timeline order, undated last', () => {
    const months = timelineMonths(days);
    expect(months.map(({ key, firstItem, count }) => [key, firstItem, count])).toEqual([
      ['2024-03', 0, 5],
      ['2024-01', 5, 5],
      ['2023-12', 10, 2],
      ['2021-06', 12, 8],
      [null, 20, 3],
    ]);
    expect(timelineYears(months).map(({ year, month, firstItem, count }) => [year, month, firstItem, count])).toEqual([
      [2024, 0, 0, 10],
      [2023, 2, 10, 2],
      [2021, 3, 12, 8],
    ]);
    expect(monthLabel(null)).toBe('No date');
    expect(monthLabel('2024-03')).toMatch(/2024/);
  });

  it('maps a position on the bar to an item in proportion to the photos, and back', () => {
    expect(itemAtFraction(23, 0)).toBe(0);
    expect(itemAtFraction(23, 1)).toBe(22);
    expect(itemAtFraction(23, -0.2)).toBe(0);
    expect(itemAtFraction(100_000, 0.5)).toBe(50_000);
    expect(fractionOfItem(100_000, 25_000)).toBe(0.25);
    const months = timelineMonths(days);
    expect(monthOfItem(months, 0)).toBe(0);
    expect(monthOfItem(months, 11)).toBe(2);
    expect(monthOfItem(months, 12)).toBe(3);
    expect(monthOfItem(months, 22)).toBe(4);
  });

  it('labels the years that fit on the bar, dropping one too close to the last labelled', () => {
    const years = [
      { year: 2024, month: 0, firstItem: 0, count: 990 },
      { year: 2023, month: 5, firstItem: 990, count: 5 },
      { year: 2022, month: 6, firstItem: 995, count: 5 },
    ];
    expect(yearMarks(years, 1000, 600, 20).map((mark) => [mark.year.year, mark.y])).toEqual([
      [2024, 0],
      [2023, 594],
    ]);
  });
});

describe('scrubbing the grid', () => {
  it('jumps from a bar position to the row of that photo, at 100,000 photos without loading any', () => {
    const many = Array.from({ length: 2000 }, (_, i) => {
      const date = new Date(Date.UTC(2024, 0, 1) - i * 86_400_000).toISOString().slice(0, 10);
      return { day: date, count: 50 };
    });
    const months = timelineMonths(many);
    const groups = many.map((day) => ({ label: day.day, count: day.count, section: day.day.slice(0, 7) }));
    const layout = layoutGrid(groups, { width: 1200, minCell: 168, gap: 4, headerHeight: 56, labelHeight: 28, groupGap: 16 });
    const item = itemAtFraction(layout.totalItems, 0.5);
    expect(item).toBe(50_000);
    const top = scrollTopOf(layout, item);
    const row = layout.rows[layout.rowOfItem(item)]!;
    expect(row.kind === 'cells' && item >= row.first && item < row.first + row.count).toBe(true);
    expect(top).toBe(row.top);
    expect(itemAt(layout, top)).toBe(row.kind === 'cells' ? row.first : -1);
    const month = months[monthOfItem(months, item)]!;
    expect(month.key).toBe(many[1000]!.day.slice(0, 7));
    const first = months[5]!;
    const sectionTop = scrollTopOf(layout, first.firstItem);
    expect(layout.sections[5]!.top).toBe(sectionTop);
  });
});
