/**
 * The clustering pipeline, start to end: features → TF-IDF → nearest neighbours → shared-neighbour
 * graph → average linkage → automatic cut → labels, ranking and duplicates. Pure: same notes and
 * options in, same result out, no I/O. docs/clustering.md explains each step and its numbers.
 */
import { createHash } from 'node:crypto';
import { averageLinkage, cutTree } from './agglomerate.ts';
import { compileGlossary, type ConceptMatcher } from './concepts.ts';
import { condense } from './condense.ts';
import { DEFAULT_DUPLICATE_THRESHOLD, findDuplicates, MAX_DUPLICATE_PAIRS, round, sameOrgKey } from './duplicates.ts';
import { extractFeatures, type NoteFeatures } from './features.ts';
import { BUILTIN_GLOSSARY, mergeGlossary } from './glossary.ts';
import { learnedEntries, learnedFromFeatures } from './learn.ts';
import { explainCluster } from './explain.ts';
import { describeCluster, labelContext, sharedTerms, type LabelContext } from './label.ts';
import { sharedNeighborGraph } from './neighborhood.ts';
import { nearestNeighbors, type NeighborLists } from './similarity.ts';
import { adjacency, chooseThreshold, type Adjacency } from './threshold.ts';
import type { Cluster, ClusterNote, ClusterOptions, ClusterPhase, ClusterResult, GlossaryEntryInput } from './types.ts';
import { validateInput } from './validate.ts';
import { vectorize } from './vectorize.ts';

/** Nearest neighbours forming each note's profile (shared-neighbour similarity). */
export const PROFILE_NEIGHBORS = 20;
/** Edges each note keeps in the shared-neighbour graph. */
export const GRAPH_EDGES = 30;
/** The dendrogram is not built below this shared-neighbour similarity: nothing that weak is a theme. */
const DENDROGRAM_FLOOR = 0.01;
/**
 * A note stays in a cluster only if it resembles at least one other member directly (cosine ≥
 * this). Shared neighbours can otherwise pull in a note that shares no word with anyone, which
 * matters on tiny walls where statistics are thin. It never binds on the fixtures.
 */
export const MIN_DIRECT_LINK = 0.1;

const PHASE_START: Record<ClusterPhase, number> = { tokenize: 0, vectorize: 0.3, similarity: 0.45, cluster: 0.7, label: 0.9 };

/**
 * Groups notes that describe similar or complementary activities, in French, English or both.
 *
 * @param notes the wall's notes; blank ones are accepted and stay unclustered.
 * @param opts glossary extension, fixed threshold, duplicate threshold, progress callback.
 * @returns clusters of ≥ 2 notes (best first), unclustered ids, same-organization duplicates.
 * @throws ClusterInputError when notes or options are malformed (see validate.ts).
 */
export function clusterNotes(notes: readonly ClusterNote[], opts: ClusterOptions = {}): ClusterResult {
  const valid = validateInput(notes, opts);
  const report = (phase: ClusterPhase): void => opts.onProgress?.({ phase, fraction: PHASE_START[phase] });
  let matcher = matcherFor(opts.glossary, opts.replaceGlossary ?? false);

  report('tokenize');
  let feats = extractFeatures(valid, matcher);
  // What the wall's hosts taught by grouping notes across languages joins the glossary (learn.ts);
  // only then are the features extracted again, with the pairs.
  const learned = opts.taught?.length ? learnedFromFeatures(valid, opts.taught, feats) : [];
  if (learned.length) {
    matcher = matcherFor([...(opts.glossary ?? []), ...learned], opts.replaceGlossary ?? false);
    feats = extractFeatures(valid, matcher);
  }
  report('vectorize');
  const vec = vectorize(feats.map((f) => f.words), feats.map((f) => f.chars));
  report('similarity');
  const knn = nearestNeighbors(vec.vectors, vec.features.length, PROFILE_NEIGHBORS);
  // Near-copies fold into one item first, so that neighbour lists hold distinct wordings however
  // large the wall (condense.ts); the shared-neighbour clustering then runs over items.
  const wall = condense(vec.vectors, vec.features.length, knn, PROFILE_NEIGHBORS);
  const graph = sharedNeighborGraph(wall.knn, 0, GRAPH_EDGES);
  report('cluster');
  const merges = averageLinkage(graph, Math.min(DENDROGRAM_FLOOR, opts.threshold ?? 1));
  const threshold = opts.threshold ?? chooseThreshold(graph, merges);
  const roots = threshold === undefined ? Int32Array.from(wall.items, (_, i) => i) : cutTree(wall.items.length, merges, threshold);
  const groups = detachUnlinked(groupsOf(roots, wall.items), knn);
  report('label');
  const ctx = labelContext(feats, vec, matcher, valid.map((n) => n.text));
  const cohesion = cohesionOf(wall.items, adjacency(graph));
  const clusters = groups.map((g) => buildCluster(g, valid, cohesion, ctx)).sort(compareClusters);
  const inCluster = new Set(clusters.flatMap((c) => c.noteIds));
  const duplicates = findDuplicates(valid, knn, opts.duplicateThreshold ?? DEFAULT_DUPLICATE_THRESHOLD);
  return {
    clusters,
    unclustered: valid.filter((n) => !inCluster.has(n.id)).map((n) => n.id),
    duplicates: duplicates.slice(0, MAX_DUPLICATE_PAIRS),
    duplicateCount: duplicates.length,
    threshold: { value: round(threshold ?? 1), method: opts.threshold === undefined ? 'auto' : 'fixed' },
  };
}

/**
 * The word pairs a wall's accepted groups teach (learn.ts), with the glossary a run would use:
 * what the review page's search adds to its vocabulary (R256), the same pairs the next run reads.
 */
export function learnedPairs(notes: readonly ClusterNote[], taught: readonly { noteIds: readonly string[] }[], glossary?: GlossaryEntryInput[]): GlossaryEntryInput[] {
  if (taught.length === 0) return [];
  const valid = validateInput(notes, { taught, ...(glossary ? { glossary } : {}) });
  return learnedEntries(valid, taught, matcherFor(glossary, false));
}

let builtinMatcher: ConceptMatcher | undefined;
let hostMatcher: { key: string; matcher: ConceptMatcher } | undefined;

/** Compiling the glossary costs ~100 ms, so the built-in one and the last host one are kept. */
function matcherFor(extra: GlossaryEntryInput[] | undefined, replace: boolean): ConceptMatcher {
  if (!extra?.length && !replace) return (builtinMatcher ??= compileGlossary(BUILTIN_GLOSSARY));
  const key = JSON.stringify([extra ?? [], replace]);
  if (hostMatcher?.key !== key) hostMatcher = { key, matcher: compileGlossary(mergeGlossary(extra, replace)) };
  return hostMatcher.matcher;
}

/** Notes of each cluster root (a root groups items) with at least two notes, in note order. */
function groupsOf(roots: Int32Array, items: readonly number[][]): number[][] {
  const byRoot = new Map<number, number[]>();
  roots.forEach((r, item) => {
    const g = byRoot.get(r);
    if (g) g.push(...(items[item] as number[]));
    else byRoot.set(r, [...(items[item] as number[])]);
  });
  return [...byRoot.values()].filter((g) => g.length >= 2).map((g) => g.sort((a, b) => a - b));
}

/** Removes members with no direct link ≥ {@link MIN_DIRECT_LINK} to another member, repeatedly. */
function detachUnlinked(groups: number[][], knn: NeighborLists): number[][] {
  const linked: number[][] = Array.from({ length: knn.n }, () => []);
  for (let i = 0; i < knn.n; i++) {
    for (let p = knn.start[i] as number; p < (knn.start[i + 1] as number); p++) {
      if ((knn.sim[p] as number) < MIN_DIRECT_LINK) break; // best first
      const j = knn.nbr[p] as number;
      linked[i]?.push(j);
      linked[j]?.push(i);
    }
  }
  return groups
    .map((group) => {
      let g = group;
      for (;;) {
        const inside = new Set(g);
        const kept = g.filter((i) => (linked[i] as number[]).some((j) => inside.has(j)));
        if (kept.length === g.length) return g;
        g = kept;
      }
    })
    .filter((g) => g.length >= 2);
}

/**
 * Shared-neighbour similarity between notes, read from the item graph: two notes of one fold are
 * near-copies (1), two notes of different items take their items' similarity (0 when absent).
 * On a wall where nothing folds this is the note graph itself, so `score` keeps its scale.
 */
interface Cohesion {
  /** Note index → item index. */
  itemOf: Int32Array;
  /** The shared-neighbour graph over items. */
  adj: Adjacency;
}

function cohesionOf(items: readonly number[][], adj: Adjacency): Cohesion {
  const itemOf = new Int32Array(items.reduce((n, it) => n + it.length, 0));
  items.forEach((notes, k) => notes.forEach((i) => (itemOf[i] = k)));
  return { itemOf, adj };
}

function buildCluster(members: number[], notes: readonly ClusterNote[], cohesion: Cohesion, ctx: LabelContext): Cluster {
  const { feats } = ctx;
  const { itemOf, adj } = cohesion;
  // Per item of the cluster, how many members it holds; a member's centrality is its summed
  // similarity to every other member.
  const inside = new Map<number, number>();
  for (const i of members) inside.set(itemOf[i] as number, (inside.get(itemOf[i] as number) ?? 0) + 1);
  const itemCentrality = new Map<number, number>();
  for (const [item, count] of inside) {
    let c = count - 1; // the other copies in its fold
    for (let p = adj.start[item] as number; p < (adj.start[item + 1] as number); p++) c += (adj.sim[p] as number) * (inside.get(adj.nbr[p] as number) ?? 0);
    itemCentrality.set(item, c);
  }
  const centrality = new Map<number, number>();
  let pairSum = 0;
  for (const i of members) {
    const c = itemCentrality.get(itemOf[i] as number) as number;
    centrality.set(i, c);
    pairSum += c;
  }
  const ordered = [...members].sort((a, b) => (centrality.get(b) as number) - (centrality.get(a) as number) || a - b);
  const fr = members.filter((i) => (feats[i] as NoteFeatures).lang === 'fr').length;
  const lang = fr * 2 === members.length ? (feats[ordered[0] as number] as NoteFeatures).lang : fr * 2 > members.length ? 'fr' : 'en';
  const shared = sharedTerms(ordered, lang, ctx);
  const { label, terms } = describeCluster(ordered, lang, ctx, shared);
  const ids = ordered.map((i) => (notes[i] as ClusterNote).id);
  const pairs = (members.length * (members.length - 1)) / 2;
  return {
    id: clusterId(ids),
    label,
    noteIds: ids,
    score: round(Math.max(0, Math.min(1, pairSum / 2 / pairs))),
    terms,
    orgCount: new Set(members.map((i) => sameOrgKey(notes[i]?.org)).filter(Boolean)).size,
    domainCount: new Set(members.map((i) => notes[i]?.domainId).filter(Boolean)).size,
    representativeId: ids[0] as string,
    language: lang,
    evidence: explainCluster(shared, members.length, ctx.matcher),
  };
}

/** Stable id from the sorted member ids: the same grouping keeps its id across runs. */
export function clusterId(noteIds: readonly string[]): string {
  return `c_${createHash('sha256').update([...noteIds].sort().join('\n')).digest('hex').slice(0, 12)}`;
}

/**
 * Ranking: clusters held by more than one shared word first (explain.ts), then those that span
 * several organizations and several domains (the mutually reinforcing activities the workshop is
 * after), then more organizations, more domains, higher cohesion, larger, and finally id for
 * determinism.
 */
function compareClusters(x: Cluster, y: Cluster): number {
  const reach = (c: Cluster): number => (c.orgCount > 1 ? 1 : 0) + (c.orgCount > 1 && c.domainCount > 1 ? 1 : 0);
  return (
    Number(x.evidence.weak) - Number(y.evidence.weak) ||
    reach(y) - reach(x) ||
    y.orgCount - x.orgCount ||
    y.domainCount - x.domainCount ||
    y.score - x.score ||
    y.noteIds.length - x.noteIds.length ||
    (x.id < y.id ? -1 : 1)
  );
}

