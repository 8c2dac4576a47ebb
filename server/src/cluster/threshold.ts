/**
 * Chooses where to cut the dendrogram, from the wall itself rather than from a constant: every
 * merge height is a candidate threshold, each candidate cut is scored by its mean silhouette
 * over the similarity graph, and the best cut wins. The silhouette rewards clusters whose members
 * resemble each other more than any other cluster; a note left alone scores 0, so a cut only
 * gains by grouping notes that really belong together.
 */
import { cutTree, type Merge } from './agglomerate.ts';
import type { SimilarityGraph } from './neighborhood.ts';

/** Adjacency lists of a similarity graph (CSR). */
export interface Adjacency {
  start: Int32Array;
  nbr: Int32Array;
  sim: Float32Array;
}

/** Heights scored per round of the narrowing search. */
const GRID = 16;

/** Converts the edge arrays of a graph into per-note neighbour lists. */
export function adjacency(g: SimilarityGraph): Adjacency {
  const start = new Int32Array(g.n + 1);
  for (let e = 0; e < g.a.length; e++) {
    for (const end of [g.a[e] as number, g.b[e] as number]) start[end + 1] = (start[end + 1] as number) + 1;
  }
  for (let i = 0; i < g.n; i++) start[i + 1] = (start[i + 1] as number) + (start[i] as number);
  const fill = start.slice(0, g.n);
  const nbr = new Int32Array(2 * g.a.length);
  const sim = new Float32Array(nbr.length);
  const put = (from: number, to: number, s: number): void => {
    const p = fill[from] as number;
    nbr[p] = to;
    sim[p] = s;
    fill[from] = p + 1;
  };
  for (let e = 0; e < g.a.length; e++) {
    put(g.a[e] as number, g.b[e] as number, g.sim[e] as number);
    put(g.b[e] as number, g.a[e] as number, g.sim[e] as number);
  }
  return { start, nbr, sim };
}

/**
 * Mean silhouette of a labelling (a cluster id per note, ids below `labels.length * 2`), in
 * similarity form: s(i) = (a − b) / (1 − min(a, b)), a being the mean similarity of i to the rest
 * of its cluster and b its best mean similarity to another cluster. Pairs absent from the graph
 * count as similarity 0.
 */
export function silhouette(adj: Adjacency, labels: Int32Array): number {
  const n = labels.length;
  const size = new Int32Array(2 * n);
  for (const l of labels) size[l] = (size[l] as number) + 1;
  const sums = new Float64Array(2 * n);
  const seen: number[] = [];
  let total = 0;
  for (let i = 0; i < n; i++) {
    const own = labels[i] as number;
    const ownSize = size[own] as number;
    if (ownSize < 2) continue;
    for (let p = adj.start[i] as number; p < (adj.start[i + 1] as number); p++) {
      const l = labels[adj.nbr[p] as number] as number;
      if (sums[l] === 0) seen.push(l);
      sums[l] = (sums[l] as number) + (adj.sim[p] as number);
    }
    const a = (sums[own] as number) / (ownSize - 1);
    let b = 0;
    for (const l of seen) {
      if (l !== own) b = Math.max(b, (sums[l] as number) / (size[l] as number));
      sums[l] = 0;
    }
    seen.length = 0;
    const denom = 1 - Math.min(a, b);
    total += denom > 0 ? (a - b) / denom : 0;
  }
  return n ? total / n : 0;
}

/** Distinct merge heights, highest first. */
export function mergeHeights(merges: readonly Merge[]): number[] {
  return [...new Set(merges.map((m) => m.sim))].sort((x, y) => y - x);
}

/**
 * The threshold whose cut has the best mean silhouette, or undefined when no cut beats leaving
 * every note alone. A large wall has thousands of merge heights, so the search narrows down:
 * evenly spaced heights first, then a finer grid around the best, until every height near it has
 * been scored. Ties go to the higher threshold: fewer, tighter clusters.
 */
export function chooseThreshold(g: SimilarityGraph, merges: readonly Merge[]): number | undefined {
  const adj = adjacency(g);
  const heights = mergeHeights(merges);
  const scored = new Set<number>();
  let bestK = -1;
  let bestScore = 0;
  const consider = (k: number): void => {
    if (scored.has(k)) return;
    scored.add(k);
    const s = silhouette(adj, cutTree(g.n, merges, heights[k] as number));
    if (s > bestScore || (s === bestScore && bestK >= 0 && k < bestK)) [bestK, bestScore] = [k, s];
  };
  let from = 0;
  let to = heights.length - 1;
  for (;;) {
    const step = Math.max(1, Math.ceil((to - from + 1) / GRID));
    for (let k = from; k <= to; k += step) consider(k);
    if (step === 1 || bestK < 0) break;
    from = Math.max(0, bestK - step + 1);
    to = Math.min(heights.length - 1, bestK + step - 1);
  }
  return bestK < 0 ? undefined : heights[bestK];
}
