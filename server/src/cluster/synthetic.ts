/**
 * Synthetic walls for benchmarks and load tests. Each note is a noisy variation of a real
 * template note: words dropped, words borrowed from another note of the same group, typos,
 * stray words from anywhere on the wall. The result keeps the vocabulary and group structure of
 * real workshop notes at any size, deterministically from a seed.
 */

/** A template note (e.g. a line of test/fixtures/activities.jsonl). */
export interface TemplateNote {
  text: string;
  org?: string;
  domainId?: string;
  group: string;
}

/** A generated note, with the group of its template as ground truth. */
export interface SyntheticNote {
  id: string;
  text: string;
  org?: string;
  domainId?: string;
  group: string;
}

/** Deterministic PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Generates `count` notes from templates.
 *
 * @param noise 0–1, how far notes stray from their template (0.3 is a realistic wall).
 */
export function syntheticWall(templates: readonly TemplateNote[], count: number, seed = 1, noise = 0.3): SyntheticNote[] {
  if (templates.length === 0) throw new RangeError('no templates');
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const byGroup = new Map<string, TemplateNote[]>();
  for (const t of templates) byGroup.set(t.group, [...(byGroup.get(t.group) ?? []), t]);
  const allWords = templates.flatMap((t) => t.text.split(/\s+/));
  const notes: SyntheticNote[] = [];
  for (let i = 0; i < count; i++) {
    const base = pick(templates);
    const sibling = pick(byGroup.get(base.group) as TemplateNote[]);
    const words: string[] = [];
    for (const w of base.text.split(/\s+/)) {
      if (rnd() < noise * 0.5) continue;
      words.push(rnd() < noise * 0.15 ? typo(w, rnd) : w);
    }
    const borrowed = sibling.text.split(/\s+/);
    for (let k = 0; k < 3; k++) if (rnd() < noise) words.splice(Math.floor(rnd() * (words.length + 1)), 0, pick(borrowed));
    if (rnd() < noise) words.splice(Math.floor(rnd() * (words.length + 1)), 0, pick(allWords));
    notes.push({ id: `s${i}`, text: words.join(' '), ...(base.org ? { org: base.org } : {}), ...(base.domainId ? { domainId: base.domainId } : {}), group: base.group });
  }
  return notes;
}

/** One random keyboard slip: a letter dropped, doubled or swapped with its neighbour. */
function typo(word: string, rnd: () => number): string {
  if (word.length < 4) return word;
  const i = 1 + Math.floor(rnd() * (word.length - 2));
  const r = rnd();
  if (r < 0.33) return word.slice(0, i) + word.slice(i + 1);
  if (r < 0.66) return word.slice(0, i) + (word[i] as string) + word.slice(i);
  return word.slice(0, i) + (word[i + 1] ?? '') + (word[i] as string) + word.slice(i + 2);
}
