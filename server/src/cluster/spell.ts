/**
 * Typo repair from the wall's own statistics. A word seen only once that is one edit away (two for
 * long words) from a glossary word or from a word other notes use is most likely a typo of it:
 * "mentorrat" → "mentorat", "worshop" → "workshop", "entreprenariat" → "entrepreneuriat". Lookup
 * uses a deletion index (SymSpell), so the cost grows with the vocabulary, not its square.
 */

/** A word the corrector may propose, with a weight (higher wins among equally close words). */
export interface DictionaryWord {
  word: string;
  weight: number;
}

/** Shortest word considered for correction: short words are too often legitimately one edit apart. */
export const MIN_CORRECTABLE_LENGTH = 5;
/** From this length two edits are allowed. */
export const TWO_EDITS_FROM = 9;

const maxEdits = (len: number): number => (len >= TWO_EDITS_FROM ? 2 : 1);

/**
 * Builds a corrector over a dictionary of folded, lower-case words. The returned function gives
 * the best dictionary word within reach of `word`, or undefined when there is none (or when the
 * word is itself in the dictionary).
 */
export function buildCorrector(dictionary: Iterable<DictionaryWord>): (word: string) => string | undefined {
  const weights = new Map<string, number>();
  for (const { word, weight } of dictionary) {
    if (word.length >= MIN_CORRECTABLE_LENGTH - 1) weights.set(word, Math.max(weight, weights.get(word) ?? -Infinity));
  }
  const index = new Map<string, string[]>();
  for (const word of weights.keys()) {
    for (const d of deletes(word, maxEdits(word.length))) {
      const list = index.get(d);
      if (list) list.push(word);
      else index.set(d, [word]);
    }
  }
  return (word) => {
    if (word.length < MIN_CORRECTABLE_LENGTH || weights.has(word)) return undefined;
    const limit = maxEdits(word.length);
    let best: string | undefined;
    let bestDist = Infinity;
    let bestWeight = -Infinity;
    const seen = new Set<string>();
    for (const d of deletes(word, limit)) {
      for (const cand of index.get(d) ?? []) {
        if (seen.has(cand)) continue;
        seen.add(cand);
        // Typos rarely hit the first letters: "glasses" is not a typo of "classes".
        if (cand[0] !== word[0]) continue;
        const dist = editDistance(word, cand, limit);
        if (dist > limit || (dist === 2 && cand[1] !== word[1])) continue;
        const weight = weights.get(cand) as number;
        if (dist < bestDist || (dist === bestDist && (weight > bestWeight || (weight === bestWeight && cand < (best as string))))) {
          best = cand;
          bestDist = dist;
          bestWeight = weight;
        }
      }
    }
    return best;
  };
}

/** The word itself plus every variant with up to `n` characters deleted. */
function deletes(word: string, n: number): Set<string> {
  const out = new Set<string>([word]);
  let frontier = [word];
  for (let k = 0; k < n; k++) {
    const next: string[] = [];
    for (const w of frontier) {
      for (let i = 0; i < w.length; i++) {
        const d = w.slice(0, i) + w.slice(i + 1);
        if (!out.has(d)) {
          out.add(d);
          next.push(d);
        }
      }
    }
    frontier = next;
  }
  return out;
}

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), giving up early
 * once it exceeds `limit`.
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev2 = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = new Array<number>(b.length + 1);
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, (prev2[j - 2] as number) + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length] as number;
}
