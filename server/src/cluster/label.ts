/**
 * Names a cluster after what its members share. A term qualifies when at least two members hold
 * it; terms are ranked by their weight in the cluster's centroid (mean TF-IDF over members), which
 * favours terms most members hold and that are rare on the wall — "mentorat" beats "jeunes",
 * which every note mentions — and a concept named outright beats the broader one it implies.
 * Concepts are shown in the cluster's majority language; stems as members actually wrote them.
 */
import { conceptLabel, type ConceptMatcher } from './concepts.ts';
import type { NoteFeatures } from './features.ts';
import { foldAccents } from './normalize.ts';
import type { Lang } from './stem.ts';
import type { Vectorized } from './vectorize.ts';

/** Terms kept in `Cluster.terms`. */
export const MAX_TERMS = 6;
/** Terms joined into `Cluster.label`. */
export const LABEL_TERMS = 3;
/** Length of a fallback label taken from the representative note. */
const SUMMARY_LENGTH = 60;

/** What a cluster is called and why. */
export interface ClusterDescription {
  label: string;
  terms: string[];
}

/** What labelling needs from the whole wall; build once per run with {@link labelContext}. */
export interface LabelContext {
  feats: readonly NoteFeatures[];
  vec: Vectorized;
  matcher: ConceptMatcher;
  /** Note texts, for the fallback label when members share no term. */
  texts: readonly string[];
}

/** Prepares labelling for one run. */
export function labelContext(feats: readonly NoteFeatures[], vec: Vectorized, matcher: ConceptMatcher, texts: readonly string[]): LabelContext {
  return { feats, vec, matcher, texts };
}

/** A term that at least two members share, as shown and as the engine keys it. */
export interface SharedTerm {
  /** Feature key: `C:<concept id>`, `S:<stem>` or `A:<acronym>`. */
  key: string;
  /** As shown: the concept in the cluster's language, or the stem as members wrote it. */
  shown: string;
  /** Members holding it. */
  holders: number;
}

/**
 * Terms at least two members hold, most distinctive first (centroid TF-IDF weight), one per shown
 * form. A stem that a glossary term covered in every note holding it is left out when those notes
 * also share a concept: it is already shown as the concept. (When they do not — "reconnaissance"
 * of volunteers and "reconnaissance des acquis" — the word itself is what they share.)
 *
 * @param members note indices of the cluster.
 */
export function sharedTerms(members: readonly number[], lang: Lang, ctx: LabelContext): SharedTerm[] {
  const { feats, vec, matcher } = ctx;
  const centroid = new Map<number, number>();
  for (const i of members) {
    const v = vec.vectors[i];
    if (!v) continue;
    for (let p = 0; p < v.idx.length; p++) {
      const f = v.idx[p] as number;
      if (f < vec.wordFeatureCount) centroid.set(f, (centroid.get(f) ?? 0) + (v.val[p] as number));
    }
  }
  const holders = new Map<string, number[]>();
  for (const i of members) {
    for (const key of (feats[i] as NoteFeatures).words.keys()) {
      const list = holders.get(key);
      if (list) list.push(i);
      else holders.set(key, [i]);
    }
  }
  const featureIndex = (key: string): number => binarySearch(vec.features, key, vec.wordFeatureCount);
  const ranked: { key: string; score: number }[] = [];
  for (const [key, who] of holders) {
    if (who.length < 2) continue;
    if (key.startsWith('S:') && who.every((i) => (feats[i] as NoteFeatures).covered.has(key)) && sharesConcept(who, holders)) continue;
    ranked.push({ key, score: centroid.get(featureIndex(key)) ?? 0 });
  }
  ranked.sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : 1));
  const out: SharedTerm[] = [];
  const seen = new Set<string>();
  for (const { key } of ranked) {
    const who = holders.get(key) as number[];
    const shown = key.startsWith('C:') ? conceptLabel(matcher, key.slice(2), lang) : surface(key, who, feats, lang);
    const norm = foldAccents(shown).toLowerCase();
    if (seen.has(norm)) continue;
    seen.add(norm);
    out.push({ key, shown, holders: who.length });
  }
  return out;
}

/**
 * Describes one cluster.
 *
 * @param members note indices, most central first (the first is the representative).
 */
export function describeCluster(members: readonly number[], lang: Lang, ctx: LabelContext, shared = sharedTerms(members, lang, ctx)): ClusterDescription {
  const terms = shared.slice(0, MAX_TERMS).map((t) => t.shown);
  const label = terms.length > 0 ? terms.slice(0, LABEL_TERMS).join(' · ') : summarize(ctx.texts[members[0] as number] ?? '');
  return { label, terms };
}

/** True when some concept is held by every note of `who`. */
function sharesConcept(who: readonly number[], holders: ReadonlyMap<string, number[]>): boolean {
  for (const [key, list] of holders) if (key.startsWith('C:') && who.every((i) => list.includes(i))) return true;
  return false;
}

/** The commonest way members wrote a stem, preferring members writing in the label's language. */
function surface(key: string, who: readonly number[], feats: readonly NoteFeatures[], lang: Lang): string {
  const counts = new Map<string, number>();
  for (const i of who) {
    const f = feats[i] as NoteFeatures;
    const s = f.surfaces.get(key);
    if (s) counts.set(s, (counts.get(s) ?? 0) + (f.lang === lang ? 1 : 0.01));
  }
  let best = key.slice(2);
  let bestCount = 0;
  for (const [s, c] of counts) if (c > bestCount || (c === bestCount && s < best)) [best, bestCount] = [s, c];
  return best;
}

/** Index of `key` among the first `count` features, which vectorize() sorted. -1 when absent. */
function binarySearch(features: readonly string[], key: string, count: number): number {
  let lo = 0;
  let hi = count - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const f = features[mid] as string;
    if (f === key) return mid;
    if (f < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function summarize(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length <= SUMMARY_LENGTH ? t : `${t.slice(0, SUMMARY_LENGTH - 1).trimEnd()}…`;
}
