/**
 * Row layout of a date-grouped thumbnail grid. Every row height is known from the container width,
 * so the layout is plain arithmetic: the grid renders only the rows that intersect the viewport.
 *
 * Groups (days) may belong to sections (months): a section starts with a header row. A labelled group
 * is laid out compactly, as Immich and Google Photos do: a day that fits in what is left of the row
 * joins it, with its own label above its cells; a longer day starts a row and takes as many as it needs.
 */

export interface GridGroup {
  /** The group's own label (a day), shown above its cells; null for an ungrouped list (search results). */
  readonly label: string | null;
  readonly count: number;
  /** The section (a month) the group belongs to; a header row opens each run of groups with the same one. */
  readonly section?: string;
}

export interface HeaderRow {
  readonly kind: 'header';
  readonly section: number;
  /** The section's first group. */
  readonly group: number;
  readonly top: number;
  readonly height: number;
}

/** A labelled run of one group's cells within a row. */
export interface RowSegment {
  readonly group: number;
  /** Index (across all groups) of the segment's first item. */
  readonly first: number;
  readonly count: number;
  /** X of the segment's first cell. */
  readonly left: number;
  /** True where the group starts: its label sits above this segment. */
  readonly labelled: boolean;
}

export interface CellRow {
  readonly kind: 'cells';
  readonly group: number;
  /** Index (across all groups) of the row's first item; a row's items are consecutive. */
  readonly first: number;
  readonly count: number;
  readonly top: number;
  readonly height: number;
  /** Y of the cells within the row: the height of the band of group labels above them (0 without). */
  readonly cellTop: number;
  readonly segments: readonly RowSegment[];
}

export type GridRow = HeaderRow | CellRow;

export interface GridSection {
  readonly label: string;
  /** Index of its header row. */
  readonly row: number;
  readonly top: number;
  readonly firstItem: number;
  readonly count: number;
}

export interface GridLayout {
  readonly columns: number;
  readonly cellSize: number;
  readonly gap: number;
  readonly rows: readonly GridRow[];
  readonly sections: readonly GridSection[];
  readonly totalHeight: number;
  readonly totalItems: number;
  /** The index of the row that holds an item. */
  rowOfItem(index: number): number;
}

export interface LayoutOptions {
  readonly width: number;
  /** Cells are at least this wide; the leftover width is shared so rows fill the container. */
  readonly minCell: number;
  readonly gap: number;
  readonly headerHeight: number;
  /** Height of the band holding group labels above a row's cells. */
  readonly labelHeight: number;
  /** Horizontal space between two groups sharing a row. */
  readonly groupGap: number;
}

interface OpenRow {
  row: { -readonly [K in keyof CellRow]: CellRow[K] };
  segments: RowSegment[];
  right: number;
}

export function layoutGrid(groups: readonly GridGroup[], options: LayoutOptions): GridLayout {
  const { gap, headerHeight, labelHeight, groupGap } = options;
  const width = Math.max(options.width, options.minCell);
  const columns = Math.max(1, Math.floor((width + gap) / (options.minCell + gap)));
  const cellSize = Math.floor((width - gap * (columns - 1)) / columns);
  const step = cellSize + gap;
  const rows: GridRow[] = [];
  const sections: { label: string; row: number; top: number; firstItem: number; count: number }[] = [];
  const cellRows: number[] = [];
  const cellRowFirsts: number[] = [];
  let top = 0;
  let first = 0;
  let open: OpenRow | null = null;
  let sectionLabel: string | undefined;

  const startRow = (group: number, labelled: boolean): OpenRow => {
    const cellTop = labelled ? labelHeight : 0;
    const segments: RowSegment[] = [];
    const row = { kind: 'cells' as const, group, first, count: 0, top, height: cellTop + step, cellTop, segments };
    cellRows.push(rows.length);
    cellRowFirsts.push(first);
    rows.push(row);
    top += row.height;
    return { row, segments, right: 0 };
  };
  const place = (target: OpenRow, group: number, count: number, labelled: boolean, left: number): void => {
    target.segments.push({ group, first, count, left, labelled });
    target.row.count += count;
    target.right = left + count * step - gap;
    first += count;
  };

  groups.forEach((group, g) => {
    if (group.section !== undefined && group.section !== sectionLabel) {
      sectionLabel = group.section;
      open = null;
      sections.push({ label: group.section, row: rows.length, top, firstItem: first, count: 0 });
      rows.push({ kind: 'header', section: sections.length - 1, group: g, top, height: headerHeight });
      top += headerHeight;
    }
    if (group.count <= 0) return;
    const section = sections.at(-1);
    if (section && group.section !== undefined) section.count += group.count;
    const labelled = group.label !== null;
    const fitsBeside = (row: OpenRow): boolean => row.right + groupGap + group.count * step - gap <= width;
    if (labelled && group.count <= columns && open !== null && fitsBeside(open)) {
      place(open, g, group.count, true, open.right + groupGap);
      return;
    }
    let remaining = group.count;
    let current: OpenRow | null = null;
    while (remaining > 0) {
      current = startRow(g, labelled && remaining === group.count);
      const count = Math.min(columns, remaining);
      place(current, g, count, labelled && remaining === group.count, 0);
      remaining -= count;
    }
    // Only a group that fits in one row leaves room for the next one beside it: a longer group's
    // last row has no label band for a newcomer's label.
    open = labelled && group.count <= columns ? current : null;
  });

  return {
    columns,
    cellSize,
    gap,
    rows,
    sections,
    totalHeight: top,
    totalItems: first,
    rowOfItem(index) {
      return cellRows[Math.max(0, upperBound(cellRowFirsts, index) - 1)] ?? 0;
    },
  };
}

/** X of an item's cell within its row. */
export function cellLeft(layout: GridLayout, row: CellRow, index: number): number {
  let segment = row.segments[0];
  for (const candidate of row.segments) {
    if (candidate.first > index) break;
    segment = candidate;
  }
  return segment ? segment.left + (index - segment.first) * (layout.cellSize + layout.gap) : 0;
}

/** Rows intersecting [scrollTop - overscan, scrollTop + height + overscan], as a half-open index range. */
export function visibleRows(layout: GridLayout, scrollTop: number, height: number, overscan: number): [number, number] {
  const from = Math.max(0, scrollTop - overscan);
  const to = scrollTop + height + overscan;
  const start = Math.max(0, lastStartingAtOrBefore(layout.rows, from));
  let end = start;
  while (end < layout.rows.length && (layout.rows[end]?.top ?? Infinity) < to) end++;
  return [start, end];
}

/** The section shown at the top of the viewport, for the pinned header; null without sections. */
export function sectionAt(layout: GridLayout, scrollTop: number): number | null {
  return layout.sections.length === 0 ? null : lastStartingAtOrBefore(layout.sections, scrollTop);
}

/** The first item whose row starts at or below `scrollTop` (the item at the top of the viewport). */
export function itemAt(layout: GridLayout, scrollTop: number): number {
  const rows = layout.rows;
  for (let r = lastStartingAtOrBefore(rows, scrollTop); r < rows.length; r++) {
    const row = rows[r];
    if (row?.kind === 'cells' && row.top + row.cellTop + layout.cellSize / 2 >= scrollTop) return row.first;
  }
  return Math.max(0, layout.totalItems - 1);
}

/**
 * Where to scroll to show an item at the top: its row, or the header above it when the item opens a
 * section, so a jump to a month shows that month's title.
 */
export function scrollTopOf(layout: GridLayout, index: number): number {
  const rowIndex = layout.rowOfItem(Math.min(Math.max(0, index), layout.totalItems - 1));
  const before = layout.rows[rowIndex - 1];
  const row = layout.rows[rowIndex];
  if (!row) return 0;
  return before?.kind === 'header' ? before.top : row.top;
}

export type GridMove = 'left' | 'right' | 'up' | 'down' | 'home' | 'end' | 'pageUp' | 'pageDown';

/** The item that a keyboard move from `index` lands on: up/down keep the x position, clamped to short rows. */
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
      const x = cellLeft(layout, row, current);
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
      let best = targetRow.first;
      for (let i = targetRow.first; i < targetRow.first + targetRow.count; i++) {
        if (cellLeft(layout, targetRow, i) <= x + layout.cellSize / 2) best = i;
      }
      return best;
    }
  }
}

function lastStartingAtOrBefore(rows: readonly { readonly top: number }[], y: number): number {
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
