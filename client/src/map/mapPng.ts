/**
 * The relationship map as a PNG for a slide or a report: the same scene the screen draws
 * (`mapScene` over `layoutNetwork`, shared with the PDF page), 3,000 px wide, with the wall's
 * title, the date and a legend of link kinds and domains drawn in (R149). Drawn with the
 * Canvas 2D API on an off-screen canvas, so it works whichever view is on screen.
 */
import { layoutNetwork, mapScene, MAP_COLORS, type Domain, type Network, type Note } from '@maillage/shared';

export interface MapPngWords {
  title: string;
  date: string;
  group: string;
  connector: string;
  similar: string;
  domainTitle(d: Domain): string;
}

const WIDTH = 3000;
const HEIGHT = 1900;
const HEAD = 150;
const LEGEND = 150;
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

export async function mapPng(network: Network, notes: readonly Note[], domains: readonly Domain[], words: MapPngWords): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = WIDTH;
  canvas.height = HEIGHT;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, WIDTH, HEIGHT);
  ctx.fillStyle = MAP_COLORS.label;
  ctx.font = `bold 56px ${FONT}`;
  ctx.textBaseline = 'top';
  ctx.fillText(words.title, 60, 40);
  ctx.font = `32px ${FONT}`;
  ctx.fillStyle = '#4b5563';
  ctx.fillText(words.date, 60, 108);

  const areaH = HEIGHT - HEAD - LEGEND;
  const layout = await layoutNetwork(network, WIDTH / areaH);
  const scene = mapScene(network, layout, { width: WIDTH, height: areaH, notes, domains });
  ctx.save();
  ctx.translate(0, HEAD);
  for (const e of scene.edges) {
    ctx.beginPath();
    ctx.moveTo(e.x1, e.y1);
    ctx.lineTo(e.x2, e.y2);
    ctx.strokeStyle = e.color;
    ctx.lineWidth = e.width;
    ctx.setLineDash(e.dash);
    ctx.globalAlpha = e.kind === 'similar' ? 0.8 : 0.9;
    ctx.stroke();
  }
  ctx.setLineDash([]);
  ctx.globalAlpha = 1;
  for (const n of scene.nodes) {
    ctx.beginPath();
    ctx.arc(n.x, n.y, n.r, 0, 2 * Math.PI);
    ctx.fillStyle = n.fill;
    ctx.fill();
    ctx.lineWidth = 3;
    ctx.strokeStyle = MAP_COLORS.outline;
    ctx.stroke();
  }
  ctx.textAlign = 'center';
  for (const n of scene.nodes) {
    ctx.font = `${n.font}px ${FONT}`;
    const w = Math.max(...n.lines.map((l) => ctx.measureText(l).width));
    const cx = Math.min(Math.max(n.x, w / 2 + 8), WIDTH - w / 2 - 8);
    ctx.fillStyle = 'rgba(255,255,255,0.85)';
    ctx.fillRect(cx - w / 2 - 6, n.y + n.r + 4, w + 12, n.font * 1.2 * n.lines.length + 6);
    ctx.fillStyle = MAP_COLORS.label;
    n.lines.forEach((line, i) => ctx.fillText(line, cx, n.y + n.r + 8 + i * n.font * 1.2));
  }
  ctx.textAlign = 'left';
  ctx.restore();

  // Legend: link kinds, then the domains used as node colours.
  ctx.textAlign = 'left';
  ctx.font = `30px ${FONT}`;
  let x = 60;
  const y = HEIGHT - LEGEND + 30;
  for (const kind of ['group', 'connector', 'similar'] as const) {
    ctx.beginPath();
    ctx.moveTo(x, y + 15);
    ctx.lineTo(x + 70, y + 15);
    ctx.strokeStyle = MAP_COLORS[kind];
    ctx.lineWidth = kind === 'similar' ? 4 : 9;
    ctx.setLineDash(kind === 'similar' ? [16, 10] : []);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = MAP_COLORS.label;
    ctx.fillText(words[kind], x + 84, y);
    x += 84 + ctx.measureText(words[kind]).width + 60;
  }
  x = 60;
  const used = new Set(scene.nodes.map((n) => n.fill));
  for (const d of domains) {
    if (!used.has(d.color)) continue;
    const label = words.domainTitle(d);
    const w = 48 + ctx.measureText(label).width + 40;
    if (x + w > WIDTH - 60) break;
    ctx.beginPath();
    ctx.arc(x + 16, y + 75, 16, 0, 2 * Math.PI);
    ctx.fillStyle = d.color;
    ctx.fill();
    ctx.lineWidth = 2;
    ctx.strokeStyle = MAP_COLORS.outline;
    ctx.stroke();
    ctx.fillStyle = MAP_COLORS.label;
    ctx.fillText(label, x + 44, y + 60);
    x += w;
  }
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
}
