/**
 * Chooses where to cut the dendrogram, from the wall itself. Candidate thresholds are the merge
 * heights; each cut is scored by its mean silhouette over the similarity graph (similarity missing
 * from the graph counts as 0, a note left alone scores 0), and the best cut wins.
 */
import { cutTree, type Merge } from './agglomerate.ts';
import type { SimilarityGraph } from './similarity.ts';

/** Adjacency lists of a similarity graph (CSR). */
export interface Adjacency {
  start: Int32Array;
  nbr: Int32Array;
  sim: Float32Array;
}

/** Converts the edge arrays of a graph into per-note neighbour lists. */
export function adjacency(g: SimilarityGraph): Adjacency {
  const start = new Int32Array(g.n + 1);
  for (let e = 0; e < g.a.length; e++) {
    start[(g.a[e] as number) + 1]++;
    start[(g.b[e] as number) + 1]++;
  }
  for (let i = 0; i < g.n; i++) start[i + 1] = (start[i + 1] as number) + (start[i] as number);
  const fill = start.slice(0, g.n);
  const nbr = new Int32Array(2 * g.a.length);
  const sim = new Float32Array(nbr.length);
  for (let e = 0; e < g.a.length; e++) {
    const a = g.a[e] as number;
    const b = g.b[e] as number;
    const s = g.sim[e] as number;
    let p = fill[a]++ as number;
    nbr[p] = b;
    sim[p] = s;
    p = fill[b]++ as number;
    nbr[p] = a;
    sim[p] = s;
  }
  return { start, nbr, sim };
}

/**
 * Mean silhouette of a labelling (cluster root per note), in similarity form:
 * s(i) = (a − b) / (1 − min(a, b)) with a the mean similarity to its own cluster and b the best
 * mean similarity to another cluster.
 */
export function silhouette(adj: Adjacency, labels: Int32Array): number {
  const n = labels.length;
  const size = new Map<number, number>();
  for (const l of labels) size.set(l, (size.get(l) ?? 0) + 1);
  const sums = new Map<number, number>();
  let total = 0;
  for (let i = 0; i < n; i++) {
    const own = labels[i] as number;
    const ownSize = size.get(own) as number;
    if (ownSize < 2) continue;
    sums.clear();
    for (let p = adj.start[i] as number; p < (adj.start[i + 1] as number); p++) {
      const l = labels[adj.nbr[p] as number] as number;
      sums.set(l, (sums.get(l) ?? 0) + (adj.sim[p] as number));
    }
    const a = (sums.get(own) ?? 0) / (ownSize - 1);
    let b = 0;
    for (const [l, s] of sums) if (l !== own) b = Math.max(b, s / (size.get(l) as number));
    const denom = 1 - Math.min(a, b);
    total += denom > 0 ? (a - b) / denom : 0;
  }
  return n ? total / n : 0;
}

/** Distinct merge heights worth trying, highest first, at most `max` of them. */
export function candidateThresholds(merges: readonly Merge[], max = 200): number[] {
  const heights = [...new Set(merges.map((m) => m.sim))].sort((x, y) => y - x);
  if (heights.length <= max) return heights;
  const step = heights.length / max;
  return Array.from({ length: max }, (_, k) => heights[Math.floor(k * step)] as number);
}

/** Picks the threshold whose cut has the best mean silhouette. */
export function chooseThreshold(g: SimilarityGraph, merges: readonly Merge[], fallback: number): number {
  const adj = adjacency(g);
  let best = fallback;
  let bestScore = -Infinity;
  for (const t of candidateThresholds(merges)) {
    const score = silhouette(adj, cutTree(g.n, merges, t));
    if (score > bestScore) [best, bestScore] = [t, score];
  }
  return best;
}
