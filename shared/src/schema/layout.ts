/**
 * Geometry of the wall, shared so that the server (tidy, PNG export) and the client agree on
 * where a column is. Domain columns sit side by side in `order`; a note's x/y are relative to its
 * column, which is why reordering columns never scatters notes.
 */
export const LAYOUT = {
  columnWidth: 280,
  columnGap: 24,
  headerHeight: 84,
  columnPadding: 20,
  noteWidth: 240,
  noteMinHeight: 96,
  noteMaxHeight: 300,
  noteGap: 16,
  minColumnHeight: 900,
} as const;

/** Left edge of the column at `index` in display order. */
export function columnX(index: number): number {
  return index * (LAYOUT.columnWidth + LAYOUT.columnGap);
}

/** Index of the column under wall coordinate `x`, or -1 when between/outside columns. */
export function columnAt(x: number, columnCount: number): number {
  if (x < 0) return -1;
  const stride = LAYOUT.columnWidth + LAYOUT.columnGap;
  const i = Math.floor(x / stride);
  if (i >= columnCount) return -1;
  return x - i * stride <= LAYOUT.columnWidth ? i : -1;
}

/** Where the n-th note of a column goes when placed without dragging (quick add, tidy). */
export function slotPosition(n: number, noteHeight: number = LAYOUT.noteMinHeight + 24): { x: number; y: number } {
  return {
    x: LAYOUT.columnPadding,
    y: LAYOUT.headerHeight + LAYOUT.columnPadding + n * (noteHeight + LAYOUT.noteGap),
  };
}

export const NOTE_COLORS = ['#fff59d', '#ffcc80', '#a5d6a7', '#90caf9', '#f48fb1', '#ce93d8', '#80deea'] as const;
