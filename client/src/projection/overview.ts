/**
 * The overview of a wall too big for one readable grid (docs/spec.md R190).
 *
 * A grid of equal cells gives every note the size the longest ones need: at 150 notes that is
 * 12 px text for all, which nobody reads from the back of the room. Here each note's cell is as
 * tall as its own text needs, in newspaper columns (domain header, then its notes, continued in
 * the next column with the header repeated). Notes whose text costs least room are drawn at the
 * readable size (18 px) — at least READABLE_SHARE of the wall where the screen allows — and the
 * others at the largest size the remaining room gives, never under OVERVIEW_FLOOR, never cut.
 * The pages after the overview show every note at 18 px or more.
 *
 * Pure and in screen pixels, like layout.ts.
 */
import type { Note } from '@maillage/shared';
import { MAX_FONT, READABLE_FONT, type Box, type Cell, type PageLayout, type Section } from './layout.ts';
import { estimateMeasure, lineCount, textHeight, type Measure } from './textFit.ts';

/** No overview note is drawn smaller (readable up close, and the pages show it large). */
export const OVERVIEW_FLOOR = 11;
/** The share of notes the overview tries to draw at READABLE_FONT before enlarging the rest. */
export const READABLE_SHARE = 0.4;
/** Domain headers in the overview: bold, this size, at most three lines. */
export const OVERVIEW_HEADER_FONT = 16;

export const notePad = (font: number) => Math.max(3, Math.round(font * 0.25));
/** Space between overview cells, px: half the grid's; the notes' own colours and borders part them. */
export const GAP = 4;

interface Item {
  kind: 'header' | 'note';
  section: Section;
  note?: Note;
}

/** Height of a note's cell at `font` in a column `width` wide. */
function noteH(text: string, width: number, font: number, measure: Measure): number {
  const pad = notePad(font);
  return 2 * pad + textHeight(text, width - 2 * pad, font, measure);
}

/** The count at a header's right, and the header's inner margin. */
export const OVERVIEW_COUNT_FONT = 13;
export const HEADER_PAD = 6;

/** A header as tall as its title needs in bold at OVERVIEW_HEADER_FONT, up to three lines. */
export function headerHeight(title: string, width: number, bold: Measure): number {
  const f = OVERVIEW_HEADER_FONT;
  const textW = width - 2 * HEADER_PAD - OVERVIEW_COUNT_FONT * 1.9;
  const lines = Math.min(3, Math.max(1, lineCount(title, textW, f, bold)));
  return lines * f * 1.1 + 10;
}

/**
 * Flows items with the given heights into columns `height` tall: a section continuing in a new
 * column gets its header again; a header never ends a column. Null if more than `maxCols` columns.
 */
function flow(items: readonly Item[], heights: readonly number[], headerOf: (s: Section) => number, height: number, maxCols: number): Item[][] | null {
  const cols: Item[][] = [[]];
  let used = 0;
  for (let i = 0; i < items.length; i++) {
    const it = items[i] as Item;
    const h = heights[i] as number;
    let col = cols[cols.length - 1] as Item[];
    const need = it.kind === 'header' ? h + GAP + (heights[i + 1] ?? 0) : h;
    if (used + need > height + 1e-6 && col.length > 0) {
      if (cols.length >= maxCols) return null;
      col = [];
      cols.push(col);
      used = 0;
      if (it.kind === 'note') {
        col.push({ kind: 'header', section: it.section });
        used += headerOf(it.section) + GAP;
      }
      if (used + h > height + 1e-6) return null;
    }
    col.push(it);
    used += h + GAP;
  }
  return cols;
}

interface Plan {
  cols: number;
  /** Notes drawn at READABLE_FONT (by id); the others at `low`. */
  readable: Set<string>;
  low: number;
  columns: Item[][];
  width: number;
}

/**
 * Lays every note of `sections` out on one screen as described above. `measure` gives text widths
 * (the canvas in the browser). Never throws; an empty wall gives an empty page.
 */
export function overviewPage(sections: readonly Section[], box: Box, measure: Measure = estimateMeasure, bold: Measure = (s) => measure(s) * 1.1): PageLayout {
  const filled = sections.filter((s) => s.notes.length);
  const items: Item[] = [];
  for (const s of filled) {
    items.push({ kind: 'header', section: s });
    for (const n of s.notes) items.push({ kind: 'note', section: s, note: n });
  }
  const notes = items.filter((i) => i.note).map((i) => i.note as Note);
  if (!notes.length || box.width <= 0 || box.height <= 0) return { font: READABLE_FONT, columns: 0, cells: [], noteCount: 0 };
  const H = box.height - GAP;
  const target = Math.ceil(notes.length * READABLE_SHARE);
  let best: (Plan & { score: [number, number, number] }) | null = null;
  const maxCols = Math.max(1, Math.min(notes.length, Math.floor(box.width / 150)));
  for (let cols = 2; cols <= maxCols; cols++) {
    const width = (box.width - GAP * (cols + 1)) / cols;
    const hdr = new Map(filled.map((s) => [s.key, headerHeight(s.title, width, bold)]));
    const headerOf = (s: Section) => hdr.get(s.key) as number;
    const hiH = new Map(notes.map((n) => [n.id, noteH(n.text, width, READABLE_FONT, measure)]));
    const floorH = new Map(notes.map((n) => [n.id, noteH(n.text, width, OVERVIEW_FLOOR, measure)]));
    // The notes that cost least to make readable go first.
    const byCost = [...notes].sort((a, b) => (hiH.get(a.id) as number) - (floorH.get(a.id) as number) - ((hiH.get(b.id) as number) - (floorH.get(b.id) as number)));
    const atFont = new Map<number, Map<string, number>>([[OVERVIEW_FLOOR, floorH]]);
    const heightsAt = (low: number) => {
      let m = atFont.get(low);
      if (!m) atFont.set(low, (m = new Map(notes.map((n) => [n.id, noteH(n.text, width, low, measure)]))));
      return m;
    };
    const attempt = (k: number, low: number): Item[][] | null => {
      const readable = new Set(byCost.slice(0, k).map((n) => n.id));
      const lowH = heightsAt(low);
      const heights = items.map((it) => (it.kind === 'header' ? headerOf(it.section) : ((readable.has((it.note as Note).id) ? hiH : lowH).get((it.note as Note).id) as number)));
      return flow(items, heights, headerOf, H, cols);
    };
    if (!attempt(0, OVERVIEW_FLOOR)) continue;
    // Every note readable at one size, as large as fits: nothing to trade.
    if (attempt(0, READABLE_FONT)) {
      let a = READABLE_FONT;
      let b = MAX_FONT;
      while (b - a > 0.25) {
        const mid = (a + b) / 2;
        if (attempt(0, mid)) a = mid;
        else b = mid;
      }
      const low = Math.floor(a * 4) / 4;
      const columns = attempt(0, low);
      const score: [number, number, number] = [notes.length, low, notes.length];
      if (columns && (!best || score[0] > best.score[0] || (score[0] === best.score[0] && score[1] > best.score[1] + 1e-6))) {
        best = { cols, readable: new Set(), low, columns, width, score };
      }
      continue;
    }
    // Most notes readable with the others at the floor…
    let lo = 0;
    let hi = notes.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (attempt(mid, OVERVIEW_FLOOR)) lo = mid;
      else hi = mid - 1;
    }
    const k = Math.min(lo, Math.max(target, 0));
    // …then, keeping the readable share, the others as large as the room left allows.
    let a = OVERVIEW_FLOOR;
    let b = READABLE_FONT;
    while (b - a > 0.25) {
      const mid = (a + b) / 2;
      if (attempt(k, mid)) a = mid;
      else b = mid;
    }
    const low = Math.floor(a * 4) / 4;
    const columns = attempt(k, low);
    if (!columns) continue;
    const score: [number, number, number] = [Math.min(k, target), low, lo];
    if (!best || score[0] > best.score[0] || (score[0] === best.score[0] && (score[1] > best.score[1] + 1e-6 || (Math.abs(score[1] - best.score[1]) < 1e-6 && score[2] > best.score[2])))) {
      best = { cols, readable: new Set(byCost.slice(0, k).map((n) => n.id)), low, columns, width, score };
    }
  }
  if (!best) return { font: OVERVIEW_FLOOR, columns: 0, cells: [], noteCount: notes.length };
  return place(best, box, measure, bold);
}

function place(plan: Plan, box: Box, measure: Measure, bold: Measure): PageLayout {
  const { columns, width, readable, low } = plan;
  const cells: Cell[] = [];
  const seen = new Set<string>();
  columns.forEach((col, c) => {
    const x = GAP + c * (width + GAP);
    const heights = col.map((it) =>
      it.kind === 'header' ? headerHeight(it.section.title, width, bold) : noteH((it.note as Note).text, width, readable.has((it.note as Note).id) ? READABLE_FONT : low, measure),
    );
    // A column nearly full is stretched to the screen's foot, so columns end together; one far
    // from full (the last) keeps its notes their natural size.
    const used = heights.reduce((a, h) => a + h + GAP, GAP);
    const spare = box.height - used;
    const notesIn = col.filter((it) => it.kind === 'note').length;
    const extra = spare > 0 && spare < box.height * 0.25 && notesIn ? spare / notesIn : 0;
    let y = GAP;
    col.forEach((it, i) => {
      const h = (heights[i] as number) + (it.kind === 'note' ? extra : 0);
      const font = it.note ? (readable.has(it.note.id) ? READABLE_FONT : low) : OVERVIEW_HEADER_FONT;
      const first = it.kind === 'header' && !seen.has(it.section.key);
      if (it.kind === 'header') seen.add(it.section.key);
      cells.push({
        kind: it.kind,
        x,
        y,
        width,
        height: h,
        section: it.section,
        font,
        ...(it.note ? { note: it.note, byline: false } : {}),
        ...(it.kind === 'header' && !first ? { continued: true } : {}),
      });
      y += h + GAP;
    });
  });
  const noteCount = cells.filter((c) => c.note).length;
  return { font: readable.size ? Math.min(low, READABLE_FONT) : low, columns: columns.length, cells, noteCount, compact: true };
}
