import { describe, expect, it } from 'vitest';
import { groupAt, layoutGrid, moveFocus, visibleRows } from './grid-layout.ts';

const options = { width: 1000, minCell: 160, gap: 4, headerHeight: 40 };

describe('layoutGrid', () => {
  it('fills the width with as many cells as fit and splits groups into rows under their headers', () => {
    const layout = layoutGrid([{ label: 'May', count: 7 }, { label: 'April', count: 2 }], options);
    expect(layout.columns).toBe(6);
    expect(layout.cellSize).toBe(163);
    expect(layout.rows.map((row) => (row.kind === 'header' ? 'H' : row.count))).toEqual(['H', 6, 1, 'H', 2]);
    expect(layout.totalItems).toBe(9);
    const last = layout.rows.at(-1)!;
    expect(layout.totalHeight).toBe(last.top + last.height);
  });

  it('has no header rows for an ungrouped list and skips empty groups', () => {
    const layout = layoutGrid([{ label: null, count: 13 }, { label: 'empty', count: 0 }], options);
    expect(layout.rows.every((row) => row.kind === 'cells')).toBe(true);
    expect(layout.rows).toHaveLength(3);
  });

  it('maps every item to the row holding it', () => {
    const layout = layoutGrid([{ label: 'a', count: 8 }, { label: 'b', count: 0 }, { label: 'c', count: 5 }], options);
    for (let index = 0; index < layout.totalItems; index++) {
      const row = layout.rows[layout.rowOfItem(index)]!;
      expect(row.kind).toBe('cells');
      if (row.kind === 'cells') expect(index - row.first).toBeGreaterThanOrEqual(0);
      if (row.kind === 'cells') expect(index - row.first).toBeLessThan(row.count);
    }
  });

  it('lays out 100,000 photos and renders only a screenful of rows', () => {
    const groups = Array.from({ length: 2000 }, (_, i) => ({ label: `day ${i}`, count: 50 }));
    const layout = layoutGrid(groups, options);
    expect(layout.totalItems).toBe(100_000);
    const [start, end] = visibleRows(layout, layout.totalHeight / 2, 900, 200);
    expect(end - start).toBeLessThan(12);
    const middle = layout.rows[start]!;
    expect(middle.top).toBeLessThanOrEqual(layout.totalHeight / 2 - 200);
  });
});

describe('visibleRows and groupAt', () => {
  it('returns the rows that intersect the viewport and the group at its top', () => {
    const layout = layoutGrid([{ label: 'a', count: 12 }, { label: 'b', count: 12 }], options);
    expect(visibleRows(layout, 0, 100, 0)).toEqual([0, 2]);
    const secondHeader = layout.rows.findIndex((row) => row.kind === 'header' && row.group === 1);
    expect(groupAt(layout, layout.rows[secondHeader]!.top + 1)).toBe(1);
    expect(groupAt(layout, layout.rows[secondHeader]!.top - 1)).toBe(0);
  });
});

describe('moveFocus', () => {
  const layout = layoutGrid([{ label: 'a', count: 8 }, { label: 'b', count: 3 }], options);

  it('moves by one with left and right and stops at the ends', () => {
    expect(moveFocus(layout, 0, 'left')).toBe(0);
    expect(moveFocus(layout, 5, 'right')).toBe(6);
    expect(moveFocus(layout, 10, 'right')).toBe(10);
  });

  it('keeps the column across rows and clamps to a shorter row, crossing date headers', () => {
    expect(moveFocus(layout, 1, 'down')).toBe(7);
    expect(moveFocus(layout, 5, 'down')).toBe(7);
    expect(moveFocus(layout, 7, 'down')).toBe(9);
    expect(moveFocus(layout, 9, 'up')).toBe(7);
    expect(moveFocus(layout, 2, 'up')).toBe(2);
    expect(moveFocus(layout, 0, 'end')).toBe(10);
  });

  it('returns -1 on an empty grid', () => {
    expect(moveFocus(layoutGrid([], options), 0, 'down')).toBe(-1);
  });
});
