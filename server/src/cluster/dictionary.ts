/**
 * General French and English word lists (npm `an-array-of-french-words`, ~336,000 inflected forms,
 * and `an-array-of-english-words`, ~275,000 words; both MIT). Spelling repair asks them before
 * rewriting a word seen once on a wall: a word a dictionary knows is a real word, not a typo, and
 * rewriting it into the nearest glossary word (*policy* → *police*, *fermes* → *femmes*,
 * *livraison* → *liaison*) joins notes that have nothing in common.
 *
 * Kept as a sorted table of 32-bit hashes (about 3 MB with the accentless forms) rather than a set of 600,000 strings (~45 MB),
 * because every worker thread holds its own copy. A word absent from the lists collides with one
 * of them with probability ~1.4 × 10⁻⁴, and then it is merely left unrepaired. Loaded on first
 * use (worker.ts loads it when the thread starts) and kept for the life of the thread.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { foldAccents } from './normalize.ts';

let table: Uint32Array | undefined;
const NON_ASCII = /[^ -~]/; // anything but printable ASCII (the lists hold no control characters)

/** FNV-1a over UTF-16 code units. */
function hash(word: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * True when the lower-case word is in the French or the English word list, spelled as written or
 * as the list's word without its accents: participants often type French without accents on a
 * phone or an English keyboard ("eleves", "reperage"), and such a word is a real word, not a typo
 * to rewrite into the nearest glossary word.
 */
export function isDictionaryWord(word: string): boolean {
  const t = loadDictionary();
  const h = hash(word);
  let lo = 0;
  let hi = t.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = t[mid] as number;
    if (v === h) return true;
    if (v < h) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** Loads the word lists now rather than at the first clustering (the worker does it at start). */
export function loadDictionary(): Uint32Array {
  if (!table) {
    // Read and parsed here, not require()d: require would cache the 600,000 strings for good.
    const require = createRequire(import.meta.url);
    const lists = ['an-array-of-french-words', 'an-array-of-english-words'].map((p) => JSON.parse(readFileSync(require.resolve(p), 'utf8')) as string[]);
    // Two passes straight into one typed array: no intermediate array of ~750,000 numbers for
    // each worker thread to allocate and collect at start-up.
    let size = 0;
    for (const list of lists) for (const w of list) size += NON_ASCII.test(w) ? 2 : 1;
    const hashes = new Uint32Array(size);
    let k = 0;
    for (const list of lists) {
      for (const w of list) {
        hashes[k++] = hash(w);
        if (NON_ASCII.test(w)) hashes[k++] = hash(foldAccents(w));
      }
    }
    table = hashes.sort();
  }
  return table;
}
