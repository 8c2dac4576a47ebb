/**
 * Replicated walls for judging quality at scale (issue 18): a labelled wall grown to any size by
 * rewriting its notes the way a larger room would — paraphrases (a word swapped for another term
 * of the same glossary concept), switches to the other language (the glossary term of the other
 * language, as bilingual participants write), dropped words, typos, a word borrowed from another
 * note of the same theme. Every copy keeps its template's group, so the same scorer (ARI, NMI,
 * pairwise F1) applies at 300, 1,000 or 5,000 notes and a drop in score is the engine's, not the
 * data's.
 *
 * Unlike synthetic.ts (timing walls, near-copies), copies here drift far enough from their
 * template that a theme is held together by its vocabulary, not by one note's exact wording.
 */
import { foldAccents } from './normalize.ts';
import { seededRandom } from './synthetic.ts';
import type { GlossaryEntry } from './types.ts';

/** A labelled template note. */
export interface ReplicaTemplate {
  id?: string;
  text: string;
  org?: string;
  domainId?: string;
  group: string;
}

/** A generated note; `group` is the template's. */
export interface ReplicaNote {
  id: string;
  text: string;
  org?: string;
  domainId?: string;
  group: string;
}

/** How far copies drift. Defaults are a busy bilingual room. */
export interface ReplicaNoise {
  /** Chance that a word covered by the glossary is swapped for another term of its concept. */
  paraphrase: number;
  /** Chance that a note switches to the other language for every glossary word it can. */
  languageSwitch: number;
  /** Chance that any word is dropped. */
  drop: number;
  /** Chance of one typo per note. */
  typo: number;
  /** Chance of one word borrowed from another note of the same group. */
  borrow: number;
}

export const DEFAULT_REPLICA_NOISE: ReplicaNoise = { paraphrase: 0.5, languageSwitch: 0.25, drop: 0.15, typo: 0.4, borrow: 0.3 };

interface Synonyms {
  fr: string[];
  en: string[];
}

/** Single glossary words → the terms of their concept, per language. */
function synonymIndex(glossary: readonly GlossaryEntry[]): Map<string, Synonyms> {
  const index = new Map<string, Synonyms>();
  for (const e of glossary) {
    for (const term of [...e.fr, ...e.en]) {
      if (/\s/.test(term) || term.toUpperCase() === term) continue; // phrases and acronyms stay
      const key = foldAccents(term).toLowerCase();
      if (!index.has(key)) index.set(key, { fr: e.fr.filter((t) => t.toUpperCase() !== t), en: e.en.filter((t) => t.toUpperCase() !== t) });
    }
  }
  return index;
}

/**
 * Grows `templates` to `count` notes. Deterministic for a seed. The first `templates.length`
 * notes are the templates themselves when `count` allows, so a replicated wall of the fixture's
 * size is the fixture.
 *
 * @throws RangeError when there are no templates.
 */
export function replicatedWall(
  templates: readonly ReplicaTemplate[],
  count: number,
  glossary: readonly GlossaryEntry[],
  seed = 1,
  noise: ReplicaNoise = DEFAULT_REPLICA_NOISE,
): ReplicaNote[] {
  if (templates.length === 0) throw new RangeError('no templates');
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const synonyms = synonymIndex(glossary);
  const byGroup = new Map<string, ReplicaTemplate[]>();
  for (const t of templates) byGroup.set(t.group, [...(byGroup.get(t.group) ?? []), t]);
  const notes: ReplicaNote[] = [];
  for (let i = 0; i < count; i++) {
    const base = i < templates.length ? (templates[i] as ReplicaTemplate) : pick(templates);
    const text = i < templates.length ? base.text : rewrite(base, byGroup.get(base.group) as ReplicaTemplate[], synonyms, noise, rnd, pick);
    notes.push({ id: `r${i}`, text, ...(base.org ? { org: base.org } : {}), ...(base.domainId ? { domainId: base.domainId } : {}), group: base.group });
  }
  return notes;
}

function rewrite(
  base: ReplicaTemplate,
  siblings: readonly ReplicaTemplate[],
  synonyms: Map<string, Synonyms>,
  noise: ReplicaNoise,
  rnd: () => number,
  pick: <T>(xs: readonly T[]) => T,
): string {
  const switched = rnd() < noise.languageSwitch;
  const words: string[] = [];
  for (const w of base.text.split(/\s+/)) {
    if (!w) continue;
    const bare = foldAccents(w).toLowerCase().replace(/[^a-z'-]/g, '');
    const syn = synonyms.get(bare);
    if (syn && (switched || rnd() < noise.paraphrase)) {
      const french = syn.fr.some((t) => foldAccents(t).toLowerCase() === bare);
      const pool = switched ? (french ? syn.en : syn.fr) : french ? syn.fr : syn.en;
      if (pool.length) {
        words.push(pick(pool));
        continue;
      }
    }
    if (rnd() < noise.drop) continue;
    words.push(w);
  }
  if (rnd() < noise.borrow) {
    const other = pick(siblings).text.split(/\s+/).filter((w) => w.length > 3);
    if (other.length) words.splice(Math.floor(rnd() * (words.length + 1)), 0, pick(other));
  }
  if (rnd() < noise.typo && words.length) {
    const k = Math.floor(rnd() * words.length);
    words[k] = typo(words[k] as string, rnd);
  }
  return words.join(' ') || base.text;
}

/** One keyboard slip: a letter dropped, doubled or swapped with its neighbour. */
function typo(word: string, rnd: () => number): string {
  if (word.length < 4) return word;
  const i = 1 + Math.floor(rnd() * (word.length - 2));
  const r = rnd();
  if (r < 0.33) return word.slice(0, i) + word.slice(i + 1);
  if (r < 0.66) return word.slice(0, i) + (word[i] as string) + word.slice(i);
  return word.slice(0, i) + (word[i + 1] ?? '') + (word[i] as string) + word.slice(i + 2);
}
