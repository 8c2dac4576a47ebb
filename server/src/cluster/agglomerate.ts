/**
 * Average-linkage agglomerative clustering over a sparse similarity graph. The similarity of two
 * clusters is the mean over all their cross pairs, pairs missing from the graph counting as 0:
 * a cluster grows only while most of its members resemble each other, which keeps the chaining of
 * single linkage away ("homework" → "homework and meals" → "meals").
 *
 * Runs until no pair of clusters is at least `stopBelow` similar and returns the merges in order;
 * average linkage is monotone, so cutting the tree at a threshold is replaying a prefix of them.
 */

import { PairHeap } from './heap.ts';

/** One merge: clusters `a` and `b` (ids < n are notes; merge k creates id n + k). */
export interface Merge {
  a: number;
  b: number;
  /** Average similarity between the two at the time of merging. */
  sim: number;
}

/** Builds the dendrogram down to `stopBelow`. */
export function averageLinkage(graph: { n: number; a: Int32Array; b: Int32Array; sim: Float32Array }, stopBelow: number): Merge[] {
  const { n } = graph;
  const size = new Int32Array(2 * n).fill(1, 0, n);
  const alive = new Uint8Array(2 * n).fill(1, 0, n);
  // Per cluster: neighbour → sum of pair similarities (not the mean, so merging is addition).
  const links: (Map<number, number> | undefined)[] = Array.from({ length: n }, () => new Map());
  const heap = new PairHeap();
  for (let e = 0; e < graph.a.length; e++) {
    const x = graph.a[e] as number;
    const y = graph.b[e] as number;
    const s = graph.sim[e] as number;
    links[x]?.set(y, s);
    links[y]?.set(x, s);
    if (s >= stopBelow) heap.push(s, Math.min(x, y), Math.max(x, y));
  }
  const merges: Merge[] = [];
  for (let top = heap.peek(); top && top.score >= stopBelow; top = heap.peek()) {
    heap.pop();
    const { x, y, score } = top;
    // Stale entry: a side was merged since it was pushed (pairs of live clusters never change).
    if (!alive[x] || !alive[y]) continue;
    const c = n + merges.length;
    merges.push({ a: x, b: y, sim: score });
    alive[x] = alive[y] = 0;
    alive[c] = 1;
    size[c] = (size[x] as number) + (size[y] as number);
    const lx = links[x] as Map<number, number>;
    const ly = links[y] as Map<number, number>;
    const [big, small] = lx.size >= ly.size ? [lx, ly] : [ly, lx];
    big.delete(x);
    big.delete(y);
    for (const [z, s] of small) if (z !== x && z !== y) big.set(z, (big.get(z) ?? 0) + s);
    links[c] = big;
    links[x] = links[y] = undefined;
    for (const [z, s] of big) {
      const lz = links[z] as Map<number, number>;
      lz.delete(x);
      lz.delete(y);
      lz.set(c, s);
      // A pair below the stop never merges (it changes only when a side merges, and is then
      // pushed anew), so it is not queued: on large walls most pairs are, and the heap stays small.
      const avg = s / ((size[c] as number) * (size[z] as number));
      if (avg >= stopBelow) heap.push(avg, z, c);
    }
  }
  return merges;
}

/**
 * Cuts the dendrogram: replays the merges at or above `threshold` and returns each note's
 * cluster root (a note alone is its own root).
 */
export function cutTree(n: number, merges: readonly Merge[], threshold: number): Int32Array {
  const parent = new Int32Array(n + merges.length);
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i] as number] as number;
      i = parent[i] as number;
    }
    return i;
  };
  // A prefix, not a filter: were rounding to break monotonicity, a later merge could refer to a
  // cluster that the cut left unbuilt.
  for (let k = 0; k < merges.length && (merges[k] as Merge).sim >= threshold; k++) {
    const m = merges[k] as Merge;
    parent[find(m.a)] = parent[find(m.b)] = n + k;
  }
  const roots = new Int32Array(n);
  for (let i = 0; i < n; i++) roots[i] = find(i);
  return roots;
}
