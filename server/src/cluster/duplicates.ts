/**
 * Same-organization near-duplicates: two people from one organization often post the same
 * activity twice, in other words or the other language. Across organizations a close pair is the
 * very thing the workshop looks for, so it is never reported here.
 */
import { foldAccents } from './normalize.ts';
import { listsNeighbor, type NeighborLists } from './similarity.ts';
import type { ClusterNote, DuplicatePair } from './types.ts';

/**
 * Pairs a result carries at most, the closest first (R258). A wall where one organization posted
 * the same activity many times yields a pair per copy and neighbour — 170,000 on a 20,000-note
 * replicated wall, 7 MB sent to every host and a list no one reads; the result says how many were
 * found (`duplicateCount`), and merging the first ones then running again shows the next.
 */
export const MAX_DUPLICATE_PAIRS = 100;

/** Default first-order cosine above which two same-organization notes are offered for merge. */
export const DEFAULT_DUPLICATE_THRESHOLD = 0.7;

/** Organization names compare without case, accents or spacing differences. */
export function sameOrgKey(org: string | undefined): string {
  return foldAccents(org ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * Finds duplicate pairs among each note's nearest neighbours (a near-duplicate is always among
 * them), most similar first.
 */
export function findDuplicates(notes: readonly ClusterNote[], knn: NeighborLists, threshold: number): DuplicatePair[] {
  const orgs = notes.map((n) => sameOrgKey(n.org));
  // A pair both notes list is taken from the lower one's row: each pair once, without a set of keys
  // (a large wall of reposts holds hundreds of thousands of them).
  const pairs: DuplicatePair[] = [];
  for (let i = 0; i < knn.n; i++) {
    for (let p = knn.start[i] as number; p < (knn.start[i + 1] as number); p++) {
      const s = knn.sim[p] as number;
      if (s < threshold) break; // sorted, best first
      const j = knn.nbr[p] as number;
      if (!orgs[i] || orgs[i] !== orgs[j] || (j < i && listsNeighbor(knn, j, i, threshold))) continue;
      const [a, b] = [notes[Math.min(i, j)] as ClusterNote, notes[Math.max(i, j)] as ClusterNote];
      pairs.push({ noteIds: [a.id, b.id], score: round(s) });
    }
  }
  return pairs.sort((x, y) => y.score - x.score || (x.noteIds[0] < y.noteIds[0] ? -1 : x.noteIds[0] > y.noteIds[0] ? 1 : x.noteIds[1] < y.noteIds[1] ? -1 : 1));
}

/** Scores are rounded so that results are stable to compare and compact to send. */
export function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
