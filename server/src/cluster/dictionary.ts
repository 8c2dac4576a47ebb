/**
 * General French and English word lists (npm `an-array-of-french-words`, ~336,000 inflected forms,
 * and `an-array-of-english-words`, ~275,000 words; both MIT). Spelling
 * repair asks them before rewriting a word seen once on a wall: a word a dictionary knows is a
 * real word, not a typo, and rewriting it into the nearest glossary word (*policy* → *police*,
 * *fermes* → *femmes*, *livraison* → *liaison*) joins notes that have nothing in common.
 *
 * Loaded on first use and kept for the life of the process or worker (cost measured in
 * docs/clustering.md).
 */
import { createRequire } from 'node:module';

let known: Set<string> | undefined;

/**
 * True when the lower-case word, spelled as written (accents kept), is in the French or the
 * English word list. A French word typed without its accents ("eleves") is not found and so may
 * still be repaired, as before; folding 600,000 words to compare unaccented forms would cost a
 * second of worker time at first use.
 */
export function isDictionaryWord(word: string): boolean {
  return loadDictionary().has(word);
}

/**
 * Loads the word lists now rather than at the first clustering (the worker calls it when it
 * starts, so a request does not pay for it).
 */
export function loadDictionary(): Set<string> {
  if (!known) {
    const require = createRequire(import.meta.url);
    known = new Set<string>(require('an-array-of-french-words') as string[]);
    for (const w of require('an-array-of-english-words') as string[]) known.add(w);
  }
  return known;
}
