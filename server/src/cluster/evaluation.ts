/**
 * Scores a clustering against a labelled wall, the way docs/clustering.md reports it: ARI, NMI and
 * pairwise F1 over all notes, and again over the French and the English notes alone (the wall is
 * clustered whole; only the scoring is restricted), so a method that serves one language worse
 * shows it. Notes left unclustered count as groups of their own.
 *
 * Used by tests and benchmarks only, never by the engine.
 */
import { adjustedRandIndex, normalizedMutualInfo, pairwiseF1 } from './metrics.ts';
import { detectLanguage } from './stem.ts';
import { tokenize } from './tokenize.ts';
import type { ClusterResult } from './types.ts';

/** A note with its true group. */
export interface Labelled {
  id: string;
  text: string;
  group: string;
}

export interface Scores {
  notes: number;
  ari: number;
  nmi: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface Evaluation extends Scores {
  /** Scores over the notes written in each language (undefined when fewer than 10). */
  fr?: Scores;
  en?: Scores;
}

/** Scores `result` against the groups of `notes`. */
export function evaluate(notes: readonly Labelled[], result: Pick<ClusterResult, 'clusters'>): Evaluation {
  const clusterOf = new Map<string, string>();
  for (const c of result.clusters) for (const id of c.noteIds) clusterOf.set(id, c.id);
  // A fixture's solo notes carry unique groups (solo-1, solo-2…), so they count alone as they are.
  const truth = notes.map((n) => n.group);
  const predicted = notes.map((n) => clusterOf.get(n.id) ?? `alone:${n.id}`);
  const langs = notes.map((n) => detectLanguage(tokenize(n.text)));
  const subset = (lang: 'fr' | 'en'): Scores | undefined => {
    const keep = langs.flatMap((l, i) => (l === lang ? [i] : []));
    return keep.length >= 10 ? scores(keep.map((i) => truth[i]), keep.map((i) => predicted[i])) : undefined;
  };
  const fr = subset('fr');
  const en = subset('en');
  return { ...scores(truth, predicted), ...(fr ? { fr } : {}), ...(en ? { en } : {}) };
}

function scores(truth: readonly unknown[], predicted: readonly unknown[]): Scores {
  return { notes: truth.length, ari: adjustedRandIndex(truth, predicted), nmi: normalizedMutualInfo(truth, predicted), ...pairwiseF1(truth, predicted) };
}
