/**
 * The clustering vocabulary as the review page's search uses it (R155): every concept of the
 * French↔English glossary (the built-in one, read from server/src/cluster, plus the wall's own
 * host entries) as two lists of terms. The search box then finds "mentorat" when asked for
 * "mentoring" with the same word lists that make the clustering group them. Terms only: no note
 * content, nothing personal.
 */
import * as Y from 'yjs';
import { listClusters, readNotes, readSettings } from '@maillage/shared';
import { BUILTIN_GLOSSARY, learnedPairs } from '../cluster/index.ts';

/** One concept: its French and English terms. */
export type VocabularyConcept = [fr: string[], en: string[]];

export interface Vocabulary {
  concepts: VocabularyConcept[];
}

let builtin: VocabularyConcept[] | null = null;

/**
 * The built-in glossary plus `settings.glossary` (the wall's host entries) plus `learned`, the word
 * pairs the wall's accepted groups teach (R256, `learnedPairs`), deduplicated.
 */
export function wallVocabulary(settings: unknown, learned: readonly { fr: string[]; en: string[] }[] = []): Vocabulary {
  builtin ??= BUILTIN_GLOSSARY.map((e): VocabularyConcept => [[...e.fr], [...e.en]]);
  const host = readSettings(settings).glossary.map((e): VocabularyConcept => [[...e.fr], [...e.en]]);
  const taught = learned.map((e): VocabularyConcept => [[...e.fr], [...e.en]]);
  return { concepts: [...builtin, ...host, ...taught].filter(([fr, en]) => fr.length + en.length >= 2) };
}

/**
 * Pairs per wall, kept while the wall's document and host glossary are unchanged: every
 * participant's filter bar asks for the vocabulary, and deriving the pairs reads the whole wall on
 * the event loop (≈ 0.1 s per 1,000 notes), which must happen once per change, not per request.
 */
const pairCache = new Map<string, { key: string; pairs: { fr: string[]; en: string[] }[] }>();
const PAIR_CACHE_WALLS = 1000;

/** The word pairs a wall's accepted groups teach, for its vocabulary (same as the next clustering run). */
export function taughtPairs(boardId: string, doc: Y.Doc, settings: unknown): { fr: string[]; en: string[] }[] {
  const taught = listClusters(doc).map((c) => ({ noteIds: c.noteIds }));
  if (taught.length === 0) return [];
  const glossary = readSettings(settings).glossary.map((e) => ({ fr: e.fr, en: e.en }));
  const key = `${Buffer.from(Y.encodeStateVector(doc)).toString('base64')}|${JSON.stringify(glossary)}`;
  const hit = pairCache.get(boardId);
  if (hit?.key === key) return hit.pairs;
  const notes = readNotes(doc).notes.map((n) => ({ id: n.id, text: n.text, org: n.org, domainId: n.domainId }));
  const pairs = learnedPairs(notes, taught, glossary.length ? glossary : undefined);
  pairCache.delete(boardId);
  pairCache.set(boardId, { key, pairs });
  if (pairCache.size > PAIR_CACHE_WALLS) pairCache.delete(pairCache.keys().next().value as string);
  return pairs;
}
