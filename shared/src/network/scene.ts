/**
 * The relationship map as shapes in pixels: what the screen (react-konva), the PNG and the PDF
 * page draw, so the three agree on sizes, colours and line styles (R144). Pure: positions come
 * from `layoutNetwork`, colours from the wall's domains.
 *
 * Nodes are filled with the colour of the domain where the organization has most of its
 * activities (so the map reads with the wall's legend) and outlined dark; links are solid and dark
 * blue for shared groups, solid orange for connectors, and light grey dashes for similarity
 * suggestions — lighter because nobody confirmed them.
 */
import type { Domain, Note } from '../schema/records.ts';
import { noteOrganizations, type EdgeKind, type Network, type NetworkEdge, type NetworkNode } from './network.ts';
import type { NetworkLayout } from './layout.ts';

export const MAP_COLORS = {
  group: '#1f3a5f',
  connector: '#c2410c',
  similar: '#9ca3af',
  outline: '#1b1f24',
  label: '#1b1f24',
  fallbackFill: '#e5e7eb',
} as const;

export interface SceneNode {
  id: string;
  label: string;
  notes: number;
  x: number;
  y: number;
  r: number;
  fill: string;
  /** Font size of the label, drawn centred under the circle. */
  font: number;
  /** The label on one or two lines (long names break at a space near the middle). */
  lines: string[];
  /** Room the label takes (estimated: drawers measure, this keeps labels inside the area). */
  labelWidth: number;
}

export interface SceneEdge {
  source: string;
  target: string;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** The strongest reason, which sets the style. */
  kind: EdgeKind;
  color: string;
  width: number;
  /** Dash pattern in px, empty for a solid line. */
  dash: number[];
  edge: NetworkEdge;
}

export interface MapScene {
  width: number;
  height: number;
  nodes: SceneNode[];
  edges: SceneEdge[];
}

/** The domain holding most of each organization's notes (ties: the wall's domain order). */
export function dominantDomains(notes: readonly Note[], domains: readonly Domain[]): Map<string, string> {
  const order = new Map(domains.map((d, i) => [d.id, i]));
  const counts = new Map<string, Map<string, number>>();
  for (const n of notes) {
    for (const o of noteOrganizations(n)) {
      const m = counts.get(o.key) ?? new Map<string, number>();
      m.set(n.domainId, (m.get(n.domainId) ?? 0) + 1);
      counts.set(o.key, m);
    }
  }
  const out = new Map<string, string>();
  for (const [org, m] of counts) {
    const best = [...m].sort((a, b) => b[1] - a[1] || (order.get(a[0]) ?? 1e9) - (order.get(b[0]) ?? 1e9))[0];
    if (best) out.set(org, best[0]);
  }
  return out;
}

export interface SceneOptions {
  width: number;
  height: number;
  /** Room kept around the drawing (labels stick out under the circles). */
  margin?: number;
  notes: readonly Note[];
  domains: readonly Domain[];
}

/** A label on one line, or two when it is long (broken at the space nearest the middle). */
export function labelLines(label: string): string[] {
  if (label.length <= 18) return [label];
  const mid = label.length / 2;
  let best = -1;
  for (let i = 0; i < label.length; i++) if (label[i] === ' ' && (best < 0 || Math.abs(i - mid) < Math.abs(best - mid))) best = i;
  return best > 0 ? [label.slice(0, best), label.slice(best + 1)] : [label];
}

/**
 * Moves nodes apart until no circle-and-label box overlaps another (or a round limit is hit),
 * keeping every box inside the area: at 60 organizations ForceAtlas2 leaves circles apart but
 * labels still collide. Pure geometry, deterministic (pairs in order, fixed number of rounds).
 */
function spreadLabels(nodes: SceneNode[], width: number, height: number): void {
  const box = (n: SceneNode) => {
    const half = Math.max(n.r, n.labelWidth / 2) + 3;
    return { x0: n.x - half, x1: n.x + half, y0: n.y - n.r - 3, y1: n.y + n.r + 4 + n.lines.length * n.font * 1.2 };
  };
  const clamp = (n: SceneNode) => {
    const b = box(n);
    if (b.x0 < 0) n.x -= b.x0;
    if (b.x1 > width) n.x -= b.x1 - width;
    if (b.y0 < 0) n.y -= b.y0;
    if (b.y1 > height) n.y -= b.y1 - height;
  };
  for (let round = 0; round < 150; round++) {
    let moved = false;
    for (let i = 0; i < nodes.length; i++) {
      for (let j = i + 1; j < nodes.length; j++) {
        const a = nodes[i] as SceneNode;
        const c = nodes[j] as SceneNode;
        const p = box(a);
        const q = box(c);
        const ox = Math.min(p.x1, q.x1) - Math.max(p.x0, q.x0);
        const oy = Math.min(p.y1, q.y1) - Math.max(p.y0, q.y0);
        if (ox <= 0 || oy <= 0) continue;
        moved = true;
        // Along the axis that needs the smaller move; vertical moves are cheaper for wide labels.
        if (oy <= ox * 1.5) {
          const d = (oy / 2 + 0.5) * (a.y <= c.y ? 1 : -1);
          a.y -= d;
          c.y += d;
        } else {
          const d = (ox / 2 + 0.5) * (a.x <= c.x ? 1 : -1);
          a.x -= d;
          c.x += d;
        }
        clamp(a);
        clamp(c);
      }
    }
    if (!moved) break;
  }
}

/** Shapes of `network` laid out by `layout` in a `width` × `height` area. */
export function mapScene(network: Network, layout: NetworkLayout, opts: SceneOptions): MapScene {
  const side = Math.min(opts.width, opts.height);
  const base = opts.margin ?? Math.max(12, side * 0.03);
  const domainColor = new Map(opts.domains.map((d) => [d.id, d.color]));
  const home = dominantDomains(opts.notes, opts.domains);
  const many = network.nodes.length > 30;
  const font = Math.max(10, Math.round(side * (many ? 0.017 : 0.026)));
  const lineWidth = (line: string) => Math.min(line.length * font * 0.6 + font * 0.6, font * 16);
  const labelWidth = (label: string) => Math.max(...labelLines(label).map(lineWidth));
  // Room for the circles and for the labels under them, so nothing is cut at the edges.
  const maxR = Math.max(5, ...[...layout.nodes.values()].map((p) => p.r * side));
  const maxLabel = Math.max(0, ...network.nodes.map((n) => labelWidth(n.label)));
  const marginX = Math.min(opts.width * 0.18, Math.max(base + maxR, maxLabel / 2 + 6));
  const marginTop = base + maxR;
  const marginBottom = base + maxR + font * 1.5;
  const innerW = Math.max(1, opts.width - 2 * marginX);
  const innerH = Math.max(1, opts.height - marginTop - marginBottom);
  const nodes: SceneNode[] = network.nodes.map((n: NetworkNode) => {
    const p = layout.nodes.get(n.id) ?? { x: 0.5, y: 0.5, r: 0.02 };
    return {
      id: n.id,
      label: n.label,
      notes: n.notes,
      x: marginX + p.x * innerW,
      y: marginTop + p.y * innerH,
      r: Math.max(5, p.r * side),
      fill: domainColor.get(home.get(n.id) ?? '') ?? MAP_COLORS.fallbackFill,
      font,
      lines: labelLines(n.label),
      labelWidth: labelWidth(n.label),
    };
  });
  spreadLabels(nodes, opts.width, opts.height);
  const at = new Map(nodes.map((n) => [n.id, n]));
  const edges: SceneEdge[] = [];
  for (const e of network.edges) {
    const a = at.get(e.source);
    const b = at.get(e.target);
    if (!a || !b) continue;
    const kind = e.kinds[0] ?? 'similar';
    const confirmed = kind !== 'similar';
    edges.push({
      source: e.source,
      target: e.target,
      x1: a.x,
      y1: a.y,
      x2: b.x,
      y2: b.y,
      kind,
      color: MAP_COLORS[kind],
      width: confirmed ? Math.min(2 + 1.5 * (e.weight - 1), 8) * (side / 800) + 1 : Math.max(1, side / 700),
      dash: confirmed ? [] : [side / 120, side / 160],
      edge: e,
    });
  }
  // Lighter links underneath, so a confirmed one is never hidden by a suggestion.
  edges.sort((x, y) => Number(x.kind !== 'similar') - Number(y.kind !== 'similar'));
  return { width: opts.width, height: opts.height, nodes, edges };
}
