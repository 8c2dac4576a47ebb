/**
 * Clustering engine: groups sticky notes that describe similar or complementary activities, in
 * French, English or both, so a workshop can spot mutually reinforcing work. Pure and
 * synchronous in `clusterNotes`; off the event loop through `createClusterPool`. See
 * docs/clustering.md.
 */
export { clusterNotes, clusterId, learnedPairs, PROFILE_NEIGHBORS, MIN_DIRECT_LINK } from './clusterNotes.ts';
export { createClusterPool, type ClusterPool, type ClusterPoolOptions } from './pool.ts';
export { BUILTIN_GLOSSARY, GlossaryEntryInputSchema, mergeGlossary, MAX_HOST_ENTRIES } from './glossary.ts';
export { ClusterInputError, MAX_NOTES, MAX_TEXT_LENGTH } from './validate.ts';
export { DEFAULT_DUPLICATE_THRESHOLD, MAX_DUPLICATE_PAIRS } from './duplicates.ts';
export { adjustedRandIndex, normalizedMutualInfo } from './metrics.ts';
export {
  CLUSTER_PHASES,
  type Cluster,
  type ClusterNote,
  type ClusterOptions,
  type ClusterPhase,
  type ClusterProgress,
  type ClusterResult,
  type DuplicatePair,
  type GlossaryEntry,
  type GlossaryEntryInput,
} from './types.ts';
