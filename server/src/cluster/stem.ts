/**
 * Snowball stemming for French and English, plus a per-note language guess that decides which
 * stemmer a note's words go through.
 */
import { createRequire } from 'node:module';
import { foldAccents } from './normalize.ts';
import { ENGLISH_ONLY, FRENCH_ONLY } from './stopwords.ts';
import type { Token } from './tokenize.ts';

/** The two languages of a Maillage wall. */
export type Lang = 'fr' | 'en';

/** The part of the `snowball-stemmers` package used here (it ships no types). */
interface Snowball {
  newStemmer(language: 'french' | 'english'): { stem(word: string): string };
}

// Loaded with require, not import: in a worker thread started with `--import tsx`, importing
// this CommonJS package from ESM fails to load (Node 20 + tsx 4), taking the whole worker down.
const snowball = createRequire(import.meta.url)('snowball-stemmers') as Snowball;
const stemmers = { fr: snowball.newStemmer('french'), en: snowball.newStemmer('english') };

/**
 * The JS Snowball port costs ~20 µs a word and notes repeat the same few thousand words, so stems
 * are memoized. The cache is bounded (cleared when full) because the server lives for weeks.
 */
const CACHE_LIMIT = 200_000;
const caches: Record<Lang, Map<string, string>> = { fr: new Map(), en: new Map() };

/**
 * Words Snowball reduces to the stem of a different word that walls use in another sense. French
 * "répit" (respite), "repas" (meals) and "repèrent" (spot) all become "rep", so "Répit à domicile"
 * read as meals on wheels; each keeps a stem of its own here. Keyed by the word without accents,
 * since participants often type French without them.
 */
const STEM_EXCEPTIONS: Record<Lang, ReadonlyMap<string, string>> = {
  fr: new Map([
    ['repit', 'repit'],
    ['repits', 'repit'],
    ['repas', 'repas'],
  ]),
  en: new Map(),
};

/**
 * Stems a lower-case word and returns the stem without accents. Stemming happens before folding
 * because the French rules key on accented endings ("activité" → "activ").
 */
export function stem(lower: string, lang: Lang): string {
  const cache = caches[lang];
  let out = cache.get(lower);
  if (out === undefined) {
    out = STEM_EXCEPTIONS[lang].get(foldAccents(lower)) ?? foldAccents(stemmers[lang].stem(lower));
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(lower, out);
  }
  return out;
}

/**
 * Guesses a note's language from its grammatical words ("les", "pour" vs "the", "with") and its
 * accents. Returns undefined when the evidence is even, e.g. for "Mentorat STIM": the caller then
 * falls back to the wall's majority language.
 */
export function detectLanguage(tokens: readonly Token[]): Lang | undefined {
  let fr = 0;
  let en = 0;
  for (const t of tokens) {
    if (FRENCH_ONLY.has(t.folded)) fr += 1;
    else if (ENGLISH_ONLY.has(t.folded)) en += 1;
    if (t.lower !== t.folded) fr += 0.5;
  }
  if (fr === en) return undefined;
  return fr > en ? 'fr' : 'en';
}
