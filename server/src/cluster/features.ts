/**
 * From raw notes to bags of features: stems, glossary concepts and character n-grams. Some steps
 * look at the whole wall at once — typo repair, the accented spelling of a word, the fallback
 * language of a note too short to tell — because a single note does not carry enough evidence.
 */
import { matchConcepts, type ConceptMatcher } from './concepts.ts';
import { isDictionaryWord } from './dictionary.ts';
import { correct, SpellIndex, type DictionaryWord } from './spell.ts';
import { detectLanguage, stem, type Lang } from './stem.ts';
import { isStopword } from './stopwords.ts';
import { tokenize, type Token } from './tokenize.ts';
import type { ClusterNote } from './types.ts';

/** Features of one note. Keys: `S:` stem, `C:` glossary concept; char n-grams are separate. */
export interface NoteFeatures {
  lang: Lang;
  /** Stems and concepts with their term frequency. */
  words: Map<string, number>;
  /** Character n-grams of the content words, for typos and cognates the glossary misses. */
  chars: Map<string, number>;
  /** Stem key → the word as written in this note, for readable labels. */
  surfaces: Map<string, string>;
  /** Stem keys of words that a glossary term covered (labels show the concept instead). */
  covered: Set<string>;
}

/** Glossary words outrank wall words when a typo is equally close to both. */
const GLOSSARY_WORD_WEIGHT = 1_000_000;
const CHAR_NGRAM_SIZES = [4] as const;
/**
 * A glossary concept counts as this many words. The glossary is the only bridge between a French
 * and an English note, and one concept stands for a whole family of words, so it must outweigh
 * the language-bound stems (measured on the fixture: ARI 0.67 at 2, 0.73 at 3, 0.75 at 4).
 */
export const CONCEPT_WEIGHT = 3;
const WORDLIKE = /^[a-z]+$/;

/**
 * Extracts features for every note of a wall.
 *
 * @param matcher the compiled glossary (see concepts.ts).
 */
export function extractFeatures(notes: readonly ClusterNote[], matcher: ConceptMatcher): NoteFeatures[] {
  const tokenLists = notes.map((n) => tokenize(n.text));
  repairTypos(tokenLists, matcher);
  const langs = tokenLists.map(detectLanguage);
  const fr = langs.filter((l) => l === 'fr').length;
  const en = langs.filter((l) => l === 'en').length;
  const fallback: Lang = en > fr ? 'en' : 'fr';
  return tokenLists.map((tokens, i) => noteFeatures(tokens, langs[i] ?? fallback, matcher));
}

function noteFeatures(tokens: Token[], lang: Lang, matcher: ConceptMatcher): NoteFeatures {
  const words = new Map<string, number>();
  const chars = new Map<string, number>();
  const surfaces = new Map<string, string>();
  const covered = new Set<string>();
  const add = (m: Map<string, number>, k: string, w: number): void => void m.set(k, (m.get(k) ?? 0) + w);
  const match = matchConcepts(tokens, lang, matcher);
  for (const [id, w] of match.concepts) add(words, `C:${id}`, w * CONCEPT_WEIGHT);
  tokens.forEach((t, i) => {
    if (isStopword(t.folded)) return;
    // The English stemmer wants ASCII; the French one needs the accents.
    const key = `S:${stem(lang === 'fr' ? t.lower : t.folded, lang)}`;
    add(words, key, 1);
    if (!surfaces.has(key)) surfaces.set(key, t.lower);
    if (match.covered[i]) covered.add(key);
    for (const n of CHAR_NGRAM_SIZES) {
      const padded = `_${t.folded}_`;
      for (let k = 0; k + n <= padded.length; k++) add(chars, padded.slice(k, k + n), 1);
    }
  });
  return { lang, words, chars, surfaces, covered };
}

const glossaryIndexes = new WeakMap<ConceptMatcher, SpellIndex>();

/** The glossary's spelling index, built once per compiled glossary. */
function glossaryIndex(matcher: ConceptMatcher): SpellIndex {
  let index = glossaryIndexes.get(matcher);
  if (!index) {
    index = new SpellIndex([...matcher.words.keys()].map((word) => ({ word, weight: GLOSSARY_WORD_WEIGHT })));
    glossaryIndexes.set(matcher, index);
  }
  return index;
}

/**
 * Rewrites, in place, words that appear once on the wall, that neither the glossary nor a general
 * French or English word list knows (dictionary.ts: a real word is not a typo), and that sit
 * within an edit or two of a glossary word or of a word other notes use; then gives every word
 * typed without accents the accented spelling used elsewhere on the wall (or in the glossary), so
 * "activite" stems like "activité". Accents get lost in typing, never added, so an accented spelling is trusted.
 */
function repairTypos(tokenLists: Token[][], matcher: ConceptMatcher): void {
  const df = new Map<string, number>();
  const accented = new Map<string, Map<string, number>>();
  for (const tokens of tokenLists) {
    for (const t of tokens) {
      if (t.lower === t.folded) continue;
      const forms = accented.get(t.folded) ?? new Map<string, number>();
      forms.set(t.lower, (forms.get(t.lower) ?? 0) + 1);
      accented.set(t.folded, forms);
    }
    for (const f of new Set(tokens.map((t) => t.folded))) df.set(f, (df.get(f) ?? 0) + 1);
  }
  const wallWords: DictionaryWord[] = [];
  for (const [word, count] of df) if (count >= 2 && WORDLIKE.test(word) && !isStopword(word)) wallWords.push({ word, weight: count });
  const indexes = [glossaryIndex(matcher), new SpellIndex(wallWords, 1)];
  const chosen = new Map<string, string | undefined>();
  const spelling = (folded: string): string | undefined => {
    if (chosen.has(folded)) return chosen.get(folded);
    let best = matcher.words.get(folded);
    let bestCount = 0;
    for (const [form, count] of accented.get(folded) ?? []) {
      if (count > bestCount || (count === bestCount && form < (best as string))) [best, bestCount] = [form, count];
    }
    chosen.set(folded, best);
    return best;
  };
  for (const tokens of tokenLists) {
    for (const t of tokens) {
      if (t.acronym || isStopword(t.folded) || !WORDLIKE.test(t.folded)) continue;
      if ((df.get(t.folded) ?? 0) === 1 && !matcher.words.has(t.folded) && !isDictionaryWord(t.lower)) {
        const fix = correct(t.folded, indexes);
        if (fix) {
          t.folded = fix;
          t.lower = spelling(fix) ?? fix;
          continue;
        }
      }
      if (t.lower === t.folded) t.lower = spelling(t.folded) ?? t.lower;
    }
  }
}
