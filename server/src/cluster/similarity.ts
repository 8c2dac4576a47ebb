/**
 * Nearest neighbours by cosine similarity, without the n² loop over dense vectors: dot products
 * are accumulated through an inverted index (feature → notes holding it), so a pair costs only
 * the features the two notes share. Each note keeps its `k` most similar notes.
 */
import { TopK } from './topk.ts';
import type { SparseVector } from './vectorize.ts';

/** Each note's nearest neighbours (CSR layout), most similar first. */
export interface NeighborLists {
  n: number;
  /** Neighbours of note i are at positions start[i] … start[i + 1] − 1. */
  start: Int32Array;
  nbr: Int32Array;
  sim: Float32Array;
  /** Mean and standard deviation of the cosine over all ordered pairs, zeros included. */
  mean: number;
  sd: number;
}

/**
 * Finds each note's `k` nearest neighbours among notes with a positive similarity.
 *
 * @param vectors L2-normalised sparse vectors.
 * @param featureCount size of the feature space (indices are below it).
 */
export function nearestNeighbors(vectors: readonly SparseVector[], featureCount: number, k: number): NeighborLists {
  const n = vectors.length;
  const { start: fStart, doc, val } = invertedIndex(vectors, featureCount);
  const acc = new Float64Array(n);
  const touched = new Int32Array(n);
  const heap = new TopK(k);
  const start = new Int32Array(n + 1);
  const nbr = new Int32Array(n * k);
  const sim = new Float32Array(n * k);
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const v = vectors[i] as SparseVector;
    let nTouched = 0;
    for (let p = 0; p < v.idx.length; p++) {
      const f = v.idx[p] as number;
      const w = v.val[p] as number;
      for (let q = fStart[f] as number; q < (fStart[f + 1] as number); q++) {
        const j = doc[q] as number;
        if (j === i) continue;
        if (acc[j] === 0) touched[nTouched++] = j;
        acc[j] = (acc[j] as number) + w * (val[q] as number);
      }
    }
    heap.clear();
    for (let t = 0; t < nTouched; t++) {
      const j = touched[t] as number;
      const s = Math.min(1, acc[j] as number);
      acc[j] = 0;
      sum += s;
      sumSq += s * s;
      heap.offer(s, j);
    }
    const base = start[i] as number;
    const count = heap.drainInto(nbr, sim, base);
    start[i + 1] = base + count;
  }
  const pairs = n * (n - 1);
  const mean = pairs > 0 ? sum / pairs : 0;
  const sd = pairs > 0 ? Math.sqrt(Math.max(0, sumSq / pairs - mean * mean)) : 0;
  const used = start[n] as number;
  return { n, start, nbr: nbr.slice(0, used), sim: sim.slice(0, used), mean, sd };
}

function invertedIndex(vectors: readonly SparseVector[], featureCount: number): { start: Int32Array; doc: Int32Array; val: Float32Array } {
  const start = new Int32Array(featureCount + 1);
  for (const v of vectors) for (const f of v.idx) start[f + 1] = (start[f + 1] as number) + 1;
  for (let f = 0; f < featureCount; f++) start[f + 1] = (start[f + 1] as number) + (start[f] as number);
  const fill = start.slice(0, featureCount);
  const doc = new Int32Array(start[featureCount] as number);
  const val = new Float32Array(doc.length);
  vectors.forEach((v, i) => {
    for (let p = 0; p < v.idx.length; p++) {
      const f = v.idx[p] as number;
      const at = fill[f] as number;
      doc[at] = i;
      val[at] = v.val[p] as number;
      fill[f] = at + 1;
    }
  });
  return { start, doc, val };
}
