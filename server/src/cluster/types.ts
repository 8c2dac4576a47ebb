/**
 * Public types of the clustering engine. Everything here is plain data (structured-clonable) so
 * that a result computed in a worker thread arrives unchanged on the main thread.
 */

/** What the engine needs to know about a note. Extra fields are ignored. */
export interface ClusterNote {
  id: string;
  text: string;
  /** Organization of the author; drives `orgCount`, ranking and duplicate detection. */
  org?: string;
  /** Domain (column) of the note; drives `domainCount` and ranking. */
  domainId?: string;
  author?: string;
}

/**
 * One concept of the French↔English glossary: every term on either side maps to the same concept
 * token, so "mentorat" and "mentoring" count as the same word. Terms may be phrases ("aide aux
 * devoirs"); a term written in capitals ("DES", "CJE") only matches text written in capitals.
 */
export interface GlossaryEntry {
  /** Stable concept id, kebab-case ("homework"). Host entries with a built-in id extend it. */
  id: string;
  /** French terms; the first one is used in French labels. */
  fr: string[];
  /** English terms; the first one is used in English labels. */
  en: string[];
  /** Wider concepts this one implies ("tutoring" → "academic-support"), counted at half weight. */
  broader?: string[];
  /**
   * Importance, default 1. Concepts that say how or for whom rather than what ("free",
   * "evening", "support", "youth") weigh less, so they cannot by themselves pull notes together.
   */
  weight?: number;
}

/** A glossary entry supplied by a host: like {@link GlossaryEntry}, but the id may be omitted. */
export type GlossaryEntryInput = Omit<GlossaryEntry, 'id'> & { id?: string };

/** Coarse phases reported while clustering, in order. */
export const CLUSTER_PHASES = ['tokenize', 'vectorize', 'similarity', 'cluster', 'label'] as const;
export type ClusterPhase = (typeof CLUSTER_PHASES)[number];

/** A progress report: `phase` has just started; `fraction` is the overall share done (0–1). */
export interface ClusterProgress {
  phase: ClusterPhase;
  fraction: number;
}

/** Options of {@link clusterNotes}. All are optional. */
export interface ClusterOptions {
  /** Extra glossary entries from the host, merged with the built-in glossary. */
  glossary?: GlossaryEntryInput[];
  /** Use only `glossary`, not the built-in one (for hosts working in other fields). */
  replaceGlossary?: boolean;
  /**
   * The groups hosts accepted on the wall (learn.ts): each teaches at most one French↔English
   * word pair, added to the glossary for this run.
   */
  taught?: { noteIds: readonly string[] }[];
  /**
   * Fixed merge threshold (average cosine similarity, 0–1). When omitted — the normal case — it is
   * chosen from the wall's own similarity distribution (see docs/clustering.md).
   */
  threshold?: number;
  /** Similarity (0–1) above which two notes of the same organization are offered for merge. Default 0.7. */
  duplicateThreshold?: number;
  /** Called as each phase starts. Not sent to workers: the pool wires its own. */
  onProgress?: (progress: ClusterProgress) => void;
}

/** A group of notes describing similar or complementary activities. */
export interface Cluster {
  /** Stable id: a hash of the sorted member ids, so the same grouping keeps the same id. */
  id: string;
  /** Most distinctive shared terms, in the language of most members ("mentorat · jumelage"). */
  label: string;
  /** Member note ids, most central first. */
  noteIds: string[];
  /** Cohesion 0–1: mean pairwise similarity of the members. */
  score: number;
  /** Shared terms that explain the grouping, most distinctive first. */
  terms: string[];
  /** Distinct organizations among members (notes without an organization are not counted). */
  orgCount: number;
  /** Distinct domains among members (notes without a domain are not counted). */
  domainCount: number;
  /** The most central note: the one a facilitator should read first. */
  representativeId: string;
  /** Majority language of the members; the label is written in it. */
  language: 'fr' | 'en';
  /** What joined the notes: shared words and concepts, and whether a single one holds them. */
  evidence: ClusterEvidence;
}

/** Why notes were grouped (issue 18), for the host to judge a suggestion before accepting it. */
export interface ClusterEvidence {
  /**
   * Words and glossary concepts that at least two members share, most distinctive first, with
   * how many members hold each; `concept` is the glossary concept id when the term is one.
   */
  shared: { term: string; notes: number; concept?: string }[];
  /** The glossary concept that most members share, as shown (in the cluster's language). */
  concept?: string;
  /**
   * True when at most one shared word or concept is held by half the members: the grouping may
   * rest on a word with two meanings. Weak clusters are ranked after the others.
   */
  weak: boolean;
}

/** Two notes from the same organization saying nearly the same thing. */
export interface DuplicatePair {
  noteIds: [string, string];
  /** Cosine similarity 0–1. */
  score: number;
}

/** Output of {@link clusterNotes}. */
export interface ClusterResult {
  /**
   * Clusters of ≥ 2 notes, best first: those spanning several organizations and several domains
   * lead, then by organizations, domains, cohesion.
   */
  clusters: Cluster[];
  /** Ids of notes that are like no other, in input order. */
  unclustered: string[];
  /** Same-organization near-duplicates, most similar first: the closest `MAX_DUPLICATE_PAIRS` (100). */
  duplicates: DuplicatePair[];
  /** How many such pairs were found; more than `duplicates.length` when the list was cut (R258). */
  duplicateCount: number;
  /** The merge threshold used, and how it was obtained. */
  threshold: { value: number; method: 'auto' | 'fixed' };
}
