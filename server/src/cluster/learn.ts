/**
 * Learning from the host (issue 18): the groups hosts accepted on a wall (kept, renamed, merged —
 * whatever the wall now holds) teach the engine pairs of words across languages. A group that a
 * host made of French and English notes says that the word its French notes share and the word
 * its English notes share name one thing; the next clustering run and the search both read the
 * pair as a glossary concept of that wall. Derived again on every run from the wall's accepted
 * groups, so undoing or removing a group unteaches it; rejected suggestions teach nothing (their
 * notes were never grouped).
 *
 * Conservative on purpose: a round-3 attempt that learned four characteristic words per language
 * and group taught idiosyncratic words (*flexible*, *stay*) and cost a validation wall 0.1 ARI.
 * Here a group teaches at most one pair, only words no glossary concept already covers, on a side
 * of two notes or more only a word at least two of them share, and only a word that at least half
 * of the wall's notes holding it (in that language) are in the group.
 */
import { z } from 'zod';
import type { ConceptMatcher } from './concepts.ts';
import { extractFeatures, type NoteFeatures } from './features.ts';
import type { ClusterNote, GlossaryEntryInput } from './types.ts';

/** A group the host accepted: its notes (ids of the wall's notes; unknown ids are ignored). */
export interface TaughtGroup {
  noteIds: readonly string[];
}

/** At most this many accepted groups are read (a wall's limit on groups is far lower). */
export const MAX_TAUGHT_GROUPS = 2000;

export const TaughtGroupsSchema = z.array(z.object({ noteIds: z.array(z.string().max(128)).max(20_000) }).strip()).max(MAX_TAUGHT_GROUPS);

/** Stems shorter than this are too generic to teach ("aide", "club"). */
const MIN_STEM_LENGTH = 4;

/**
 * The cross-language pairs the wall's accepted groups teach, as host glossary entries
 * (`{ fr: [word], en: [word] }`, the words as the notes wrote them), at most one per group.
 */
export function learnedEntries(notes: readonly ClusterNote[], groups: readonly TaughtGroup[], matcher: ConceptMatcher): GlossaryEntryInput[] {
  return groups.length ? learnedFromFeatures(notes, groups, extractFeatures(notes, matcher)) : [];
}

/**
 * {@link learnedEntries} from the wall's features, already extracted with the glossary the run
 * uses (clusterNotes extracts them once and keeps them when nothing is learned). The whole wall's,
 * so that a word is taught only if it is the group's own, not the wall's.
 */
export function learnedFromFeatures(notes: readonly ClusterNote[], groups: readonly TaughtGroup[], feats: readonly NoteFeatures[]): GlossaryEntryInput[] {
  const index = new Map(notes.map((n, i) => [n.id, i]));
  const members = groups.map((g) => [...new Set(g.noteIds)].flatMap((id) => index.get(id) ?? []));
  if (!members.some((m) => m.length > 0)) return [];
  const wallCount = new Map<string, number>();
  for (const f of feats) for (const key of f.words.keys()) if (key.startsWith('S:')) wallCount.set(`${f.lang}${key}`, (wallCount.get(`${f.lang}${key}`) ?? 0) + 1);
  const seen = new Set<string>();
  const out: GlossaryEntryInput[] = [];
  for (const group of members) {
    const side = (lang: 'fr' | 'en') => group.map((i) => feats[i] as NoteFeatures).filter((f) => f.lang === lang);
    const fr = sharedWord(side('fr'), 'fr', wallCount);
    const en = sharedWord(side('en'), 'en', wallCount);
    if (!fr || !en || fr.toLowerCase() === en.toLowerCase()) continue;
    const key = `${fr.toLowerCase()}|${en.toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ fr: [fr], en: [en] });
  }
  return out;
}

/**
 * The word the notes of one language in a group share most (by notes holding its stem; ties: the
 * longer stem, then alphabetical), among words no concept covers and that are the group's own
 * (half the wall's notes holding it are in the group); on two notes or more it must be held by at
 * least two. Returned as written in the notes.
 */
function sharedWord(side: readonly NoteFeatures[], lang: 'fr' | 'en', wallCount: ReadonlyMap<string, number>): string | undefined {
  if (side.length === 0) return undefined;
  const count = new Map<string, number>();
  for (const f of side) {
    for (const key of f.words.keys()) {
      if (!key.startsWith('S:') || f.covered.has(key) || key.length - 2 < MIN_STEM_LENGTH) continue;
      count.set(key, (count.get(key) ?? 0) + 1);
    }
  }
  const need = Math.min(2, side.length);
  let best: string | undefined;
  let bestCount = 0;
  for (const [key, c] of count) {
    // Most of the wall's notes holding it are in this group: the group's word, not the wall's
    // ("students", "programme" and "personnes" are everywhere and teach nothing).
    if (c < need || c * 2 < (wallCount.get(`${lang}${key}`) ?? 0)) continue;
    if (c > bestCount || (c === bestCount && (key.length > (best as string).length || (key.length === best?.length && key < best)))) {
      best = key;
      bestCount = c;
    }
  }
  if (!best) return undefined;
  const forms = new Map<string, number>();
  for (const f of side) {
    const s = f.surfaces.get(best);
    if (s) forms.set(s, (forms.get(s) ?? 0) + 1);
  }
  return [...forms.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
}
