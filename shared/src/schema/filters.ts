/**
 * Filters and full-text search over notes (the review view). Pure functions, shared so that every
 * view — list, canvas, and the server if it ever filters an export — selects the same notes.
 *
 * Search is French/English aware the cheap way: accents and ligatures folded ("élève" = "eleve",
 * "cœur" = "coeur"), case ignored, French elisions dropped ("l'école" → "ecole"), plurals reduced
 * ("activités" → "activite", "activities" → "activity", "journaux" → "journal"), and
 * each word of the query must start a word of the note ("mentor" finds "mentorat" and
 * "mentoring"). Words of a query all have to match (AND).
 */
import type { Note } from './records.ts';
import type { ClusterRecord } from './clusters.ts';

const LIGATURES: Record<string, string> = { œ: 'oe', Œ: 'oe', æ: 'ae', Æ: 'ae', ß: 'ss' };

/** Lower-case, accents and ligatures removed, typographic apostrophes made ASCII. */
export function foldText(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[œŒæÆß]/g, (c) => LIGATURES[c] ?? c)
    .replace(/[\u2018\u2019\u02BC\u00B4\u0060\u2032]/g, "'")
    .toLowerCase();
}

const ELISION = /^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu)'/;

/** A light plural stemmer for French and English (applied to folded words). */
export function stemWord(w: string): string {
  if (w.length <= 3) return w;
  if (w.endsWith('eaux')) return w.slice(0, -1); // bureaux → bureau
  if (w.endsWith('aux') && w.length > 4) return `${w.slice(0, -3)}al`; // journaux → journal
  if (w.endsWith('ies') && w.length > 4) return `${w.slice(0, -3)}y`; // activities → activity
  if (/(?:ss|sh|ch|x|z)es$/.test(w)) return w.slice(0, -2); // classes → class, boxes → box
  if (w.endsWith('ux')) return w.slice(0, -1); // jeux → jeu
  if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) return w.slice(0, -1);
  return w;
}

/** Words of `s`, folded, elisions dropped, stemmed. */
export function searchTokens(s: string): string[] {
  const out: string[] = [];
  for (const raw of foldText(s).split(/[^a-z0-9']+/)) {
    const w = raw.replace(ELISION, '').replace(/'/g, '');
    if (w) out.push(stemWord(w));
  }
  return out;
}

/** Words too common to narrow anything; ignored in queries (unless the query is only those). */
const QUERY_STOPWORDS = new Set([
  'le', 'la', 'les', 'de', 'des', 'du', 'un', 'une', 'et', 'ou', 'a', 'au', 'aux', 'en', 'pour', 'par', 'sur', 'avec',
  'the', 'of', 'and', 'or', 'to', 'in', 'for', 'an', 'on', 'with', 'by',
]);

/** Parses a search box into the tokens every matching note must contain (as word prefixes). */
export function parseQuery(q: string): string[] {
  const all = searchTokens(q);
  const useful = all.filter((t) => !QUERY_STOPWORDS.has(t));
  return useful.length ? useful : all;
}

/** True when every query token starts one of the haystack's tokens. An empty query matches. */
export function matchesTokens(haystack: readonly string[], query: readonly string[]): boolean {
  return query.every((q) => haystack.some((h) => h.startsWith(q)));
}

/** Key under which people and organizations are grouped: folded, spaces collapsed. */
export function personKey(s: string): string {
  return foldText(s).replace(/\s+/g, ' ').trim();
}

export interface NoteFilter {
  domainId?: string;
  clusterId?: string;
  /** `personKey` of the organization. */
  org?: string;
  /** `personKey` of the author. */
  author?: string;
  /** Free text. */
  q?: string;
  /**
   * Other ways to say a query word (cross-language search, R155): for a token of `parseQuery(q)`,
   * phrases (each a list of search tokens, all required) that satisfy it as well as the word itself.
   */
  alternatives?: Readonly<Record<string, readonly (readonly string[])[]>>;
}

export function isFilterActive(f: NoteFilter): boolean {
  return Boolean(f.domainId || f.clusterId || f.org || f.author || (f.q && parseQuery(f.q).length));
}

const tokenCache = new WeakMap<Note, { withEmail: string[]; withoutEmail: string[] }>();

function noteTokens(n: Note, includeEmail: boolean): string[] {
  let cached = tokenCache.get(n);
  if (!cached) {
    const base = searchTokens(`${n.text} ${n.author} ${n.org}`);
    cached = { withoutEmail: base, withEmail: base.concat(searchTokens(n.email ?? '')) };
    tokenCache.set(n, cached);
  }
  return includeEmail ? cached.withEmail : cached.withoutEmail;
}

/**
 * The notes that pass every set criterion, in their original order.
 * @param ctx.clusters clusters to resolve `clusterId` against (accepted ones, usually).
 * @param ctx.includeEmail search emails too (only when the viewer may see them).
 */
export function filterNotes<N extends Note>(
  notes: readonly N[],
  f: NoteFilter,
  ctx: { clusters?: readonly ClusterRecord[]; includeEmail?: boolean } = {},
): N[] {
  if (!isFilterActive(f)) return notes.slice();
  const query = f.q ? parseQuery(f.q) : [];
  const inCluster = f.clusterId ? new Set(ctx.clusters?.find((c) => c.id === f.clusterId)?.noteIds ?? []) : null;
  return notes.filter(
    (n) =>
      (!f.domainId || n.domainId === f.domainId) &&
      (!inCluster || inCluster.has(n.id)) &&
      (!f.org || personKey(n.org) === f.org) &&
      (!f.author || personKey(n.author) === f.author) &&
      (!query.length || matchesWithAlternatives(noteTokens(n, ctx.includeEmail ?? false), query, f.alternatives)),
  );
}

/** `matchesTokens`, where a query token also matches when one of its alternative phrases does. */
export function matchesWithAlternatives(
  haystack: readonly string[],
  query: readonly string[],
  alternatives: NoteFilter['alternatives'] = {},
): boolean {
  return query.every(
    (q) => haystack.some((h) => h.startsWith(q)) || (alternatives[q] ?? []).some((phrase) => phrase.length > 0 && phrase.every((w) => haystack.includes(w))),
  );
}

/** One concept of the clustering glossary: its French terms, its English terms (R155). */
export type VocabularyConcept = [fr: string[], en: string[]];

/** Each concept's terms as search tokens (folded, stemmed); compute once per vocabulary. */
export function vocabularyTokens(vocab: readonly VocabularyConcept[]): string[][][] {
  return vocab.map(([fr, en]) => [...fr, ...en].map((term) => searchTokens(term)).filter((w) => w.length > 0));
}

/**
 * Cross-language search (R155): the `alternatives` of each word of `q` — the terms of every
 * concept one of whose one-word terms is the word (or, for words of four letters or more, starts
 * with it), so "mentoring" also finds "mentorat" and "parrainage". `concepts` comes from
 * `vocabularyTokens`. Pure.
 */
export function expandQuery(q: string, concepts: readonly (readonly string[][])[]): Record<string, string[][]> {
  const out: Record<string, string[][]> = {};
  for (const t of parseQuery(q)) {
    const alts = new Map<string, string[]>();
    for (const terms of concepts) {
      const hit = terms.some((w) => w.length === 1 && (w[0] === t || (t.length >= 4 && (w[0] as string).startsWith(t))));
      if (hit) for (const w of terms) alts.set(w.join(' '), w);
    }
    if (alts.size) out[t] = [...alts.values()];
  }
  return out;
}

export interface FacetOption {
  key: string;
  /** The most frequent spelling among the grouped values. */
  label: string;
  count: number;
}

/** Distinct organizations or authors, grouped by `personKey`, sorted by label. Empty ones are left out. */
export function facetOptions(notes: readonly Note[], field: 'org' | 'author'): FacetOption[] {
  const groups = new Map<string, { count: number; spellings: Map<string, number> }>();
  for (const n of notes) {
    const value = n[field].trim();
    if (!value) continue;
    const key = personKey(value);
    const g = groups.get(key) ?? { count: 0, spellings: new Map<string, number>() };
    g.count++;
    g.spellings.set(value, (g.spellings.get(value) ?? 0) + 1);
    groups.set(key, g);
  }
  const out: FacetOption[] = [];
  for (const [key, g] of groups) {
    // The most frequent spelling; on a tie, one with capitals ("CJE Estrie" over "cje estrie").
    const capitals = (v: string) => (v === v.toLowerCase() ? 0 : 1);
    const label = [...g.spellings].sort((a, b) => b[1] - a[1] || capitals(b[0]) - capitals(a[0]) || a[0].localeCompare(b[0]))[0]?.[0] ?? key;
    out.push({ key, label, count: g.count });
  }
  return out.sort((a, b) => a.label.localeCompare(b.label, 'fr', { sensitivity: 'base' }));
}
