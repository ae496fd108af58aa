/**
 * Row layout of a date-grouped thumbnail grid. Every row height is known from the container width,
 * so the layout is plain arithmetic: the grid renders only the rows that intersect the viewport.
 */

export interface GridGroup {
  /** Header text; null for an ungrouped list (search results), which then has no header row. */
  readonly label: string | null;
  readonly count: number;
}

export interface HeaderRow {
  readonly kind: 'header';
  readonly group: number;
  readonly top: number;
  readonly height: number;
}

export interface CellRow {
  readonly kind: 'cells';
  readonly group: number;
  /** Index (across all groups) of the row's first item. */
  readonly first: number;
  readonly count: number;
  readonly top: number;
  readonly height: number;
}

export type GridRow = HeaderRow | CellRow;

export interface GridLayout {
  readonly columns: number;
  readonly cellSize: number;
  readonly gap: number;
  readonly rows: readonly GridRow[];
  readonly totalHeight: number;
  readonly totalItems: number;
  /** For each item index, the row that holds it (binary search over rows would also do; this is O(1)). */
  rowOfItem(index: number): number;
}

export interface LayoutOptions {
  readonly width: number;
  /** Cells are at least this wide; the leftover width is shared so rows fill the container. */
  readonly minCell: number;
  readonly gap: number;
  readonly headerHeight: number;
}

export function layoutGrid(groups: readonly GridGroup[], options: LayoutOptions): GridLayout {
  const { gap, headerHeight } = options;
  const width = Math.max(options.width, options.minCell);
  const columns = Math.max(1, Math.floor((width + gap) / (options.minCell + gap)));
  const cellSize = Math.floor((width - gap * (columns - 1)) / columns);
  const rows: GridRow[] = [];
  const firstRowOfGroup: number[] = [];
  let top = 0;
  let first = 0;
  groups.forEach((group, g) => {
    if (group.count <= 0) {
      firstRowOfGroup.push(rows.length);
      return;
    }
    if (group.label !== null) {
      rows.push({ kind: 'header', group: g, top, height: headerHeight });
      top += headerHeight;
    }
    firstRowOfGroup.push(rows.length);
    for (let offset = 0; offset < group.count; offset += columns) {
      const count = Math.min(columns, group.count - offset);
      rows.push({ kind: 'cells', group: g, first: first + offset, count, top, height: cellSize + gap });
      top += cellSize + gap;
    }
    first += group.count;
  });
  const groupStarts: number[] = [];
  let start = 0;
  for (const group of groups) {
    groupStarts.push(start);
    start += Math.max(0, group.count);
  }
  return {
    columns,
    cellSize,
    gap,
    rows,
    totalHeight: top,
    totalItems: first,
    rowOfItem(index) {
      const g = upperBound(groupStarts, index) - 1;
      const groupStart = groupStarts[g] ?? 0;
      return (firstRowOfGroup[g] ?? 0) + Math.floor((index - groupStart) / columns);
    },
  };
}

/** Rows intersecting [scrollTop - overscan, scrollTop + height + overscan], as a half-open index range. */
export function visibleRows(layout: GridLayout, scrollTop: number, height: number, overscan: number): [number, number] {
  const from = Math.max(0, scrollTop - overscan);
  const to = scrollTop + height + overscan;
  const start = Math.max(0, lastRowStartingAtOrBefore(layout.rows, from));
  let end = start;
  while (end < layout.rows.length && (layout.rows[end]?.top ?? Infinity) < to) end++;
  return [start, end];
}

/** The header of the group shown at the top of the viewport, for the pinned date label. */
export function groupAt(layout: GridLayout, scrollTop: number): number | null {
  const row = layout.rows[lastRowStartingAtOrBefore(layout.rows, scrollTop)];
  return row ? row.group : null;
}

export type GridMove = 'left' | 'right' | 'up' | 'down' | 'home' | 'end' | 'pageUp' | 'pageDown';

/** The item that a keyboard move from `index` lands on: up/down keep the column, clamped to short rows. */
export function moveFocus(layout: GridLayout, index: number, move: GridMove, pageRows = 1): number {
  const last = layout.totalItems - 1;
  if (last < 0) return -1;
  const current = Math.min(Math.max(index, 0), last);
  switch (move) {
    case 'left':
      return Math.max(0, current - 1);
    case 'right':
      return Math.min(last, current + 1);
    case 'home':
      return 0;
    case 'end':
      return last;
    default: {
      const step = move === 'up' || move === 'down' ? 1 : Math.max(1, pageRows);
      const direction = move === 'up' || move === 'pageUp' ? -1 : 1;
      const rowIndex = layout.rowOfItem(current);
      const row = layout.rows[rowIndex];
      if (!row || row.kind !== 'cells') return current;
      const column = current - row.first;
      let target = rowIndex;
      let remaining = step;
      for (let r = rowIndex + direction; r >= 0 && r < layout.rows.length && remaining > 0; r += direction) {
        if (layout.rows[r]?.kind === 'cells') {
          target = r;
          remaining--;
        }
      }
      const targetRow = layout.rows[target];
      if (!targetRow || targetRow.kind !== 'cells') return current;
      return targetRow.first + Math.min(column, targetRow.count - 1);
    }
  }
}

function lastRowStartingAtOrBefore(rows: readonly GridRow[], y: number): number {
  let lo = 0;
  let hi = rows.length - 1;
  let answer = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((rows[mid]?.top ?? 0) <= y) {
      answer = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return answer;
}

function upperBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] ?? 0) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
