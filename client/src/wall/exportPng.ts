/**
 * PNG of the whole wall at print resolution, drawn by the browser from the Konva stage: every
 * column and every note (the canvas normally draws only what is in view), on a solid background,
 * at least `PRINT_MIN_WIDTH` pixels wide — 150 dpi or more across a tabloid/A3 landscape page.
 * The canvas never draws emails, so neither does the image. Live cursors and the columns' "add"
 * buttons are left out. With a `caption`, the wall's title and the date head the image and a legend
 * of the line and halo styles sits under it (R149: a PNG forwarded alone still says what it is).
 */
import type Konva from 'konva';
import type { Rect } from './geometry.ts';

export const PRINT_MIN_WIDTH = 3000;
/** Browsers refuse (or silently blank) canvases past these; a huge wall gets a lower ratio. */
const MAX_SIDE = 16_000;
const MAX_PIXELS = 120_000_000;
const MARGIN = 24;

/** What is written around the picture. */
export interface PngCaption {
  title: string;
  date: string;
  /** Legend entries: a line (connector) or an outlined square (group halo) in a colour. */
  legend: { label: string; color: string; shape: 'line' | 'halo' }[];
}

export interface WallExporter {
  /** Renders the whole wall; resolves with the PNG. */
  png(opts?: { minWidth?: number; background?: string; caption?: PngCaption }): Promise<Blob>;
}

/** Pixels per wall unit: ≥ 2 and enough for `minWidth`, within what a canvas can hold. */
export function printPixelRatio(width: number, height: number, minWidth = PRINT_MIN_WIDTH): number {
  const wanted = Math.max(2, minWidth / width);
  return Math.min(wanted, MAX_SIDE / width, MAX_SIDE / height, Math.sqrt(MAX_PIXELS / (width * height)));
}

const frame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));

/**
 * @param stage the wall's stage, read when an export starts.
 * @param bounds the wall's extent in wall coordinates.
 * @param drawAll turns culling off (true) or back on; the exporter waits until every note is drawn.
 * @param noteCount how many notes the stage must hold once culling is off.
 */
export function createWallExporter(deps: {
  stage(): Konva.Stage | null;
  bounds(): Rect;
  drawAll(on: boolean): void;
  noteCount(): number;
}): WallExporter {
  return {
    async png(opts = {}) {
      const stage = deps.stage();
      if (!stage) throw new Error('the wall is not shown');
      deps.drawAll(true);
      try {
        // React renders the hidden notes on its next commit; Konva draws them on the next frame.
        const deadline = Date.now() + 3000;
        do await frame();
        while (stage.find('.note').length < deps.noteCount() && Date.now() < deadline);
        return await renderPng(stage, deps.bounds(), opts.minWidth ?? PRINT_MIN_WIDTH, opts.background ?? '#ffffff', opts.caption);
      } finally {
        deps.drawAll(false);
      }
    },
  };
}

async function renderPng(stage: Konva.Stage, bounds: Rect, minWidth: number, background: string, caption?: PngCaption): Promise<Blob> {
  const width = bounds.width + 2 * MARGIN;
  const height = bounds.height + 2 * MARGIN;
  const pixelRatio = printPixelRatio(width, height, minWidth);
  const saved = { x: stage.x(), y: stage.y(), scale: stage.scaleX() };
  // Not part of the picture: live cursors (the one layer that ignores the pointer) and the
  // columns' "add" buttons.
  const hidden: Konva.Node[] = [...stage.getLayers().filter((l) => !l.listening()), ...stage.find('.add-note')].filter((n) => n.visible());
  let drawn: HTMLCanvasElement;
  // Synchronous from here to the restore: the screen never shows the intermediate transform.
  try {
    hidden.forEach((l) => l.visible(false));
    stage.scale({ x: 1, y: 1 });
    stage.position({ x: MARGIN - bounds.x, y: MARGIN - bounds.y });
    drawn = stage.toCanvas({ x: 0, y: 0, width, height, pixelRatio });
  } finally {
    stage.scale({ x: saved.scale, y: saved.scale });
    stage.position({ x: saved.x, y: saved.y });
    hidden.forEach((l) => l.visible(true));
  }
  const out = document.createElement('canvas');
  const font = Math.max(24, Math.round(drawn.width / 70));
  const head = caption ? Math.round(font * 3.4) : 0;
  const foot = caption?.legend.length ? Math.round(font * 2.2) : 0;
  out.width = drawn.width;
  out.height = drawn.height + head + foot;
  const ctx = out.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(drawn, 0, head);
  if (caption) drawCaption(ctx, caption, font, out.width, head, out.height - foot);
  drawn.width = drawn.height = 0; // release the big intermediate bitmap now
  return new Promise((resolve, reject) => out.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
}

function drawCaption(ctx: CanvasRenderingContext2D, c: PngCaption, font: number, width: number, head: number, footTop: number): void {
  const family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  const left = font;
  ctx.textBaseline = 'top';
  ctx.fillStyle = '#1b1f24';
  ctx.font = `bold ${Math.round(font * 1.4)}px ${family}`;
  ctx.fillText(c.title, left, font * 0.5, width - 2 * left);
  ctx.fillStyle = '#4b5563';
  ctx.font = `${font}px ${family}`;
  ctx.fillText(c.date, left, font * 2.1, width - 2 * left);
  let x = left;
  const y = footTop + font * 0.6;
  for (const item of c.legend) {
    ctx.strokeStyle = item.color;
    ctx.lineWidth = Math.max(3, font / 6);
    if (item.shape === 'line') {
      ctx.beginPath();
      ctx.moveTo(x, y + font / 2);
      ctx.lineTo(x + font * 2, y + font / 2);
      ctx.stroke();
    } else {
      ctx.strokeRect(x + font * 0.5, y, font, font);
    }
    ctx.fillStyle = '#1b1f24';
    ctx.fillText(item.label, x + font * 2.4, y);
    x += font * 2.4 + ctx.measureText(item.label).width + font * 1.5;
  }
  void head;
}

/** Saves a blob under `name` through a temporary link (the usual download path of browsers). */
export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
