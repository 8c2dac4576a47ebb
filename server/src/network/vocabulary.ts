/**
 * The clustering vocabulary as the review page's search uses it (R155): every concept of the
 * French↔English glossary (the built-in one, read from server/src/cluster, plus the wall's own
 * host entries) as two lists of terms. The search box then finds "mentorat" when asked for
 * "mentoring" with the same word lists that make the clustering group them. Terms only: no note
 * content, nothing personal.
 */
import * as Y from 'yjs';
import { listClusters, readNotes, readSettings } from '@maillage/shared';
import { BUILTIN_GLOSSARY } from '../cluster/index.ts';
import type { LearnedPairsPool } from '../cluster/pool.ts';

/** One concept: its French and English terms. */
export type VocabularyConcept = [fr: string[], en: string[]];

/** A word pair a wall's accepted groups teach. */
export type TaughtPair = { fr: string[]; en: string[] };

export interface Vocabulary {
  concepts: VocabularyConcept[];
}

let builtin: VocabularyConcept[] | null = null;

/**
 * The built-in glossary plus `settings.glossary` (the wall's host entries) plus `learned`, the word
 * pairs the wall's accepted groups teach (R256, `learnedPairs`), deduplicated.
 */
export function wallVocabulary(settings: unknown, learned: readonly TaughtPair[] = []): Vocabulary {
  builtin ??= BUILTIN_GLOSSARY.map((e): VocabularyConcept => [[...e.fr], [...e.en]]);
  const host = readSettings(settings).glossary.map((e): VocabularyConcept => [[...e.fr], [...e.en]]);
  const taught = learned.map((e): VocabularyConcept => [[...e.fr], [...e.en]]);
  return { concepts: [...builtin, ...host, ...taught].filter(([fr, en]) => fr.length + en.length >= 2) };
}

/** Where the pairs are derived: the clustering worker pool (pool.ts). */
export type PairsDeriver = Pick<LearnedPairsPool, 'learnedPairs'>;

/**
 * Pairs per wall, kept while the wall's document and host glossary are unchanged: every
 * participant's filter bar asks for the vocabulary, and deriving the pairs reads the whole wall
 * (≈ 0.1 s per 1,000 notes of a worker's time), which must happen once per change, not per
 * request. The entry holds the derivation itself, so that the requests that arrive while it runs
 * wait for it rather than start their own; one that fails is dropped, and the next request tries
 * again.
 */
const pairCache = new Map<string, { key: string; pairs: Promise<TaughtPair[]> }>();
const PAIR_CACHE_WALLS = 1000;

/**
 * The word pairs a wall's accepted groups teach, for its vocabulary (same as the next clustering
 * run), derived in `pool` off the event loop. Reads everything it needs from `doc` before it
 * returns, so the caller may destroy the document while the pairs are derived. A wall without
 * groups answers `[]` without the pool.
 *
 * @throws (rejects with) what `pool.learnedPairs` throws: ClusterInputError on notes the engine
 *   refuses, MaillageError `payload_too_large` on a wall too large for a worker.
 */
export function taughtPairs(boardId: string, doc: Y.Doc, settings: unknown, pool: PairsDeriver): Promise<TaughtPair[]> {
  const taught = listClusters(doc).map((c) => ({ noteIds: c.noteIds }));
  if (taught.length === 0) return Promise.resolve([]);
  const glossary = readSettings(settings).glossary.map((e) => ({ fr: e.fr, en: e.en }));
  const key = `${Buffer.from(Y.encodeStateVector(doc)).toString('base64')}|${JSON.stringify(glossary)}`;
  const hit = pairCache.get(boardId);
  if (hit?.key === key) return hit.pairs;
  const notes = readNotes(doc).notes.map((n) => ({ id: n.id, text: n.text, org: n.org, domainId: n.domainId }));
  const pairs = pool.learnedPairs(notes, taught, glossary.length ? glossary : undefined);
  const entry = { key, pairs };
  pairCache.delete(boardId);
  pairCache.set(boardId, entry);
  if (pairCache.size > PAIR_CACHE_WALLS) pairCache.delete(pairCache.keys().next().value as string);
  // Only this entry: a newer one (the wall changed meanwhile) stays.
  pairs.catch(() => {
    if (pairCache.get(boardId) === entry) pairCache.delete(boardId);
  });
  return pairs;
}
