/**
 * All-pairs cosine similarity without the n² loop over dense vectors: dot products are
 * accumulated through an inverted index (feature → notes holding it), so a pair costs only the
 * features the two notes share. Only pairs above a floor are kept, and of those at most
 * `maxNeighbors` per note, which keeps the graph — and the agglomeration over it — small.
 */
import type { SparseVector } from './vectorize.ts';

/** Weighted undirected graph of similar notes, edges as parallel arrays (a < b). */
export interface SimilarityGraph {
  n: number;
  a: Int32Array;
  b: Int32Array;
  sim: Float32Array;
  /** Per note, the similarity of its nearest neighbour (0 when none). */
  nearest: Float32Array;
  /** Mean and standard deviation of the similarity over all n(n−1)/2 pairs, zeros included. */
  mean: number;
  sd: number;
}

/** Options of {@link buildSimilarityGraph}. */
export interface GraphOptions {
  /** Pairs below this similarity are dropped. */
  floor: number;
  /** Each note keeps its this-many most similar neighbours (an edge stays if either end keeps it). */
  maxNeighbors: number;
}

/** Computes the similarity graph of L2-normalised sparse vectors. */
export function buildSimilarityGraph(vectors: readonly SparseVector[], featureCount: number, opts: GraphOptions): SimilarityGraph {
  const n = vectors.length;
  const { start, doc, val } = invertedIndex(vectors, featureCount);
  const seen = new Int32Array(featureCount); // postings of each feature already passed
  const acc = new Float64Array(n);
  const touched = new Int32Array(n);
  const nearest = new Float32Array(n);
  const edges = new EdgeList();
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const v = vectors[i] as SparseVector;
    let nTouched = 0;
    for (let k = 0; k < v.idx.length; k++) {
      const f = v.idx[k] as number;
      const w = v.val[k] as number;
      // Postings are in note order, so those after i's own entry are exactly the notes j > i.
      const from = (start[f] as number) + (seen[f] as number) + 1;
      seen[f] = (seen[f] as number) + 1;
      const to = start[f + 1] as number;
      for (let p = from; p < to; p++) {
        const j = doc[p] as number;
        if (acc[j] === 0) touched[nTouched++] = j;
        acc[j] = (acc[j] as number) + w * (val[p] as number);
      }
    }
    for (let t = 0; t < nTouched; t++) {
      const j = touched[t] as number;
      const s = Math.min(1, acc[j] as number);
      acc[j] = 0;
      sum += s;
      sumSq += s * s;
      if (s > (nearest[i] as number)) nearest[i] = s;
      if (s > (nearest[j] as number)) nearest[j] = s;
      if (s >= opts.floor) edges.push(i, j, s);
    }
  }
  const pairs = (n * (n - 1)) / 2;
  const mean = pairs > 0 ? sum / pairs : 0;
  const sd = pairs > 0 ? Math.sqrt(Math.max(0, sumSq / pairs - mean * mean)) : 0;
  return { n, ...keepNearest(edges, n, opts.maxNeighbors), nearest, mean, sd };
}

function invertedIndex(vectors: readonly SparseVector[], featureCount: number): { start: Int32Array; doc: Int32Array; val: Float32Array } {
  const start = new Int32Array(featureCount + 1);
  for (const v of vectors) for (const f of v.idx) start[f + 1] = (start[f + 1] as number) + 1;
  for (let f = 0; f < featureCount; f++) start[f + 1] = (start[f + 1] as number) + (start[f] as number);
  const fill = start.slice(0, featureCount);
  const doc = new Int32Array(start[featureCount] as number);
  const val = new Float32Array(doc.length);
  vectors.forEach((v, i) => {
    for (let k = 0; k < v.idx.length; k++) {
      const f = v.idx[k] as number;
      const p = fill[f] as number;
      doc[p] = i;
      val[p] = v.val[k] as number;
      fill[f] = p + 1;
    }
  });
  return { start, doc, val };
}

/** Keeps an edge when it is among the `k` strongest of either endpoint. */
function keepNearest(edges: EdgeList, n: number, k: number): { a: Int32Array; b: Int32Array; sim: Float32Array } {
  const m = edges.length;
  const degree = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) {
    degree[(edges.a[e] as number) + 1]++;
    degree[(edges.b[e] as number) + 1]++;
  }
  if (degree.every((d) => d <= k)) return edges.trimmed();
  for (let i = 0; i < n; i++) degree[i + 1] = (degree[i + 1] as number) + (degree[i] as number);
  const fill = degree.slice(0, n);
  const incident = new Int32Array(2 * m);
  for (let e = 0; e < m; e++) {
    incident[fill[edges.a[e] as number]++] = e;
    incident[fill[edges.b[e] as number]++] = e;
  }
  const keep = new Uint8Array(m);
  for (let i = 0; i < n; i++) {
    const list = Array.from(incident.subarray(degree[i], degree[i + 1]));
    list.sort((x, y) => (edges.sim[y] as number) - (edges.sim[x] as number) || x - y);
    for (let r = 0; r < Math.min(k, list.length); r++) keep[list[r] as number] = 1;
  }
  const out = new EdgeList();
  for (let e = 0; e < m; e++) if (keep[e]) out.push(edges.a[e] as number, edges.b[e] as number, edges.sim[e] as number);
  return out.trimmed();
}

/** Growable parallel typed arrays: a large wall has millions of candidate pairs. */
class EdgeList {
  a = new Int32Array(1024);
  b = new Int32Array(1024);
  sim = new Float32Array(1024);
  length = 0;

  push(a: number, b: number, s: number): void {
    if (this.length === this.a.length) {
      const grow = <T extends Int32Array | Float32Array>(x: T, make: (len: number) => T): T => {
        const y = make(x.length * 2);
        y.set(x);
        return y;
      };
      this.a = grow(this.a, (l) => new Int32Array(l));
      this.b = grow(this.b, (l) => new Int32Array(l));
      this.sim = grow(this.sim, (l) => new Float32Array(l));
    }
    this.a[this.length] = a;
    this.b[this.length] = b;
    this.sim[this.length] = s;
    this.length++;
  }

  trimmed(): { a: Int32Array; b: Int32Array; sim: Float32Array } {
    return { a: this.a.slice(0, this.length), b: this.b.slice(0, this.length), sim: this.sim.slice(0, this.length) };
  }
}
