/**
 * The clustering vocabulary as the review page's search uses it (R155): every concept of the
 * French↔English glossary (the built-in one, read from server/src/cluster, plus the wall's own
 * host entries) as two lists of terms. The search box then finds "mentorat" when asked for
 * "mentoring" with the same word lists that make the clustering group them. Terms only: no note
 * content, nothing personal.
 */
import { readSettings } from '@maillage/shared';
import { BUILTIN_GLOSSARY } from '../cluster/index.ts';

/** One concept: its French and English terms. */
export type VocabularyConcept = [fr: string[], en: string[]];

export interface Vocabulary {
  concepts: VocabularyConcept[];
}

let builtin: VocabularyConcept[] | null = null;

/** The built-in glossary plus `settings.glossary` (the wall's host entries), deduplicated. */
export function wallVocabulary(settings: unknown): Vocabulary {
  builtin ??= BUILTIN_GLOSSARY.map((e): VocabularyConcept => [[...e.fr], [...e.en]]);
  const host = readSettings(settings).glossary.map((e): VocabularyConcept => [[...e.fr], [...e.en]]);
  return { concepts: [...builtin, ...host].filter(([fr, en]) => fr.length + en.length >= 2) };
}
