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

const LINE_HEIGHT = 1.25;
const TEXT_WIDTH = LAYOUT.noteWidth - 2 * NOTE_PADDING;

/** Height of a note showing `text`: grows with the text, between the layout's min and max. */
export function noteHeight(text: string): number {
  const cached = heights.get(text);
  if (cached !== undefined) return cached;
  measurer ??= new Konva.Text({
    width: TEXT_WIDTH,
    fontSize: NOTE_FONT_SIZE,
    fontFamily: FONT_FAMILY,
    lineHeight: LINE_HEIGHT,
    wrap: 'word',
  });
  const lines = fastLineCount(text || ' ');
  let textHeight: number;
  if (lines >= 0) textHeight = NOTE_FONT_SIZE * lines * LINE_HEIGHT;
  else {
    measurer.text(text || ' ');
    textHeight = measurer.height();
  }
  const h = Math.min(LAYOUT.noteMaxHeight, Math.max(LAYOUT.noteMinHeight, Math.ceil(textHeight) + 2 * NOTE_PADDING + AUTHOR_LINE));
  if (heights.size > 20_000) heights.clear();
  heights.set(text, h);
  return h;
}

/*
 * Line count of Konva.Text's word wrap, computed with a fraction of its measurements. Opening a
 * 5,000-note wall measures every note (column heights need them): through Konva.Text that was
 * ~1.5 s of the page's first render, nearly all of it in measureText (~7 measurements per line).
 *
 * Konva takes, line by line, the longest prefix L that fits and breaks it at the last space or
 * dash: the line ends at the largest "break position" b ≤ L — just before a space or dash, or
 * just after one — or at L itself inside a word too long for a line. Widths only grow as
 * characters are added, so b ≤ L exactly when the prefix up to b fits. Cached widths of words
 * guess b; real measurements of the same strings Konva measures confirm it (b fits, the next
 * break position does not) unless the guess is clear by ESTIMATE_MARGIN px. Word widths add up
 * to a line's width except for kerning across a space or dash, a fraction of a pixel, so the
 * margin is ample; bench/render/heights-parity.ts checks the result against Konva.Text itself.
 */
const ESTIMATE_MARGIN = 8;
let ctx: CanvasRenderingContext2D | null | undefined;
const pieceWidths = new Map<string, number>();
const graphemer = typeof Intl !== 'undefined' && 'Segmenter' in Intl ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : null;
/** Characters that are one grapheme each (no combining marks, surrogates or joiners): slicing the string is enough. */
const SIMPLE = /^[\t\x20-\u02ff]*$/;

function measureContext(): CanvasRenderingContext2D | null {
  if (ctx !== undefined) return ctx;
  const font = (measurer as unknown as { _getContextFont?: () => string } | null)?._getContextFont?.();
  const c = typeof document !== 'undefined' && font && graphemer ? document.createElement('canvas').getContext('2d') : null;
  if (c && font) {
    c.font = font;
    c.fontKerning = 'auto';
  }
  ctx = c;
  return ctx;
}

/** Lines Konva.Text would lay `text` out in (measurer settings), or -1 when it cannot tell. */
function fastLineCount(text: string): number {
  const c = measureContext();
  if (!c) return -1;
  let lines = 0;
  for (const para of text.split('\n')) lines += para ? wrappedLines(c, para) : 1;
  return lines;
}

const isBreak = (ch: string | undefined) => ch === ' ' || ch === '-';

function wrappedLines(c: CanvasRenderingContext2D, para: string): number {
  const simple = SIMPLE.test(para);
  const g = simple ? Array.from(para) : Array.from((graphemer as Intl.Segmenter).segment(para), (s) => s.segment);
  const n = g.length;
  const str = (s: number, e: number) => (simple ? para.slice(s, e) : g.slice(s, e).join(''));
  const fits = (s: number, e: number) => c.measureText(str(s, e)).width <= TEXT_WIDTH;
  // Break positions (ascending, ending with n): before a space or dash, and after a dash
  // (after a space is the same line as before it). Estimated widths from the start of the
  // paragraph: whole pieces between break characters, measured once each and cached.
  const pos: number[] = [];
  const cuts: number[] = [];
  for (let i = 0; i < n; i++) {
    if (isBreak(g[i])) {
      if (pos[pos.length - 1] !== i) pos.push(i);
      if (g[i] === '-') pos.push(i + 1);
      if (cuts[cuts.length - 1] !== i) cuts.push(i);
      cuts.push(i + 1);
    }
  }
  if (pos[pos.length - 1] !== n) pos.push(n);
  if (cuts[cuts.length - 1] !== n) cuts.push(n);
  const est = new Float64Array(n + 1);
  const atCut = new Uint8Array(n + 1);
  let prev = 0;
  for (const b of cuts) {
    atCut[b] = 1;
    if (b === prev) continue;
    const piece = str(prev, b);
    let w = pieceWidths.get(piece);
    if (w === undefined) {
      w = c.measureText(piece).width;
      if (pieceWidths.size > 50_000) pieceWidths.clear();
      pieceWidths.set(piece, w);
    }
    // Inside a piece (only used after a break inside an over-long word), spread linearly.
    for (let i = prev + 1; i <= b; i++) est[i] = (est[prev] as number) + (w * (i - prev)) / (b - prev);
    prev = b;
  }
  let lines = 0;
  let start = 0;
  let k = 0; // index into pos of the first break position after `start`
  while (start < n) {
    while ((pos[k] as number) <= start) k++;
    // Guess the last break position that fits, then confirm it with real measurements.
    const from = est[start] as number;
    const trusted = atCut[start] === 1; // estimates are whole pieces from here
    const check = (b: number) => {
      const e = (est[b] as number) - from;
      if (trusted && e <= TEXT_WIDTH - ESTIMATE_MARGIN) return true;
      if (trusted && e > TEXT_WIDTH + ESTIMATE_MARGIN) return false;
      return fits(start, b);
    };
    let j = k;
    while (j + 1 < pos.length && (est[pos[j + 1] as number] as number) - from <= TEXT_WIDTH) j++;
    let found = -1;
    if (check(pos[j] as number)) {
      while (j + 1 < pos.length && check(pos[j + 1] as number)) j++;
      found = pos[j] as number;
    } else {
      while (j > k && !check(pos[j - 1] as number)) j--;
      if (j > k) found = pos[j - 1] as number;
    }
    let end: number;
    if (found === n) return lines + 1; // the rest of the paragraph fits
    if (found > start) end = found;
    else {
      // No space or dash fits: Konva breaks inside the word, at the longest prefix that fits.
      let low = start;
      while (low < n && fits(start, low + 1)) low++;
      if (low === start) break; // not even one character fits: Konva stops this paragraph
      if (low === n) return lines + 1;
      end = low;
    }
    lines++;
    start = end;
    while (start < n && !(g[start] as string).trim()) start++;
  }
  return lines;
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

/** Where a note is drawn in its column (relative to the column's top-left) and how tall it is. */
export interface Placed {
  x: number;
  y: number;
  height: number;
}

/**
 * The column flow (docs/spec.md R128): notes of a column are drawn single file, in the order of
 * their stored `y` (then creation time, then id, so every device agrees), each at its stored `y`
 * or just below the note above it, whichever is lower. Two notes therefore never cover each
 * other, whatever their stored positions say: two people adding at the same moment, a stock
 * client's default position, a drop onto another note. Stored positions stay what the writers
 * wrote (nothing is rewritten behind their back); they act as the reading order.
 */
export function flowLayout(notes: readonly Note[], domainId?: string): Map<string, Placed> {
  const byDomain = new Map<string, Note[]>();
  for (const n of notes) {
    if (domainId !== undefined && n.domainId !== domainId) continue;
    const list = byDomain.get(n.domainId);
    if (list) list.push(n);
    else byDomain.set(n.domainId, [n]);
  }
  const out = new Map<string, Placed>();
  for (const list of byDomain.values()) {
    list.sort((a, b) => a.y - b.y || a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    let cursor = LAYOUT.headerHeight + LAYOUT.columnPadding;
    for (const n of list) {
      const height = noteHeight(n.text);
      const y = Math.max(Number.isFinite(n.y) ? n.y : cursor, cursor);
      out.set(n.id, { x: LAYOUT.columnPadding, y, height });
      cursor = y + height + LAYOUT.noteGap;
    }
  }
  return out;
}

/** Column rectangles: as tall as their lowest note (plus padding), never shorter than the minimum. */
export function columnGeometry(domains: Domain[], notes: Note[], placed: ReadonlyMap<string, Placed> = flowLayout(notes)): ColumnGeometry[] {
  const bottoms = new Map<string, number>();
  for (const n of notes) {
    const p = placed.get(n.id);
    const b = p ? p.y + p.height : n.y + noteHeight(n.text);
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

/**
 * Where a new note goes in a column: below the lowest note as drawn (the column flow), so it is
 * last in reading order and lands on free space (R128).
 */
export function nextSlot(domainId: string, notes: Note[]): { x: number; y: number } {
  let bottom = LAYOUT.headerHeight + LAYOUT.columnPadding - LAYOUT.noteGap;
  for (const p of flowLayout(notes, domainId).values()) bottom = Math.max(bottom, p.y + p.height);
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
