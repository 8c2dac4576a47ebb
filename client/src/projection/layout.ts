/**
 * The projected wall's layout (docs/spec.md R120–R121): notes as large as a 16:9 screen allows.
 *
 * The canvas keeps one column per domain, one note wide: on a projector that is a tall narrow strip
 * with 3 px text. Here the domains' columns flow like a newspaper instead: a domain's header, then
 * its notes, top to bottom, into as many screen columns as make the text largest, continuing in the
 * next column (with the domain's header repeated) when one is full. All cells of a page have one
 * size and one font size, so the room reads every note at the same distance.
 *
 * Pure and in screen pixels: the view draws exactly these rectangles, and tests can check them.
 */
import type { Note } from '@maillage/shared';

/** A run of notes shown under one header: a domain, a group, or the notes with most votes. */
export interface Section {
  key: string;
  title: string;
  /** Header and cell-band colour. */
  color: string;
  notes: Note[];
}

export interface Box {
  width: number;
  height: number;
}

export interface Cell {
  kind: 'header' | 'note';
  x: number;
  y: number;
  width: number;
  height: number;
  section: Section;
  /** Only for notes. */
  note?: Note;
  /** A header repeated at the top of a column its section continues into. */
  continued?: boolean;
  /** This cell's own font, px, when it has one (the overview, R190); else the page's. */
  font?: number;
  /** Whether the author line is drawn (the overview leaves it to the note opened in full). */
  byline?: boolean;
}

export interface PageLayout {
  /** Font size of note text, px. */
  font: number;
  columns: number;
  cells: Cell[];
  /** How many notes this page shows. */
  noteCount: number;
  /** Cells sized to their own text, with small headers (the overview of a big wall, R190). */
  compact?: boolean;
}

/** Space between cells, px. */
export const GAP = 8;
/** A header cell is this fraction of a note cell's height. */
const HEADER_UNITS = 0.6;
/** Fonts never exceed this (a wall of five notes does not need 90 px letters). */
export const MAX_FONT = 46;
/** What reads from the back of a room at 1920×1080 (the floor). */
export const READABLE_FONT = 18;

/** Average glyph width in em of the wall's font (system-ui, bold on the projector). */
const GLYPH_EM = 0.52;

/**
 * The font a cell of `w`×`h` px gives a note of `chars` characters: the best over 2–5 lines of
 * text (wide cells take few long lines, tall ones more short lines), with half an em of padding
 * each side and an author line below the text.
 */
export function cellFont(w: number, h: number, chars: number): number {
  let best = 0;
  for (let lines = 2; lines <= 5; lines++) {
    // At least 15 characters a line: narrower cells break words in the middle.
    const perLine = Math.max(15, Math.ceil(chars / lines));
    const byWidth = w / (1 + GLYPH_EM * perLine);
    const byHeight = h / (1 + 1.25 * lines + 1.05);
    best = Math.max(best, Math.min(byWidth, byHeight));
  }
  return best;
}

/** Characters of a typical note: the 80th percentile of text lengths (longer ones get "…"). */
export function typicalChars(notes: readonly Note[]): number {
  if (!notes.length) return 40;
  const lengths = notes.map((n) => n.text.length).sort((a, b) => a - b);
  return Math.max(16, lengths[Math.min(lengths.length - 1, Math.floor(lengths.length * 0.8))] as number);
}

interface Item {
  kind: 'header' | 'note';
  units: number;
  section: Section;
  note?: Note;
}

function itemsOf(sections: readonly Section[]): Item[] {
  const items: Item[] = [];
  for (const s of sections) {
    if (!s.notes.length) continue;
    items.push({ kind: 'header', units: HEADER_UNITS, section: s });
    for (const n of s.notes) items.push({ kind: 'note', units: 1, section: s, note: n });
  }
  return items;
}

/**
 * Flows items into columns of `capacity` units; a section continuing in a new column gets its
 * header again; a header never ends a column. Returns the columns, or null if more than `maxCols`.
 */
function flow(items: readonly Item[], capacity: number, maxCols: number): Item[][] | null {
  const cols: Item[][] = [[]];
  let used = 0;
  for (let i = 0; i < items.length; i++) {
    const it = items[i] as Item;
    let col = cols[cols.length - 1] as Item[];
    // A header needs room for itself and its first note.
    const need = it.kind === 'header' ? it.units + 1 : it.units;
    if (used + need > capacity + 1e-9 && col.length > 0) {
      if (cols.length >= maxCols) return null;
      col = [];
      cols.push(col);
      used = 0;
      if (it.kind === 'note') {
        col.push({ kind: 'header', units: HEADER_UNITS, section: it.section });
        used += HEADER_UNITS;
      }
    }
    col.push(it);
    used += it.units;
  }
  return cols;
}

/** The smallest column capacity (in units) at which the items fit in `cols` columns. */
function minCapacity(items: readonly Item[], cols: number): number {
  const total = items.reduce((a, it) => a + it.units, 0);
  let lo = 1 + HEADER_UNITS;
  let hi = total + cols * HEADER_UNITS + 1;
  if (!flow(items, hi, cols)) return Infinity;
  for (let k = 0; k < 30 && hi - lo > 0.01; k++) {
    const mid = (lo + hi) / 2;
    if (flow(items, mid, cols)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * Lays out every note of `sections` on one screen, choosing the number of columns that gives the
 * largest font. Never throws; an empty wall gives an empty page.
 */
export function layoutPage(sections: readonly Section[], box: Box): PageLayout {
  const filled = sections.filter((s) => s.notes.length);
  if (filled.length === 1) return gridPage(filled[0] as Section, box);
  const items = itemsOf(sections);
  const noteCount = items.filter((i) => i.kind === 'note').length;
  if (!noteCount || box.width <= 0 || box.height <= 0) return { font: MAX_FONT, columns: 0, cells: [], noteCount: 0 };
  const chars = typicalChars(sections.flatMap((s) => s.notes));
  let best: { font: number; cols: number; capacity: number } | null = null;
  const maxCols = Math.min(noteCount + sections.length, Math.max(1, Math.floor(box.width / 120)));
  for (let cols = 1; cols <= maxCols; cols++) {
    const capacity = minCapacity(items, cols);
    if (!Number.isFinite(capacity)) continue;
    const cellW = (box.width - GAP * (cols + 1)) / cols;
    const unitH = (box.height - GAP) / capacity;
    const font = Math.min(MAX_FONT, cellFont(cellW, unitH - GAP, chars));
    if (!best || font > best.font + 1e-6) best = { font, cols, capacity };
  }
  if (!best) return { font: 0, columns: 0, cells: [], noteCount };
  const { font, cols, capacity } = best;
  const columns = flow(items, capacity, cols) as Item[][];
  // Cells are no taller than the font needs (plus a little air): a small wall does not get
  // stretched notes; the grid is centred instead.
  const cellW = Math.min((box.width - GAP * (cols + 1)) / cols, font * (1 + GLYPH_EM * 22) * 1.5);
  const unitH = Math.min((box.height - GAP) / capacity, font * 9 + GAP);
  const usedW = cols * cellW + (cols + 1) * GAP;
  const x0 = Math.max(0, (box.width - usedW) / 2);
  const cells: Cell[] = [];
  columns.forEach((col, c) => {
    let y = GAP;
    const x = x0 + GAP + c * (cellW + GAP);
    col.forEach((it, i) => {
      const h = it.units * unitH - GAP;
      cells.push({
        kind: it.kind,
        x,
        y,
        width: cellW,
        height: h,
        section: it.section,
        ...(it.note ? { note: it.note } : {}),
        ...(it.kind === 'header' && i === 0 && c > 0 && !isFirstHeader(columns, c, it.section) ? { continued: true } : {}),
      });
      y += h + GAP;
    });
  });
  return { font: Math.floor(font * 10) / 10, columns: cols, cells: mergeTopHeaders(cells), noteCount };
}

/**
 * A section that fills several columns gets one header across their tops instead of the same
 * title squeezed into each: wider, so its long title reads at a larger size.
 */
function mergeTopHeaders(cells: Cell[]): Cell[] {
  const out: Cell[] = [];
  for (const c of cells) {
    const prev = out.findLast((o) => o.kind === 'header' && o.y === c.y && o.section === c.section && Math.abs(o.x + o.width + GAP - c.x) < 0.5);
    if (c.kind === 'header' && c.y === GAP && prev) {
      prev.width = c.x + c.width - prev.x;
      delete prev.continued;
    } else out.push({ ...c });
  }
  return out;
}

/**
 * One section (a spotlight, or a page holding one domain): its title once across the top, its
 * notes in a plain grid below — repeating the header on every column would waste a row.
 */
function gridPage(section: Section, box: Box): PageLayout {
  const n = section.notes.length;
  if (box.width <= 0 || box.height <= 0) return { font: MAX_FONT, columns: 0, cells: [], noteCount: n };
  const band = Math.min(96, Math.max(48, box.height * 0.09));
  const availH = box.height - band - GAP;
  const chars = typicalChars(section.notes);
  let best = { font: 0, cols: 1, rows: n };
  for (let cols = 1; cols <= Math.min(n, Math.max(1, Math.floor(box.width / 120))); cols++) {
    const rows = Math.ceil(n / cols);
    const cellW = (box.width - GAP * (cols + 1)) / cols;
    const cellH = (availH - GAP * rows) / rows;
    const font = Math.min(MAX_FONT, cellFont(cellW, cellH, chars));
    if (font > best.font + 1e-6) best = { font, cols, rows };
  }
  const { font, cols, rows } = best;
  const cellW = Math.min((box.width - GAP * (cols + 1)) / cols, font * (1 + GLYPH_EM * 22) * 1.5);
  const cellH = Math.min((availH - GAP * rows) / rows, font * 9);
  const x0 = Math.max(0, (box.width - (cols * cellW + (cols + 1) * GAP)) / 2);
  const cells: Cell[] = [{ kind: 'header', x: GAP, y: GAP, width: box.width - 2 * GAP, height: band - GAP, section }];
  section.notes.forEach((note, i) => {
    const c = i % cols;
    const r = Math.floor(i / cols);
    cells.push({ kind: 'note', x: x0 + GAP + c * (cellW + GAP), y: band + GAP + r * (cellH + GAP), width: cellW, height: cellH, section, note });
  });
  return { font: Math.floor(font * 10) / 10, columns: cols, cells, noteCount: n };
}

/** Whether column c's first header is its section's first (not a repeat). */
function isFirstHeader(columns: Item[][], c: number, section: Section): boolean {
  for (let k = 0; k < c; k++) if ((columns[k] as Item[]).some((it) => it.section === section)) return false;
  return true;
}

/** The notes `from`..`from+count` of the sections' reading order, as sections again. */
function slice(sections: readonly Section[], from: number, count: number): Section[] {
  const out: Section[] = [];
  let i = 0;
  for (const s of sections) {
    const start = Math.max(0, from - i);
    const end = Math.min(s.notes.length, from + count - i);
    if (end > start) out.push({ ...s, notes: s.notes.slice(start, end) });
    i += s.notes.length;
  }
  return out;
}

/**
 * Splits the sections into as few pages as keep every page's font at `minFont` or more, each page
 * as full as it can be (R121). A section that does not fit on one page continues on the next.
 * `whole` may ask more of a page: the projection asks that every note's text fits (R190).
 */
export function paginate(sections: readonly Section[], box: Box, minFont = READABLE_FONT, whole: (page: PageLayout) => boolean = () => true): PageLayout[] {
  const reads = (page: PageLayout) => page.font >= minFont && whole(page);
  const total = sections.reduce((a, s) => a + s.notes.length, 0);
  const pages: PageLayout[] = [];
  let from = 0;
  while (from < total) {
    // The largest count that still reads (fonts shrink as notes are added): binary search.
    let lo = 1;
    let hi = total - from;
    if (!reads(layoutPage(slice(sections, from, hi), box))) {
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (reads(layoutPage(slice(sections, from, mid), box))) lo = mid;
        else hi = mid - 1;
      }
    } else lo = hi;
    // Prefer to end a page where a section ends, if that costs at most a quarter of the page.
    const count = sectionBreak(sections, from, lo);
    pages.push(layoutPage(slice(sections, from, count), box));
    from += count;
  }
  return pages;
}

function sectionBreak(sections: readonly Section[], from: number, count: number): number {
  if (from + count >= sections.reduce((a, s) => a + s.notes.length, 0)) return count;
  let end = 0;
  let best = count;
  for (const s of sections) {
    end += s.notes.length;
    if (end > from && end < from + count && end - from >= count * 0.75) best = end - from;
  }
  return best;
}
