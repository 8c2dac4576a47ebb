/**
 * Turns glossary terms into concept tokens found in text. Terms are compiled into a trie of
 * stems, so "aide aux devoirs", "aide au devoir" and "aide-devoirs" all hit the same entry, and
 * every text word is tried with both its French and its English stem, so a French word in an
 * English note still matches.
 *
 * Stop words inside a term are optional ("aide aux devoirs" also matches "aide devoirs"), but
 * stop words at its edges are required literally: in "après l'école" and "at lunch" they carry
 * the meaning, and without them the term would collapse to "école" or "lunch".
 */
import { stem, type Lang } from './stem.ts';
import { isStopword } from './stopwords.ts';
import { tokenize, type Token } from './tokenize.ts';
import type { GlossaryEntry } from './types.ts';

interface TrieNode {
  next: Map<string, TrieNode>;
  /** Stop words the text may hold just before this step: as many as the term had there. */
  gap: number;
  /** Concepts of the terms ending here. */
  ends?: string[];
}

/** A compiled glossary. Build once per glossary with {@link compileGlossary}; it is immutable. */
export interface ConceptMatcher {
  readonly root: TrieNode;
  readonly entries: ReadonlyMap<string, GlossaryEntry>;
  /** Single glossary words (folded → lower case with accents), used as a spelling dictionary. */
  readonly words: ReadonlyMap<string, string>;
  /** Folded words of each language's terms: a word matches across languages only if listed. */
  readonly surfaces: Readonly<Record<Lang, ReadonlySet<string>>>;
}

/** Weight of a concept implied through `broader`, relative to one named outright. */
export const BROADER_WEIGHT = 0.5;
/** Longest run of stop words a term may have between two words. */
const MAX_GAP = 3;

/** Compiles glossary entries into a matcher. Terms with no content word are ignored. */
export function compileGlossary(entries: readonly GlossaryEntry[]): ConceptMatcher {
  const root: TrieNode = { next: new Map(), gap: 0 };
  const words = new Map<string, string>();
  const surfaces = { fr: new Set<string>(), en: new Set<string>() };
  for (const entry of entries) {
    for (const lang of ['fr', 'en'] as const) {
      for (const term of entry[lang]) {
        const tokens = tokenize(term);
        const steps = termSteps(tokens, lang);
        if (!steps) continue;
        let node = root;
        for (const { key, gap } of steps) {
          let child = node.next.get(key);
          if (!child) node.next.set(key, (child = { next: new Map(), gap }));
          child.gap = Math.max(child.gap, gap);
          node = child;
        }
        if (!(node.ends ??= []).includes(entry.id)) node.ends.push(entry.id);
        for (const t of tokens) {
          surfaces[lang].add(t.folded);
          if (!t.acronym && !isStopword(t.folded) && /^[a-z]+$/.test(t.folded)) words.set(t.folded, t.lower);
        }
      }
    }
  }
  return { root, entries: new Map(entries.map((e) => [e.id, e])), words, surfaces };
}

/**
 * Steps of a term, or undefined when it has no content word. Stop words at the edges stay as
 * literal steps; inner ones are dropped and remembered as the gap allowed before the next step.
 */
function termSteps(tokens: readonly Token[], lang: Lang): { key: string; gap: number }[] | undefined {
  const keys = tokens.map((t) => (t.acronym ? `A:${t.folded}` : isStopword(t.folded) ? `L:${t.folded}` : `${lang}:${stem(t.lower, lang)}`));
  const first = keys.findIndex((k) => !k.startsWith('L:'));
  if (first < 0) return undefined;
  let last = keys.length - 1;
  while (keys[last]?.startsWith('L:')) last--;
  const steps: { key: string; gap: number }[] = [];
  let gap = 0;
  keys.forEach((key, i) => {
    if (i > first && i < last && key.startsWith('L:')) gap++;
    else {
      steps.push({ key, gap });
      gap = 0;
    }
  });
  return steps;
}

/**
 * Keys per matcher and written form (shared arrays: callers only read them). A wall repeats its
 * words and each key costs a stem or two; bounded, since a host matcher may live as long as the
 * process.
 */
const keyCache = new WeakMap<ConceptMatcher, Map<string, string[]>>();
const KEY_CACHE_LIMIT = 200_000;

function textKeys(t: Token, lang: Lang, matcher: ConceptMatcher): string[] {
  let cache = keyCache.get(matcher);
  if (!cache) keyCache.set(matcher, (cache = new Map()));
  const id = `${lang}${t.acronym ? 'A' : 'w'}${t.lower}\u0000${t.folded}`;
  let keys = cache.get(id);
  if (!keys) {
    keys = computeTextKeys(t, lang, matcher);
    if (cache.size >= KEY_CACHE_LIMIT) cache.clear();
    cache.set(id, keys);
  }
  return keys;
}

/**
 * Keys under which a text token can match a term step. A word matches terms of its note's language
 * by stem, and terms of the other language only when spelled exactly like one of their words:
 * stems alone collide across languages (English "done" and French "dons" both stem to "don").
 */
function computeTextKeys(t: Token, lang: Lang, matcher: ConceptMatcher): string[] {
  if (!t.acronym && isStopword(t.folded)) return [];
  const other: Lang = lang === 'fr' ? 'en' : 'fr';
  const keys = [`${lang}:${stem(lang === 'fr' ? t.lower : t.folded, lang)}`];
  if (matcher.surfaces[other].has(t.folded)) keys.push(`${other}:${stem(other === 'fr' ? t.lower : t.folded, other)}`);
  if (t.acronym) keys.push(`A:${t.folded}`);
  return keys;
}

/** Concepts found in one note. */
export interface ConceptMatch {
  /** Concept id → weight (the entry's weight per mention, half that per implied mention). */
  concepts: Map<string, number>;
  /** Per token: true when a glossary term covered it (labels then show the concept instead). */
  covered: boolean[];
}

/**
 * Finds glossary concepts in a token sequence, scanning left to right and taking the longest term
 * at each position, so "formation professionnelle" yields vocational training rather than both
 * "training" and "vocational".
 */
export function matchConcepts(tokens: readonly Token[], lang: Lang, matcher: ConceptMatcher): ConceptMatch {
  const keys = tokens.map((t) => textKeys(t, lang, matcher));
  const covered = new Array<boolean>(tokens.length).fill(false);
  const concepts = new Map<string, number>();
  let i = 0;
  while (i < tokens.length) {
    const best = longestAt(i, tokens, keys, matcher.root);
    if (!best) {
      i++;
      continue;
    }
    // A term listed under several concepts is a homonym of the glossary: it splits its weight
    // among them, so that it cannot join two themes at full weight on its own (round 5: +0.03 to
    // +0.05 ARI on the tuning and both validation walls, docs/clustering.md).
    const share = 1 / best.ends.length;
    for (const id of best.ends) {
      const entry = matcher.entries.get(id);
      concepts.set(id, (concepts.get(id) ?? 0) + share * (entry?.weight ?? 1));
      for (const wider of entry?.broader ?? []) {
        const w = share * BROADER_WEIGHT * (matcher.entries.get(wider)?.weight ?? 1);
        if (wider !== id) concepts.set(wider, (concepts.get(wider) ?? 0) + w);
      }
    }
    for (let k = i; k < best.end; k++) covered[k] = true;
    i = best.end;
  }
  return { concepts, covered };
}

function longestAt(start: number, tokens: readonly Token[], keys: readonly string[][], root: TrieNode): { end: number; ends: string[] } | undefined {
  let best: { end: number; ends: string[] } | undefined;
  const visit = (node: TrieNode, pos: number): void => {
    if (node.ends && pos > start) {
      if (!best || pos > best.end) best = { end: pos, ends: [...node.ends] };
      else if (pos === best.end) for (const id of node.ends) if (!best.ends.includes(id)) best.ends.push(id);
    }
    if (pos >= tokens.length) return;
    const literal = node.next.get(`L:${(tokens[pos] as Token).folded}`);
    if (literal) visit(literal, pos + 1);
    // Try the next content word after 0, 1, … skipped stop words (never before the first step).
    for (let q = pos; q < tokens.length; q++) {
      for (const key of keys[q] as string[]) {
        const child = node.next.get(key);
        if (child && q - pos <= child.gap) visit(child, q + 1);
      }
      if (pos === start || (keys[q] as string[]).length > 0 || q - pos >= MAX_GAP) break;
    }
  };
  visit(root, start);
  return best;
}

/** The word shown for a concept in labels: its first term in `lang`, else in the other language. */
export function conceptLabel(matcher: ConceptMatcher, id: string, lang: Lang): string {
  const e = matcher.entries.get(id);
  return e?.[lang][0] ?? e?.[lang === 'fr' ? 'en' : 'fr'][0] ?? id;
}
