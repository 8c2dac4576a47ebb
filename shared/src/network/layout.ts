/**
 * Where each organization sits on the relationship map: ForceAtlas2 (graphology's implementation,
 * the layout Gephi made standard for social networks) over the network, then a pass that pulls
 * apart circles that still overlap, normalised to the unit square. The screen, the PNG and the
 * PDF page all draw these positions, so the map looks the same everywhere (R144).
 *
 * Deterministic: the starting positions are a circle in node order (no randomness), and the
 * iteration count is fixed, so the same network gives the same picture on the server and in the
 * browser. graphology is loaded on first use (`import()`), which keeps it out of the client's
 * first bundle: only pages that show a map download it.
 */
import type { Network, NetworkNode } from './network.ts';

export interface NodePlacement {
  id: string;
  /** Centre, 0–1 across the drawing area (a margin for labels is the drawer's job). */
  x: number;
  y: number;
  /** Radius relative to the drawing area's smaller side (0–1). */
  r: number;
}

export interface NetworkLayout {
  nodes: Map<string, NodePlacement>;
}

/** Iterations of ForceAtlas2: enough for 60–200 nodes to settle, ~20 ms at 60 nodes. */
const ITERATIONS = 300;

/**
 * A node's radius grows with the square root of its activity count (area ∝ activities), between
 * a readable minimum and a maximum that keeps 60 organizations apart on a slide.
 */
export function nodeRadius(node: Pick<NetworkNode, 'notes'>, count: number): number {
  const base = count <= 12 ? 0.035 : count <= 30 ? 0.024 : 0.016;
  return base * (0.7 + 0.45 * Math.sqrt(Math.max(1, node.notes)));
}

/**
 * Positions for every node of `network` (see the module comment).
 * @param aspect width / height of the drawing area, so the layout fills a slide rather than a square.
 */
export async function layoutNetwork(network: Network, aspect = 16 / 9): Promise<NetworkLayout> {
  const n = network.nodes.length;
  const out = new Map<string, NodePlacement>();
  if (!n) return { nodes: out };
  const [{ default: Graph }, { default: forceAtlas2 }] = await Promise.all([import('graphology'), import('graphology-layout-forceatlas2')]);
  const graph = new Graph({ type: 'undirected', multi: false });
  network.nodes.forEach((node, i) => {
    const angle = (2 * Math.PI * i) / n;
    graph.addNode(node.id, { x: Math.cos(angle) * 100, y: Math.sin(angle) * 100, size: 1 + Math.sqrt(node.notes) });
  });
  for (const e of network.edges) {
    if (!graph.hasNode(e.source) || !graph.hasNode(e.target) || graph.hasEdge(e.source, e.target)) continue;
    // Similar-only links pull less than groups and connectors people made themselves.
    const strength = e.kinds.includes('group') || e.kinds.includes('connector') ? e.weight : 0.3;
    graph.addEdge(e.source, e.target, { weight: strength });
  }
  if (n > 1) {
    const settings = { ...forceAtlas2.inferSettings(graph), gravity: 1.5, scalingRatio: 10, adjustSizes: false, barnesHutOptimize: n > 300 };
    forceAtlas2.assign(graph, { iterations: ITERATIONS, settings, getEdgeWeight: 'weight' });
  }
  // Normalise into the unit box, stretched to the area's shape.
  const xs: number[] = [];
  const ys: number[] = [];
  graph.forEachNode((_id, a) => {
    xs.push(a.x as number);
    ys.push(a.y as number);
  });
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const spanX = maxX - minX || 1;
  const spanY = maxY - minY || 1;
  for (const node of network.nodes) {
    const a = graph.getNodeAttributes(node.id);
    out.set(node.id, {
      id: node.id,
      x: n === 1 ? 0.5 : ((a.x as number) - minX) / spanX,
      y: n === 1 ? 0.5 : ((a.y as number) - minY) / spanY,
      r: nodeRadius(node, n),
    });
  }
  separate([...out.values()], aspect);
  return { nodes: out };
}

/**
 * Pushes overlapping circles apart (plus a gap for the label under each) and rescales into the
 * unit box, a few times over (rescaling can bring circles back together). Positions are in the
 * unit box; distances are measured in the area's real shape, in units of its smaller side.
 */
function separate(nodes: NodePlacement[], aspect: number): void {
  if (nodes.length < 2) return;
  const ux = aspect >= 1 ? aspect : 1; // one unit across, in smaller-side units
  const uy = aspect >= 1 ? 1 : 1 / aspect;
  const gap = 0.03;
  for (let pass = 0; pass < 4; pass++) {
    for (let round = 0; round < 60; round++) {
      let moved = false;
      for (let i = 0; i < nodes.length; i++) {
        for (let j = i + 1; j < nodes.length; j++) {
          const a = nodes[i] as NodePlacement;
          const b = nodes[j] as NodePlacement;
          const dx = (b.x - a.x) * ux;
          const dy = (b.y - a.y) * uy;
          const d = Math.hypot(dx, dy);
          const need = a.r + b.r + gap;
          if (d >= need) continue;
          moved = true;
          // Same spot: split them along a direction that depends on their order only.
          const dirX = d > 1e-9 ? dx / d : Math.cos(i + j);
          const dirY = d > 1e-9 ? dy / d : Math.sin(i + j);
          const push = (need - d) / 2;
          a.x -= (dirX * push) / ux;
          a.y -= (dirY * push) / uy;
          b.x += (dirX * push) / ux;
          b.y += (dirY * push) / uy;
        }
      }
      if (!moved) break;
    }
    const xs = nodes.map((p) => p.x);
    const ys = nodes.map((p) => p.y);
    const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    for (const p of nodes) {
      p.x = maxX > minX ? (p.x - minX) / (maxX - minX) : 0.5;
      p.y = maxY > minY ? (p.y - minY) / (maxY - minY) : 0.5;
    }
  }
}
