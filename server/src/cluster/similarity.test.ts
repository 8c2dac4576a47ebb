import { describe, expect, it } from 'vitest';
import { nearestNeighbors } from './similarity.ts';
import { seededRandom } from './synthetic.ts';
import { TopK } from './topk.ts';
import { vectorize, type SparseVector } from './vectorize.ts';

const bag = (...words: string[]): Map<string, number> => new Map(words.map((w) => [w, 1]));
const dot = (a: SparseVector, b: SparseVector): number => {
  const m = new Map<number, number>();
  a.idx.forEach((f, k) => m.set(f, a.val[k] as number));
  let s = 0;
  b.idx.forEach((f, k) => (s += (m.get(f) ?? 0) * (b.val[k] as number)));
  return s;
};

describe('vectorize', () => {
  it('gives unit vectors whose cosine is 1 for identical notes and 0 for unrelated ones', () => {
    const words = [bag('S:a', 'S:b'), bag('S:a', 'S:b'), bag('S:c'), bag('S:d', 'S:a')];
    const chars = words.map(() => new Map<string, number>());
    const { vectors } = vectorize(words, chars);
    expect(dot(vectors[0] as SparseVector, vectors[0] as SparseVector)).toBeCloseTo(0.7, 5); // word block only
    expect(dot(vectors[0] as SparseVector, vectors[1] as SparseVector)).toBeCloseTo(0.7, 5);
    expect(dot(vectors[0] as SparseVector, vectors[2] as SparseVector)).toBe(0);
  });

  it('weighs rare features above common ones', () => {
    const words = [bag('S:common', 'S:rare'), bag('S:common'), bag('S:common'), bag('S:common')];
    const v = vectorize(words, words.map(() => new Map()));
    const idf = (key: string): number => v.idf[v.features.indexOf(key)] as number;
    expect(idf('S:rare')).toBeGreaterThan(idf('S:common'));
  });
});

describe('nearestNeighbors', () => {
  it('agrees with brute force on random sparse vectors', () => {
    const rnd = seededRandom(3);
    const words = Array.from({ length: 60 }, () => bag(...Array.from({ length: 4 }, () => `S:w${Math.floor(rnd() * 30)}`)));
    const chars = Array.from({ length: 60 }, () => bag(...Array.from({ length: 6 }, () => `g${Math.floor(rnd() * 50)}`)));
    const v = vectorize(words, chars);
    const k = 5;
    const knn = nearestNeighbors(v.vectors, v.features.length, k);
    for (let i = 0; i < 60; i++) {
      const brute = v.vectors
        .map((x, j) => ({ j, s: j === i ? -1 : dot(v.vectors[i] as SparseVector, x) }))
        .filter((e) => e.s > 0)
        .sort((a, b) => b.s - a.s || a.j - b.j)
        .slice(0, k);
      const got = Array.from(knn.nbr.subarray(knn.start[i], knn.start[i + 1]));
      expect(got).toEqual(brute.map((e) => e.j));
      brute.forEach((e, r) => expect(knn.sim[(knn.start[i] as number) + r]).toBeCloseTo(e.s, 5));
    }
    expect(knn.mean).toBeGreaterThan(0);
    expect(knn.sd).toBeGreaterThan(0);
  });
});

describe('TopK', () => {
  it('keeps the best k, ties to the lower id, best first', () => {
    const top = new TopK(3);
    [[0.1, 5], [0.9, 2], [0.5, 7], [0.5, 1], [0.2, 3]].forEach(([s, id]) => top.offer(s as number, id as number));
    const ids = new Int32Array(3);
    const scores = new Float32Array(3);
    expect(top.drainInto(ids, scores, 0)).toBe(3);
    expect(Array.from(ids)).toEqual([2, 1, 7]);
  });
});
