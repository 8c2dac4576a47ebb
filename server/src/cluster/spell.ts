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
 * A dictionary indexed for lookup within one or two edits. Build the glossary's once and reuse
 * it; the wall's own words get a fresh one per run.
 */
export class SpellIndex {
  private readonly weights = new Map<string, number>();
  private readonly byDeletion = new Map<string, string[]>();

  /**
   * @param editsIndexed deletions indexed per word (at most {@link maxEdits} for its length).
   *   A wall's own words are indexed at one edit: it keeps the per-run index small, and a word
   *   two edits away is then found only among glossary words.
   */
  constructor(dictionary: Iterable<DictionaryWord>, editsIndexed = 2) {
    for (const { word, weight } of dictionary) {
      if (word.length >= MIN_CORRECTABLE_LENGTH - 1) this.weights.set(word, Math.max(weight, this.weights.get(word) ?? -Infinity));
    }
    for (const word of this.weights.keys()) {
      for (const d of deletes(word, Math.min(editsIndexed, maxEdits(word.length)))) {
        const list = this.byDeletion.get(d);
        if (list) list.push(word);
        else this.byDeletion.set(d, [word]);
      }
    }
  }

  /** True when the word is in the dictionary. */
  has(word: string): boolean {
    return this.weights.has(word);
  }

  /** Dictionary words sharing a deletion variant with `variants`, with their weights. */
  *candidates(variants: Iterable<string>): Generator<[string, number]> {
    for (const d of variants) for (const cand of this.byDeletion.get(d) ?? []) yield [cand, this.weights.get(cand) as number];
  }
}

/**
 * The best dictionary word within reach of `word` (one edit, two from {@link TWO_EDITS_FROM}
 * letters, same first letter), or undefined when there is none or the word is itself known.
 * Closer wins, then heavier, then alphabetical.
 */
export function correct(word: string, indexes: readonly SpellIndex[]): string | undefined {
  if (word.length < MIN_CORRECTABLE_LENGTH || indexes.some((x) => x.has(word))) return undefined;
  const limit = maxEdits(word.length);
  const variants = deletes(word, limit);
  let best: string | undefined;
  let bestDist = Infinity;
  let bestWeight = -Infinity;
  const seen = new Set<string>();
  for (const index of indexes) {
    for (const [cand, weight] of index.candidates(variants)) {
      if (seen.has(cand)) continue;
      seen.add(cand);
      // Typos rarely hit the first letter: "glasses" is not a typo of "classes".
      if (cand[0] !== word[0]) continue;
      const dist = editDistance(word, cand, limit);
      if (dist > limit || (dist === 2 && cand[1] !== word[1])) continue;
      if (dist < bestDist || (dist === bestDist && (weight > bestWeight || (weight === bestWeight && cand < (best as string))))) {
        best = cand;
        bestDist = dist;
        bestWeight = weight;
      }
    }
  }
  return best;
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
