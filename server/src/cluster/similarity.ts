/**
 * Nearest neighbours by cosine similarity, without the n² loop over dense vectors: dot products
 * are accumulated through an inverted index (feature → notes holding it), so a pair costs only
 * the features the two notes share. Each note keeps its `k` most similar notes.
 *
 * The cost is Σ df² over features. On a large wall a few common features (character n-grams such
 * as " de ", words such as "jeunes") make most of it, so above {@link PAIR_WORK_BUDGET} the
 * commonest features stop *proposing* neighbours but still *count*: each note's candidates come
 * from its rarer features, the best {@link RESCORED_CANDIDATES} of them by that partial score are
 * rescored with the common features added, and the `k` best exact cosines are kept. Every
 * similarity reported is then the exact cosine of the full vectors, whatever the size of the wall.
 * Before (issue 18), the common features were dropped from the vectors themselves: a
 * 20,000-note wall lost every n-gram, copies with a typo no longer met, and ARI fell to 0.33.
 */
import { TopK } from './topk.ts';
import type { SparseVector } from './vectorize.ts';

/**
 * Work budget of the candidate pass (Σ df² over the features that propose neighbours). Walls up
 * to about 4,000 notes stay under it, and there every pair sharing a feature is scored.
 */
export const PAIR_WORK_BUDGET = 30_000_000;
/** Candidates per note rescored with the common features, above the budget. */
export const RESCORED_CANDIDATES = 60;

/** Each note's nearest neighbours (CSR layout), most similar first. */
export interface NeighborLists {
  n: number;
  /** Neighbours of note i are at positions start[i] … start[i + 1] − 1. */
  start: Int32Array;
  nbr: Int32Array;
  sim: Float32Array;
}

/**
 * Finds each note's `k` nearest neighbours among notes with a positive similarity.
 *
 * @param vectors L2-normalised sparse vectors.
 * @param featureCount size of the feature space (indices are below it).
 * @param budget work budget of the candidate pass (tests lower it to exercise rescoring).
 */
export function nearestNeighbors(vectors: readonly SparseVector[], featureCount: number, k: number, budget = PAIR_WORK_BUDGET): NeighborLists {
  const n = vectors.length;
  const index = invertedIndex(vectors, featureCount);
  const common = commonFeatures(index.start, budget);
  const rescore = common ? new Rescorer(vectors, common, featureCount, Math.max(k, RESCORED_CANDIDATES)) : null;
  const acc = new Float64Array(n);
  const touched = new Int32Array(n);
  const heap = new TopK(k);
  const start = new Int32Array(n + 1);
  const nbr = new Int32Array(n * k);
  const sim = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    const v = vectors[i] as SparseVector;
    let nTouched = 0;
    for (let p = 0; p < v.idx.length; p++) {
      const f = v.idx[p] as number;
      if (common?.[f]) continue;
      const w = v.val[p] as number;
      for (let q = index.start[f] as number; q < (index.start[f + 1] as number); q++) {
        const j = index.doc[q] as number;
        if (j === i) continue;
        if (acc[j] === 0) touched[nTouched++] = j;
        acc[j] = (acc[j] as number) + w * (index.val[q] as number);
      }
    }
    heap.clear();
    if (rescore) rescore.best(i, acc, touched, nTouched, heap);
    else for (let t = 0; t < nTouched; t++) heap.offer(Math.min(1, acc[touched[t] as number] as number), touched[t] as number);
    for (let t = 0; t < nTouched; t++) acc[touched[t] as number] = 0;
    const base = start[i] as number;
    start[i + 1] = base + heap.drainInto(nbr, sim, base);
  }
  const used = start[n] as number;
  return { n, start, nbr: nbr.slice(0, used), sim: sim.slice(0, used) };
}

/**
 * True when note `row` lists `x` among its neighbours at or above `floor` (rows are best first,
 * so the scan stops at the floor): how a pair both ends list is emitted once, from one row.
 */
export function listsNeighbor(knn: NeighborLists, row: number, x: number, floor: number): boolean {
  for (let p = knn.start[row] as number; p < (knn.start[row + 1] as number); p++) {
    if ((knn.sim[p] as number) < floor) return false;
    if (knn.nbr[p] === x) return true;
  }
  return false;
}

/**
 * The commonest features, marked, until the rest fit the budget; null when all fit (ties of df
 * are broken by feature index so that the split does not depend on anything else).
 */
function commonFeatures(fStart: Int32Array, budget: number): Uint8Array | null {
  const featureCount = fStart.length - 1;
  const df = (f: number): number => (fStart[f + 1] as number) - (fStart[f] as number);
  let work = 0;
  for (let f = 0; f < featureCount; f++) work += df(f) * df(f);
  if (work <= budget) return null;
  const byDf = Array.from({ length: featureCount }, (_, f) => f).sort((a, b) => df(b) - df(a) || a - b);
  const common = new Uint8Array(featureCount);
  for (const f of byDf) {
    if (work <= budget) break;
    common[f] = 1;
    work -= df(f) * df(f);
  }
  return common;
}

/** Adds the common features' share to the best partial scores of a note (see the file comment). */
class Rescorer {
  /** Per note, its common features and their weights (CSR). */
  private readonly start: Int32Array;
  private readonly feat: Int32Array;
  private readonly w: Float32Array;
  /** The current note's common weights, by feature; zero elsewhere. */
  private readonly dense: Float64Array;
  private readonly cand: TopK;
  private readonly candIds: Int32Array;
  private readonly candSims: Float32Array;

  constructor(vectors: readonly SparseVector[], common: Uint8Array, featureCount: number, candidates: number) {
    const n = vectors.length;
    this.start = new Int32Array(n + 1);
    vectors.forEach((v, i) => {
      let c = 0;
      for (const f of v.idx) c += common[f] as number;
      this.start[i + 1] = (this.start[i] as number) + c;
    });
    this.feat = new Int32Array(this.start[n] as number);
    this.w = new Float32Array(this.feat.length);
    vectors.forEach((v, i) => {
      let at = this.start[i] as number;
      for (let p = 0; p < v.idx.length; p++) {
        if (!common[v.idx[p] as number]) continue;
        this.feat[at] = v.idx[p] as number;
        this.w[at++] = v.val[p] as number;
      }
    });
    this.dense = new Float64Array(featureCount);
    this.cand = new TopK(candidates);
    this.candIds = new Int32Array(candidates);
    this.candSims = new Float32Array(candidates);
  }

  /** Offers note i's best candidates to `heap` with their exact cosine. */
  best(i: number, partial: Float64Array, touched: Int32Array, nTouched: number, heap: TopK): void {
    this.cand.clear();
    for (let t = 0; t < nTouched; t++) this.cand.offer(partial[touched[t] as number] as number, touched[t] as number);
    const count = this.cand.copyInto(this.candIds, this.candSims);
    const from = this.start[i] as number;
    const to = this.start[i + 1] as number;
    for (let p = from; p < to; p++) this.dense[this.feat[p] as number] = this.w[p] as number;
    for (let c = 0; c < count; c++) {
      const j = this.candIds[c] as number;
      let s = partial[j] as number;
      for (let p = this.start[j] as number; p < (this.start[j + 1] as number); p++) s += (this.dense[this.feat[p] as number] as number) * (this.w[p] as number);
      heap.offer(Math.min(1, s), j);
    }
    for (let p = from; p < to; p++) this.dense[this.feat[p] as number] = 0;
  }
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
