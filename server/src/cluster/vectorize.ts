/**
 * TF-IDF vectors, sparse. Two blocks — words (stems + concepts) and character n-grams — are
 * weighted and L2-normalised separately, then concatenated, so the cosine of two notes is
 * `WORD_SHARE · cos(words) + (1 − WORD_SHARE) · cos(chars)`: n-grams catch what stems and the
 * glossary miss (typos, cognates like "technologie"/"technology") without drowning them.
 */

/** A sparse vector: feature indices (in no particular order) with their values. */
export interface SparseVector {
  idx: Int32Array;
  val: Float32Array;
}

/** Vectors for a wall, plus what labels need to explain them. */
export interface Vectorized {
  vectors: SparseVector[];
  /** Feature index → key (word block first, then n-grams). */
  features: string[];
  /** Feature index → inverse document frequency. */
  idf: Float64Array;
  /** Feature index → number of notes holding it. */
  df: Int32Array;
  /** Features below this index are word-block features. */
  wordFeatureCount: number;
}

/** Share of the word block (stems + concepts) in the similarity. */
export const WORD_SHARE = 0.7;
/**
 * Builds the vectors.
 *
 * @param words per note, stem/concept key → term frequency.
 * @param chars per note, n-gram → term frequency.
 */
export function vectorize(words: readonly Map<string, number>[], chars: readonly Map<string, number>[]): Vectorized {
  const n = words.length;
  const wordDf = countDf(words);
  const charDf = countDf(chars);
  const features = [...[...wordDf.keys()].sort(), ...[...charDf.keys()].sort()];
  const wordFeatureCount = wordDf.size;
  const index = new Map(features.map((f, i) => [f, i]));
  const df = Int32Array.from(features, (f, i) => (i < wordFeatureCount ? (wordDf.get(f) as number) : (charDf.get(f) as number)));
  // ln(N/df): a feature every note has weighs nothing; +1 inside keeps tiny walls from zeroing all.
  const idf = Float64Array.from(df, (d) => Math.log((n + 1) / d));
  const vectors = words.map((w, i) => {
    const entries = { idx: [] as number[], val: [] as number[] };
    block(w, index, idf, Math.sqrt(WORD_SHARE), entries);
    block(chars[i] as Map<string, number>, index, idf, Math.sqrt(1 - WORD_SHARE), entries);
    return { idx: Int32Array.from(entries.idx), val: Float32Array.from(entries.val) };
  });
  return { vectors, features, idf, df, wordFeatureCount };
}

function countDf(docs: readonly Map<string, number>[]): Map<string, number> {
  const df = new Map<string, number>();
  for (const d of docs) for (const k of d.keys()) df.set(k, (df.get(k) ?? 0) + 1);
  return df;
}

/** TF × IDF, L2-normalised, scaled. */
function block(tf: Map<string, number>, index: Map<string, number>, idf: Float64Array, scale: number, out: { idx: number[]; val: number[] }): void {
  const from = out.idx.length;
  let norm = 0;
  for (const [k, f] of tf) {
    const i = index.get(k);
    if (i === undefined || f <= 0) continue;
    // Sublinear for counts; weights below 1 (minor glossary concepts) pass through unchanged.
    const v = (f >= 1 ? 1 + Math.log(f) : f) * (idf[i] as number);
    if (v <= 0) continue;
    out.idx.push(i);
    out.val.push(v);
    norm += v * v;
  }
  if (norm === 0 || scale === 0) {
    out.idx.length = out.val.length = from;
    return;
  }
  const s = scale / Math.sqrt(norm);
  for (let k = from; k < out.val.length; k++) out.val[k] = (out.val[k] as number) * s;
}
