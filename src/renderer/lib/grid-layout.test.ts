import { describe, expect, it } from 'vitest';
import { cellLeft, itemAt, layoutGrid, moveFocus, scrollTopOf, sectionAt, visibleRows, type CellRow, type GridLayout } from './grid-layout.ts';

/** 6 columns of 163 px (a step of 167 px); a row of n cells is n × 167 − 4 px wide. */
const options = { width: 1000, minCell: 160, gap: 4, headerHeight: 56, labelHeight: 28, groupGap: 16 };

function shape(layout: GridLayout): string[] {
  return layout.rows.map((row) =>
    row.kind === 'header'
      ? `H${row.section}`
      : row.segments.map((segment) => `${segment.labelled ? 'L' : ''}${segment.group}:${segment.count}`).join(' '),
  );
}

function cellRow(layout: GridLayout, index: number): CellRow {
  const row = layout.rows[layout.rowOfItem(index)];
  if (row?.kind !== 'cells') throw new Error(`item ${index} has no cell row`);
  return row;
}

describe('layoutGrid', () => {
  it('fills the width with as many cells as fit', () => {
    const layout = layoutGrid([{ label: null, count: 13 }], options);
    expect(layout.columns).toBe(6);
    expect(layout.cellSize).toBe(163);
    expect(shape(layout)).toEqual(['0:6', '0:6', '0:1']);
    expect(layout.totalItems).toBe(13);
    const last = layout.rows.at(-1)!;
    expect(layout.totalHeight).toBe(last.top + last.height);
  });

  it('opens each month with a header and lets small days share a row, each with its label', () => {
    const layout = layoutGrid(
      [
        { label: 'Fri, May 3', count: 2, section: 'May 2024' },
        { label: 'Thu, May 2', count: 1, section: 'May 2024' },
        { label: 'Wed, May 1', count: 7, section: 'May 2024' },
        { label: 'Tue, Apr 30', count: 1, section: 'April 2024' },
      ],
      options,
    );
    expect(shape(layout)).toEqual(['H0', 'L0:2 L1:1', 'L2:6', '2:1', 'H1', 'L3:1']);
    expect(layout.sections.map(({ label, firstItem, count }) => ({ label, firstItem, count }))).toEqual([
      { label: 'May 2024', firstItem: 0, count: 10 },
      { label: 'April 2024', firstItem: 10, count: 1 },
    ]);
    const shared = cellRow(layout, 0);
    expect(shared.cellTop).toBe(28);
    expect(shared.height).toBe(28 + 167);
    expect(cellLeft(layout, shared, 1)).toBe(167);
    expect(cellLeft(layout, shared, 2)).toBe(2 * 167 - 4 + 16);
    const continued = cellRow(layout, 9);
    expect(continued.cellTop).toBe(0);
    expect(continued.first).toBe(9);
    expect(layout.rows[4]).toMatchObject({ kind: 'header', top: continued.top + continued.height, height: 56 });
  });

  it('puts a day beside the previous one only when it fits whole, and never after a multi-row day', () => {
    const day = (count: number) => ({ label: `${count}`, count, section: 'M' });
    expect(shape(layoutGrid([day(3), day(3)], options))).toEqual(['H0', 'L0:3', 'L1:3']);
    expect(shape(layoutGrid([day(3), day(2), day(1)], options))).toEqual(['H0', 'L0:3 L1:2', 'L2:1']);
    expect(shape(layoutGrid([day(1), day(1), day(1), day(1), day(1)], options))).toEqual(['H0', 'L0:1 L1:1 L2:1 L3:1 L4:1']);
    expect(shape(layoutGrid([day(8), day(1)], options))).toEqual(['H0', 'L0:6', '0:2', 'L1:1']);
  });

  it('lays out undated photos as a plain run under their own header and skips empty groups', () => {
    const layout = layoutGrid(
      [
        { label: 'Mon, Jan 1', count: 1, section: 'January 2024' },
        { label: 'x', count: 0, section: 'January 2024' },
        { label: null, count: 7, section: 'No date' },
      ],
      options,
    );
    expect(shape(layout)).toEqual(['H0', 'L0:1', 'H1', '2:6', '2:1']);
  });

  it('maps every item to the row holding it', () => {
    const groups = [3, 8, 1, 1, 0, 5, 12, 2].map((count, i) => ({ label: `d${i}`, count, section: i < 4 ? 'a' : 'b' }));
    const layout = layoutGrid(groups, options);
    expect(layout.totalItems).toBe(32);
    for (let index = 0; index < layout.totalItems; index++) {
      const row = cellRow(layout, index);
      expect(index - row.first).toBeGreaterThanOrEqual(0);
      expect(index - row.first).toBeLessThan(row.count);
    }
  });

  it('lays out 100,000 photos in 3,000 days and renders only a screenful of rows', () => {
    const groups = Array.from({ length: 3000 }, (_, i) => ({ label: `day ${i}`, count: [1, 2, 90, 7][i % 4]!, section: `month ${Math.floor(i / 30)}` }));
    const started = performance.now();
    const layout = layoutGrid(groups, options);
    expect(performance.now() - started).toBeLessThan(500);
    expect(layout.totalItems).toBe(75_000);
    const [start, end] = visibleRows(layout, layout.totalHeight / 2, 900, 200);
    expect(end - start).toBeLessThan(14);
    expect(layout.rows[start]!.top).toBeLessThanOrEqual(layout.totalHeight / 2 - 200);
  });
});

describe('positions in the grid', () => {
  const groups = [
    { label: 'a', count: 12, section: 'June' },
    { label: 'b', count: 2, section: 'June' },
    { label: 'c', count: 12, section: 'May' },
  ];
  const layout = layoutGrid(groups, options);

  it('returns the rows that intersect the viewport and the section at its top', () => {
    expect(visibleRows(layout, 0, 100, 0)).toEqual([0, 2]);
    const may = layout.sections[1]!;
    expect(sectionAt(layout, may.top + 1)).toBe(1);
    expect(sectionAt(layout, may.top - 1)).toBe(0);
    expect(sectionAt(layoutGrid([{ label: null, count: 5 }], options), 50)).toBeNull();
  });

  it('scrolls to the header of a month when jumping to its first photo, else to the photo’s row', () => {
    expect(scrollTopOf(layout, 14)).toBe(layout.sections[1]!.top);
    expect(scrollTopOf(layout, 20)).toBe(cellRow(layout, 20).top);
    expect(scrollTopOf(layout, 7)).toBe(cellRow(layout, 7).top);
  });

  it('finds the item at the top of the viewport, the inverse of scrolling to it', () => {
    for (const index of [0, 6, 12, 14, 20]) expect(itemAt(layout, scrollTopOf(layout, index))).toBe(index);
    expect(itemAt(layout, layout.totalHeight)).toBe(layout.totalItems - 1);
  });
});

describe('moveFocus', () => {
  const layout = layoutGrid([{ label: 'a', count: 8, section: 'S' }, { label: 'b', count: 3, section: 'S' }], options);

  it('moves by one with left and right and stops at the ends', () => {
    expect(moveFocus(layout, 0, 'left')).toBe(0);
    expect(moveFocus(layout, 5, 'right')).toBe(6);
    expect(moveFocus(layout, 10, 'right')).toBe(10);
  });

  it('keeps the column across rows and clamps to a shorter row, crossing day labels', () => {
    expect(moveFocus(layout, 1, 'down')).toBe(7);
    expect(moveFocus(layout, 5, 'down')).toBe(7);
    expect(moveFocus(layout, 7, 'down')).toBe(9);
    expect(moveFocus(layout, 9, 'up')).toBe(7);
    expect(moveFocus(layout, 2, 'up')).toBe(2);
    expect(moveFocus(layout, 0, 'end')).toBe(10);
  });

  it('keeps the x position when days share a row', () => {
    const compact = layoutGrid(
      [{ label: 'a', count: 2, section: 'S' }, { label: 'b', count: 2, section: 'S' }, { label: 'c', count: 6, section: 'S' }],
      options,
    );
    // Item 3 (b's second photo) sits at 2 × 167 − 4 + 16 + 167 = 513 px: above c's fourth cell (501 px).
    expect(moveFocus(compact, 3, 'down')).toBe(7);
    expect(moveFocus(compact, 7, 'up')).toBe(3);
    expect(moveFocus(compact, 4, 'up')).toBe(0);
  });

  it('returns -1 on an empty grid', () => {
    expect(moveFocus(layoutGrid([], options), 0, 'down')).toBe(-1);
  });
});
