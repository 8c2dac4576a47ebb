/**
 * Condensing a wall before clustering it: notes that say nearly the same thing (copies,
 * paraphrases, the same activity posted by five people) are folded into one item whose vector is
 * their centroid, and the shared-neighbour clustering runs on the items.
 *
 * Why (issue 18): the shared-neighbour step looks at each note's 20 nearest neighbours. On a
 * large wall those 20 places are all taken by near-copies of the note itself, so two notes of
 * the same theme but of different wording share no neighbour, and average linkage over that
 * sparse graph (absent pairs counting as 0) never lets a group grow past the size of the
 * neighbour list: 5,000 notes came out as ~200 clusters of copies, recall 0.15. Folding the
 * copies first gives the neighbour lists back to distinct wordings, so a 5,000-note wall made of
 * the same activities clusters like the 300-note one, and faster (the graph is built over items).
 *
 * A fold is average linkage over the first-order (cosine) neighbour graph, stopped at
 * {@link CONDENSE_SIMILARITY}: on the replicated fixture, copies of one note sit at median cosine
 * 0.64 while the closest notes of another theme rarely pass 0.42 (99th percentile). Rounds repeat
 * on the centroids — a centroid averages its copies' noise away — until nothing folds.
 */
import { averageLinkage, cutTree } from './agglomerate.ts';
import { listsNeighbor, nearestNeighbors, type NeighborLists } from './similarity.ts';
import type { SparseVector } from './vectorize.ts';

/** Mean cosine at or above which notes fold into one item. */
export const CONDENSE_SIMILARITY = 0.5;
/** Rounds at most: each one folds items of the previous, and stops early when nothing folds. */
const MAX_ROUNDS = 4;

/** The wall as items: each item is one note or a fold of near-copies. */
export interface Condensed {
  /** Note indices of each item, in note order. */
  items: number[][];
  /** Centroid of each item (L2-normalised; the note's own vector for a single note). */
  vectors: SparseVector[];
  /** Neighbour lists between items, `k` per item, as the clustering needs them. */
  knn: NeighborLists;
}

/**
 * Folds near-copies.
 *
 * @param knn each note's nearest neighbours (first-order cosine), reused for the first round.
 * @param k neighbours per item in the returned lists.
 */
export function condense(vectors: readonly SparseVector[], featureCount: number, knn: NeighborLists, k: number): Condensed {
  let items = vectors.map((_, i) => [i]);
  let itemVectors = [...vectors];
  let lists = knn;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const merges = averageLinkage(graphOf(lists, CONDENSE_SIMILARITY), CONDENSE_SIMILARITY);
    if (merges.length === 0) break;
    const roots = cutTree(items.length, merges, CONDENSE_SIMILARITY);
    const byRoot = new Map<number, number[]>();
    roots.forEach((r, item) => {
      const group = byRoot.get(r);
      if (group) group.push(item);
      else byRoot.set(r, [item]);
    });
    const folded = [...byRoot.values()];
    items = folded.map((group) => group.flatMap((item) => items[item] as number[]).sort((a, b) => a - b));
    const acc = new Float64Array(featureCount);
    itemVectors = items.map((notes) => centroid(notes.map((i) => vectors[i] as SparseVector), acc));
    lists = nearestNeighbors(itemVectors, featureCount, k);
  }
  return { items, vectors: itemVectors, knn: lists };
}

/**
 * Edges of the neighbour lists at or above `floor`, each pair once (a < b): a pair listed by both
 * ends is emitted from the lower one's row (rows hold k entries, so the check is a short scan).
 */
function graphOf(knn: NeighborLists, floor: number): { n: number; a: Int32Array; b: Int32Array; sim: Float32Array } {
  const a: number[] = [];
  const b: number[] = [];
  const sim: number[] = [];
  for (let i = 0; i < knn.n; i++) {
    for (let p = knn.start[i] as number; p < (knn.start[i + 1] as number); p++) {
      const s = knn.sim[p] as number;
      if (s < floor) break; // best first
      const j = knn.nbr[p] as number;
      if (j < i && listsNeighbor(knn, j, i, floor)) continue; // emitted from row j
      a.push(Math.min(i, j));
      b.push(Math.max(i, j));
      sim.push(s);
    }
  }
  return { n: knn.n, a: Int32Array.from(a), b: Int32Array.from(b), sim: Float32Array.from(sim) };
}

/**
 * Sum of vectors, L2-normalised; a single vector is returned as is.
 *
 * @param acc zeroed scratch space of the feature count, left zeroed (one per wall, not per item).
 */
export function centroid(vs: readonly SparseVector[], acc: Float64Array): SparseVector {
  if (vs.length === 1) return vs[0] as SparseVector;
  const used: number[] = [];
  for (const v of vs) {
    for (let p = 0; p < v.idx.length; p++) {
      const f = v.idx[p] as number;
      if (acc[f] === 0) used.push(f);
      acc[f] = (acc[f] as number) + (v.val[p] as number);
    }
  }
  let norm = 0;
  for (const f of used) norm += (acc[f] as number) ** 2;
  const s = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  const idx = Int32Array.from(used);
  const val = Float32Array.from(used, (f) => (acc[f] as number) * s);
  for (const f of used) acc[f] = 0;
  return { idx, val };
}
