import { describe, expect, it } from 'vitest';
import { averageLinkage, cutTree } from './agglomerate.ts';
import { sharedNeighborGraph, type SimilarityGraph } from './neighborhood.ts';
import type { NeighborLists } from './similarity.ts';
import { chooseThreshold, adjacency, silhouette } from './threshold.ts';

/** Graph from a list of [a, b, similarity]. */
const graph = (n: number, edges: [number, number, number][]): SimilarityGraph => ({
  n,
  a: Int32Array.from(edges, (e) => Math.min(e[0], e[1])),
  b: Int32Array.from(edges, (e) => Math.max(e[0], e[1])),
  sim: Float32Array.from(edges, (e) => e[2]),
});

// Two tight triangles {0,1,2} and {3,4,5}, a weak bridge 2–3, and note 6 alone.
const twoGroups = graph(7, [
  [0, 1, 0.9], [0, 2, 0.8], [1, 2, 0.85],
  [3, 4, 0.7], [3, 5, 0.75], [4, 5, 0.8],
  [2, 3, 0.1],
]);

describe('averageLinkage', () => {
  it('merges the strongest pairs first and averages over all cross pairs', () => {
    const merges = averageLinkage(twoGroups, 0.01);
    expect(merges[0]).toEqual({ a: 0, b: 1, sim: expect.closeTo(0.9, 5) });
    // {0,1} with 2: (0.8 + 0.85) / 2
    expect(merges.find((m) => (m.a === 2 || m.b === 2) && m.a !== 3 && m.b !== 3)?.sim).toBeCloseTo(0.825, 5);
    // The last merge joins the triangles through one edge of nine pairs: 0.1 / 9.
    expect(merges.at(-1)?.sim).toBeCloseTo(0.1 / 9, 5);
    for (let k = 1; k < merges.length; k++) expect((merges[k] as { sim: number }).sim).toBeLessThanOrEqual((merges[k - 1] as { sim: number }).sim + 1e-9);
  });

  it('is cut into clusters by threshold', () => {
    const merges = averageLinkage(twoGroups, 0.01);
    const roots = cutTree(7, merges, 0.5);
    expect(roots[0]).toBe(roots[1]);
    expect(roots[1]).toBe(roots[2]);
    expect(roots[3]).toBe(roots[5]);
    expect(roots[0]).not.toBe(roots[3]);
    expect(roots[6]).toBe(6);
  });
});

describe('automatic threshold', () => {
  it('finds the cut that separates the two groups and leaves the loner alone', () => {
    const merges = averageLinkage(twoGroups, 0.01);
    const t = chooseThreshold(twoGroups, merges) as number;
    const roots = cutTree(7, merges, t);
    expect(new Set([roots[0], roots[1], roots[2]]).size).toBe(1);
    expect(new Set([roots[3], roots[4], roots[5]]).size).toBe(1);
    expect(roots[0]).not.toBe(roots[3]);
    expect(roots[6]).toBe(6);
  });

  it('keeps everyone alone when there is no structure', () => {
    const empty = graph(4, []);
    expect(chooseThreshold(empty, averageLinkage(empty, 0.01))).toBeUndefined();
  });

  it('scores a good partition above a bad one', () => {
    const adj = adjacency(twoGroups);
    const good = Int32Array.from([0, 0, 0, 3, 3, 3, 6]);
    const bad = Int32Array.from([0, 0, 3, 3, 6, 6, 6]);
    expect(silhouette(adj, good)).toBeGreaterThan(silhouette(adj, bad));
  });
});

describe('sharedNeighborGraph', () => {
  it('links notes that share neighbours, symmetrically and once per pair', () => {
    // 0 and 1 both resemble 2 but not each other.
    const knn: NeighborLists = {
      n: 4,
      start: Int32Array.from([0, 1, 2, 4, 4]),
      nbr: Int32Array.from([2, 2, 0, 1]),
      sim: Float32Array.from([0.6, 0.6, 0.6, 0.6]),
    };
    const g = sharedNeighborGraph(knn, 0, 10);
    const pairs = Array.from(g.a, (a, e) => `${a}-${g.b[e]}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    expect(pairs).toContain('0-1');
    expect(pairs.every((p) => !p.includes('3'))).toBe(true);
    Array.from(g.a).forEach((a, e) => expect(a).toBeLessThan(g.b[e] as number));
  });
});
