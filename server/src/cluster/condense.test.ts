import { describe, expect, it } from 'vitest';
import { centroid, condense } from './condense.ts';
import { nearestNeighbors } from './similarity.ts';
import type { SparseVector } from './vectorize.ts';

const vec = (entries: Record<number, number>): SparseVector => {
  const idx = Int32Array.from(Object.keys(entries).map(Number));
  const norm = Math.hypot(...Object.values(entries));
  return { idx, val: Float32Array.from(idx, (f) => (entries[f] as number) / norm) };
};

describe('R170: condensing near-copies before clustering', () => {
  it('R170: folds near-copies into one item and leaves distinct notes alone', () => {
    const vectors = [vec({ 0: 1, 1: 1 }), vec({ 0: 1, 1: 0.9 }), vec({ 0: 1, 1: 1, 2: 0.2 }), vec({ 3: 1 }), vec({ 4: 1, 3: 0.5 })]; // cosine 0.45 between the last two
    const knn = nearestNeighbors(vectors, 5, 3);
    const { items, vectors: centroids, knn: lists } = condense(vectors, 5, knn, 3);
    expect(items).toContainEqual([0, 1, 2]);
    expect(items).toContainEqual([3]);
    expect(items).toContainEqual([4]);
    expect(centroids).toHaveLength(items.length);
    expect(lists.n).toBe(items.length);
  });

  it('R170: a centroid is the normalised sum and leaves its scratch space zeroed', () => {
    const acc = new Float64Array(3);
    const c = centroid([vec({ 0: 1 }), vec({ 1: 1 })], acc);
    const byFeature = new Map([...c.idx].map((f, p) => [f, c.val[p] as number]));
    expect(byFeature.get(0)).toBeCloseTo(Math.SQRT1_2, 6);
    expect(byFeature.get(1)).toBeCloseTo(Math.SQRT1_2, 6);
    expect([...acc]).toEqual([0, 0, 0]);
  });
});
