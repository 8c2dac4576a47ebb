/**
 * Sizes and positions on the wall, in wall coordinates (before zoom). Note heights depend on
 * their text, measured once per distinct text with an off-screen Konva.Text and cached.
 */
import Konva from 'konva';
import { LAYOUT, columnX, type Domain, type Note } from '@maillage/shared';

export const NOTE_PADDING = 12;
export const NOTE_FONT_SIZE = 15;
export const AUTHOR_FONT_SIZE = 12;
const AUTHOR_LINE = 22;
export const FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

let measurer: Konva.Text | null = null;
const heights = new Map<string, number>();

/** Height of a note showing `text`: grows with the text, between the layout's min and max. */
export function noteHeight(text: string): number {
  const cached = heights.get(text);
  if (cached !== undefined) return cached;
  measurer ??= new Konva.Text({
    width: LAYOUT.noteWidth - 2 * NOTE_PADDING,
    fontSize: NOTE_FONT_SIZE,
    fontFamily: FONT_FAMILY,
    lineHeight: 1.25,
    wrap: 'word',
  });
  measurer.text(text || ' ');
  const h = Math.min(LAYOUT.noteMaxHeight, Math.max(LAYOUT.noteMinHeight, Math.ceil(measurer.height()) + 2 * NOTE_PADDING + AUTHOR_LINE));
  if (heights.size > 20_000) heights.clear();
  heights.set(text, h);
  return h;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ColumnGeometry {
  domain: Domain;
  index: number;
  rect: Rect;
  /** Bottom of the lowest note (or of the header when empty), for zoom-to-fit. */
  contentBottom: number;
}

/** Column rectangles: as tall as their lowest note (plus padding), never shorter than the minimum. */
export function columnGeometry(domains: Domain[], notes: Note[]): ColumnGeometry[] {
  const bottoms = new Map<string, number>();
  for (const n of notes) {
    const b = n.y + noteHeight(n.text);
    if (b > (bottoms.get(n.domainId) ?? 0)) bottoms.set(n.domainId, b);
  }
  return domains.map((domain, index) => ({
    domain,
    index,
    contentBottom: (bottoms.get(domain.id) ?? LAYOUT.headerHeight) + LAYOUT.columnPadding,
    rect: {
      x: columnX(index),
      y: 0,
      width: LAYOUT.columnWidth,
      height: Math.max(LAYOUT.minColumnHeight, (bottoms.get(domain.id) ?? 0) + LAYOUT.columnPadding * 2),
    },
  }));
}

/** Where a new note goes in a column: below the lowest note already there. */
export function nextSlot(domainId: string, notes: Note[]): { x: number; y: number } {
  let bottom = LAYOUT.headerHeight + LAYOUT.columnPadding - LAYOUT.noteGap;
  for (const n of notes) {
    if (n.domainId !== domainId) continue;
    bottom = Math.max(bottom, n.y + noteHeight(n.text));
  }
  return { x: LAYOUT.columnPadding, y: bottom + LAYOUT.noteGap };
}

export function wallBounds(columns: ColumnGeometry[]): Rect {
  if (!columns.length) return { x: 0, y: 0, width: LAYOUT.columnWidth, height: LAYOUT.minColumnHeight };
  const last = columns[columns.length - 1] as ColumnGeometry;
  return {
    x: 0,
    y: 0,
    width: last.rect.x + last.rect.width,
    // Fit what is written, not the empty space below it: a fresh wall opens readable.
    height: Math.max(LAYOUT.headerHeight + 360, ...columns.map((c) => c.contentBottom)),
  };
}

export const intersects = (a: Rect, b: Rect): boolean =>
  a.x < b.x + b.width && a.x + a.width > b.x && a.y < b.y + b.height && a.y + a.height > b.y;
