/**
 * Second-order ("shared neighbour") similarity. Each note is described by its profile — itself
 * plus its nearest neighbours, weighted by similarity — and two notes are compared by the cosine
 * of their profiles. Notes of one theme share neighbours even when they share few words (one in
 * French, one in English, both close to a third), while a note that is like nothing else has
 * weak, idiosyncratic neighbours and stays apart. On the labelled fixture this lifts ARI from
 * about 0.6 to 0.73 over plain cosine (docs/clustering.md).
 */
import type { NeighborLists } from './similarity.ts';
import { TopK } from './topk.ts';

/** Weighted undirected graph, edges as parallel arrays with a < b. */
export interface SimilarityGraph {
  n: number;
  a: Int32Array;
  b: Int32Array;
  sim: Float32Array;
}

/**
 * Builds the shared-neighbour graph.
 *
 * @param floor first-order similarity below which a neighbour is left out of a profile.
 * @param maxEdges each note keeps its this-many strongest edges (an edge stays if either end keeps it).
 */
export function sharedNeighborGraph(knn: NeighborLists, floor: number, maxEdges: number): SimilarityGraph {
  const { n } = knn;
  const profiles = buildProfiles(knn, floor);
  const holders = invert(profiles, n);
  const acc = new Float64Array(n);
  const touched = new Int32Array(n);
  const top = new TopK(maxEdges);
  const rowStart = new Int32Array(n + 1);
  const rowNbr = new Int32Array(n * maxEdges);
  const rowSim = new Float32Array(n * maxEdges);
  for (let i = 0; i < n; i++) {
    let nTouched = 0;
    for (let q = profiles.start[i] as number; q < (profiles.start[i + 1] as number); q++) {
      const w = profiles.val[q] as number;
      const k = profiles.idx[q] as number;
      for (let h = holders.start[k] as number; h < (holders.start[k + 1] as number); h++) {
        const j = holders.who[h] as number;
        if (j === i) continue;
        if (acc[j] === 0) touched[nTouched++] = j;
        acc[j] = (acc[j] as number) + w * (holders.w[h] as number);
      }
    }
    top.clear();
    for (let t = 0; t < nTouched; t++) {
      const j = touched[t] as number;
      top.offer(Math.min(1, acc[j] as number), j);
      acc[j] = 0;
    }
    rowStart[i + 1] = (rowStart[i] as number) + top.drainInto(rowNbr, rowSim, rowStart[i] as number);
  }
  return { n, ...symmetric(rowStart, rowNbr, rowSim) };
}

interface Profiles {
  start: Int32Array;
  idx: Int32Array;
  val: Float64Array;
}

/** Profile of note i: i itself (weight 1) and its neighbours at or above `floor`, L2-normalised. */
function buildProfiles(knn: NeighborLists, floor: number): Profiles {
  const start = new Int32Array(knn.n + 1);
  const idx = new Int32Array(knn.n + knn.nbr.length);
  const val = new Float64Array(idx.length);
  let at = 0;
  for (let i = 0; i < knn.n; i++) {
    const from = at;
    idx[at] = i;
    val[at++] = 1;
    let norm = 1;
    for (let p = knn.start[i] as number; p < (knn.start[i + 1] as number); p++) {
      const s = knn.sim[p] as number;
      if (s < floor) break; // best first
      idx[at] = knn.nbr[p] as number;
      val[at++] = s;
      norm += s * s;
    }
    const scale = 1 / Math.sqrt(norm);
    for (let q = from; q < at; q++) val[q] = (val[q] as number) * scale;
    start[i + 1] = at;
  }
  return { start, idx, val };
}

/** For each note k, the profiles holding it, with the weight they give it. */
function invert(p: Profiles, n: number): { start: Int32Array; who: Int32Array; w: Float64Array } {
  const used = p.start[n] as number;
  const start = new Int32Array(n + 1);
  for (let q = 0; q < used; q++) {
    const k = (p.idx[q] as number) + 1;
    start[k] = (start[k] as number) + 1;
  }
  for (let k = 0; k < n; k++) start[k + 1] = (start[k + 1] as number) + (start[k] as number);
  const fill = start.slice(0, n);
  const who = new Int32Array(used);
  const w = new Float64Array(used);
  for (let i = 0; i < n; i++) {
    for (let q = p.start[i] as number; q < (p.start[i + 1] as number); q++) {
      const k = p.idx[q] as number;
      const at = fill[k] as number;
      who[at] = i;
      w[at] = p.val[q] as number;
      fill[k] = at + 1;
    }
  }
  return { start, who, w };
}

/**
 * Union of the per-note edge lists as undirected edges: (i, j) is emitted from row min(i, j)'s
 * point of view once, whichever rows hold it.
 */
function symmetric(start: Int32Array, nbr: Int32Array, sim: Float32Array): { a: Int32Array; b: Int32Array; sim: Float32Array } {
  const n = start.length - 1;
  const holds = (row: number, x: number): boolean => {
    for (let p = start[row] as number; p < (start[row + 1] as number); p++) if (nbr[p] === x) return true;
    return false;
  };
  const a: number[] = [];
  const b: number[] = [];
  const s: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let p = start[i] as number; p < (start[i + 1] as number); p++) {
      const j = nbr[p] as number;
      if (j < i && holds(j, i)) continue; // already emitted from row j
      a.push(Math.min(i, j));
      b.push(Math.max(i, j));
      s.push(sim[p] as number);
    }
  }
  return { a: Int32Array.from(a), b: Int32Array.from(b), sim: Float32Array.from(s) };
}
