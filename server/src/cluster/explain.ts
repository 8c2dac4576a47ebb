/**
 * Why a cluster was suggested: the words and glossary concepts its members share, and whether the
 * grouping rests on a single one of them (issue 18). A group held by one shared word is the
 * typical false suggestion — "reconnaissance" of volunteers and of partners, "banque" of food and
 * of money — so it is marked weak: shown after the others, and the host can see which word did
 * it before accepting.
 */
import type { ConceptMatcher } from './concepts.ts';
import type { SharedTerm } from './label.ts';
import type { ClusterEvidence } from './types.ts';

/** A group this small held by one term is weak even when the term is a glossary concept. */
const SMALL_GROUP = 3;

/** Terms listed in the evidence. */
export const EVIDENCE_TERMS = 6;

/**
 * Builds the evidence of a cluster from its shared terms (see label.ts `sharedTerms`).
 *
 * A term binds the group when at least half of the members (and at least two) hold it; a concept
 * implied only through a narrower one (`broader`) is not separate evidence, nor is a word that a
 * concept already covers. Weak: no binding term, or a single one that is a plain word, or a single
 * concept binding three notes or fewer.
 */
export function explainCluster(shared: readonly SharedTerm[], memberCount: number, matcher: ConceptMatcher): ClusterEvidence {
  const conceptIds = new Set(shared.filter((t) => t.key.startsWith('C:')).map((t) => t.key.slice(2)));
  const impliedOnly = (t: SharedTerm): boolean => {
    if (!t.key.startsWith('C:')) return false;
    const id = t.key.slice(2);
    return shared.some((o) => o !== t && o.key.startsWith('C:') && o.holders >= t.holders && conceptIds.has(o.key.slice(2)) && (matcher.entries.get(o.key.slice(2))?.broader ?? []).includes(id));
  };
  const independent = shared.filter((t) => !impliedOnly(t));
  const needed = Math.max(2, Math.ceil(memberCount / 2));
  const binding = independent.filter((t) => t.holders >= needed);
  const concept = binding.find((t) => t.key.startsWith('C:')) ?? independent.find((t) => t.key.startsWith('C:'));
  return {
    shared: independent.slice(0, EVIDENCE_TERMS).map((t) => ({ term: t.shown, notes: t.holders, ...(t.key.startsWith('C:') ? { concept: t.key.slice(2) } : {}) })),
    ...(concept ? { concept: concept.shown } : {}),
    // One binding glossary concept across four or more notes is a theme (a concept gathers several
    // words of both languages, each listed for one meaning); one word across two or three is not.
    weak: binding.length === 0 || (binding.length === 1 && (memberCount <= SMALL_GROUP || !(binding[0] as SharedTerm).key.startsWith('C:'))),
  };
}
