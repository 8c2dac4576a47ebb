/**
 * How much room a note's text takes at a given font, and the largest font at which it fits a box
 * (docs/spec.md R190). The projection sizes each note's text to its note instead of cutting it
 * with "…": short notes read larger, long ones shrink to a floor.
 *
 * Wrapping follows Konva's Text (greedy, whole words, a word longer than the line broken where it
 * must), so what is measured here is what gets drawn. Widths come from a `Measure`: the real
 * canvas in the browser, a per-character estimate in unit tests.
 */

/** Width of `s` drawn at 100 px. */
export type Measure = (s: string) => number;

/** Line height of projected note text, in em (NoteCell draws with the same). */
export const LINE_HEIGHT = 1.15;

/** Average glyph width, em, of the wall's font: the estimate used without a canvas. */
export const GLYPH_EM = 0.52;

export const estimateMeasure: Measure = (s) => s.length * GLYPH_EM * 100;

/** The real widths, from a 2D canvas with the wall's font; cached per word. */
export function canvasMeasure(fontFamily: string, fontStyle = 'normal'): Measure {
  const ctx = typeof document !== 'undefined' ? document.createElement('canvas').getContext('2d') : null;
  if (!ctx) return estimateMeasure;
  ctx.font = `${fontStyle} 100px ${fontFamily}`;
  const cache = new Map<string, number>();
  return (s) => {
    let w = cache.get(s);
    if (w === undefined) {
      w = ctx.measureText(s).width;
      if (cache.size < 20_000) cache.set(s, w);
    }
    return w;
  };
}

/** Lines `text` takes in `width` px at `font` px; Infinity if `wholeWords` and a word must break. */
export function lineCount(text: string, width: number, font: number, measure: Measure, wholeWords = false): number {
  if (width <= 0) return Infinity;
  // Konva measures whole lines; 2 % slack covers rounding between the two measurements.
  const max = (width * 0.98 * 100) / font;
  const space = measure(' ');
  let lines = 0;
  for (const para of text.split('\n')) {
    lines++;
    let used = 0;
    for (const word of para.split(' ')) {
      if (!word) {
        used += space;
        continue;
      }
      let w = measure(word);
      const need = used > 0 ? used + space + w : w;
      if (need <= max) {
        used = need;
        continue;
      }
      if (used > 0) lines++;
      if (wholeWords && w > max) return Infinity;
      // A word wider than the line: broken, as Konva does, over as many lines as it needs.
      while (w > max) {
        lines++;
        w -= max;
      }
      used = w;
    }
  }
  return lines;
}

/** Height, px, of `text` wrapped in `width` at `font`. */
export function textHeight(text: string, width: number, font: number, measure: Measure, lineHeight = LINE_HEIGHT): number {
  return lineCount(text, width, font, measure) * font * lineHeight;
}

/**
 * The largest font in [min, max] (0.5 px steps) at which `text` fits `width`×`height`; `fits` is
 * false when even `min` does not (the text is then drawn at `min` and cut, and opens in full on a
 * click, R190).
 */
export function fitFont(text: string, width: number, height: number, min: number, max: number, measure: Measure, lineHeight = LINE_HEIGHT): { font: number; fits: boolean; wholeWords?: boolean } {
  // Words kept whole where the floor allows it ("accompagne-ment" split over two lines reads badly).
  const whole = (f: number) => lineCount(text, width, f, measure, true) * f * lineHeight <= height + 0.01;
  const any = (f: number) => textHeight(text, width, f, measure, lineHeight) <= height + 0.01;
  const wholeWords = whole(min);
  const ok = wholeWords ? whole : any;
  if (!ok(min)) return { font: min, fits: false, wholeWords };
  let lo = min;
  let hi = Math.max(min, max);
  if (ok(hi)) return { font: hi, fits: true, wholeWords };
  while (hi - lo > 0.5) {
    const mid = (lo + hi) / 2;
    if (ok(mid)) lo = mid;
    else hi = mid;
  }
  return { font: Math.max(min, Math.floor(lo * 2) / 2), fits: true, wholeWords };
}
