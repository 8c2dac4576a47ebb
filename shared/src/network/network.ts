/**
 * The relationship map as data: which organizations work on related activities (docs/spec.md
 * R140–R143). One pure function, used by the server (`GET /api/boards/:id/network`, the GraphML
 * and Kumu exports, the PDF's map page) and by the client's map, so that every picture of the
 * network — screen, file, report — has the same nodes and the same edges.
 *
 * - One node per organization, grouped across spellings the way the review filters group them
 *   (`personKey`: "CJE Estrie" = "cje estrie"); its label is the most frequent spelling, as
 *   written. A note belongs to its author's organization and to each co-author's. A note with no
 *   organization at all is filed under its author's name (a person working alone is still a
 *   partner to reach); a note with neither is left off the map.
 * - One edge per pair of organizations that share an accepted group (both have a note in it) or
 *   that a connector joins (one's note to the other's), and — lighter — per pair that a strong
 *   clustering suggestion (not accepted, score ≥ `STRONG_SUGGESTION_SCORE`) puts together.
 *   `kinds` says which; `notes` lists the notes behind the edge; `weight` counts the groups,
 *   connectors and strong suggestions the pair shares.
 *
 * Nothing personal beyond what the wall shows (organization names): no email ever enters it.
 */
import { foldText, personKey } from '../schema/filters.ts';
import type { Note } from '../schema/records.ts';
import type { Cluster, Relation } from '../schema/clusters.ts';

export const EDGE_KINDS = ['group', 'connector', 'similar'] as const;
export type EdgeKind = (typeof EDGE_KINDS)[number];

/**
 * Suggestions at or above this score draw a `similar` edge. Scores are mean shared-neighbour
 * similarities (docs/clustering.md, step 13); the accepted-looking suggestions on the test walls
 * sit around 0.4–0.7, the loose ones under 0.3.
 */
export const STRONG_SUGGESTION_SCORE = 0.4;

export interface NetworkNode {
  /** Stable id: the organization's grouping key (folded, spaces collapsed). */
  id: string;
  /** The organization as written (its most frequent spelling on the wall). */
  label: string;
  /** How many notes (activities) involve it. */
  notes: number;
}

export interface NetworkEdge {
  /** The smaller of the two node ids (edges are undirected). */
  source: string;
  target: string;
  /** Groups + connectors + strong suggestions the pair shares. */
  weight: number;
  /** Why they are linked, in `EDGE_KINDS` order, each at most once. */
  kinds: EdgeKind[];
  /** The notes behind the edge (both ends' notes), in the wall's order (oldest first). */
  notes: string[];
}

export interface Network {
  nodes: NetworkNode[];
  edges: NetworkEdge[];
}

/** A clustering suggestion as the network needs it (`SuggestedCluster` fits). */
export interface SimilarGroup {
  id: string;
  noteIds: readonly string[];
  score: number;
}

export interface NetworkInput {
  notes: readonly Note[];
  /** Accepted groups. */
  clusters: readonly Cluster[];
  /** Connectors drawn between notes. */
  relations: readonly Relation[];
  /** The latest clustering suggestions, if any (only strong ones that are not accepted count). */
  suggestions?: readonly SimilarGroup[];
}

export interface NetworkFilter {
  /** Only the notes of this domain (nodes, edges and counts alike). */
  domainId?: string;
  /** Only this accepted group's notes, and the group's own edges. */
  clusterId?: string;
}

/** The organizations a note involves (grouping keys → spelling), author's first. */
export function noteOrganizations(n: Note): { key: string; label: string }[] {
  const out: { key: string; label: string }[] = [];
  for (const who of [n, ...(n.coauthors ?? [])]) {
    const label = (who.org.trim() || who.author.trim()).replace(/\s+/g, ' ');
    const key = personKey(label);
    if (key && !out.some((o) => o.key === key)) out.push({ key, label });
  }
  return out;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The network of organizations of a wall (see the module comment). Deterministic: nodes by
 * label (folded), then id; edges by source, then target. Never throws on content.
 */
export function computeNetwork(input: NetworkInput, filter: NetworkFilter = {}): Network {
  const group = filter.clusterId ? input.clusters.find((c) => c.id === filter.clusterId) : undefined;
  const inGroup = group ? new Set(group.noteIds) : null;
  const notes = input.notes.filter((n) => (!filter.domainId || n.domainId === filter.domainId) && (!inGroup || inGroup.has(n.id)));
  const byId = new Map(notes.map((n) => [n.id, n]));
  const order = new Map(notes.map((n, i) => [n.id, i]));

  // Nodes: count notes and spellings per organization.
  const orgsOf = new Map<string, string[]>();
  const nodes = new Map<string, { notes: number; spellings: Map<string, number> }>();
  for (const n of notes) {
    const orgs = noteOrganizations(n);
    orgsOf.set(n.id, orgs.map((o) => o.key));
    for (const o of orgs) {
      const node = nodes.get(o.key) ?? { notes: 0, spellings: new Map<string, number>() };
      node.notes++;
      node.spellings.set(o.label, (node.spellings.get(o.label) ?? 0) + 1);
      nodes.set(o.key, node);
    }
  }

  const edges = new Map<string, { source: string; target: string; weight: number; kinds: Set<EdgeKind>; notes: Set<string> }>();
  /** Links every organization of `a` to every (other) organization of `b`, for one reason. */
  const link = (kind: EdgeKind, pairs: [string, string][], reason: Set<string>) => {
    for (const [x, y] of pairs) {
      if (x === y) continue;
      const [source, target] = x < y ? [x, y] : [y, x];
      const k = `${source}\u0000${target}`;
      const e = edges.get(k) ?? { source, target, weight: 0, kinds: new Set<EdgeKind>(), notes: new Set<string>() };
      e.kinds.add(kind);
      edges.set(k, e);
      if (!reason.has(k)) {
        reason.add(k);
        e.weight++;
      }
    }
  };
  const addNotes = (x: string, y: string, ids: readonly string[]) => {
    const [source, target] = x < y ? [x, y] : [y, x];
    const e = edges.get(`${source}\u0000${target}`);
    if (!e) return;
    for (const id of ids) {
      const orgs = orgsOf.get(id) ?? [];
      if (orgs.includes(x) || orgs.includes(y)) e.notes.add(id);
    }
  };
  /** Every pair of distinct organizations among a set of notes, with those notes behind it. */
  const groupLinks = (kind: EdgeKind, noteIds: readonly string[]) => {
    const members = noteIds.filter((id) => byId.has(id));
    const orgs = [...new Set(members.flatMap((id) => orgsOf.get(id) ?? []))].sort(cmp);
    const pairs: [string, string][] = [];
    for (let i = 0; i < orgs.length; i++) for (let j = i + 1; j < orgs.length; j++) pairs.push([orgs[i] as string, orgs[j] as string]);
    link(kind, pairs, new Set());
    for (const [x, y] of pairs) addNotes(x, y, members);
  };

  const accepted = group ? [group] : input.clusters;
  for (const c of accepted) groupLinks('group', c.noteIds);
  for (const r of input.relations) {
    const a = orgsOf.get(r.from);
    const b = orgsOf.get(r.to);
    if (!a || !b) continue;
    const pairs: [string, string][] = a.flatMap((x) => b.map((y): [string, string] => [x, y]));
    link('connector', pairs, new Set());
    for (const [x, y] of pairs) if (x !== y) addNotes(x, y, [r.from, r.to]);
  }
  // Strong suggestions the hosts did not accept (an accepted group with the same members is
  // already a `group` edge: counting it again would double its weight).
  const acceptedSets = new Set(input.clusters.map((c) => [...c.noteIds].sort(cmp).join('\u0000')));
  const acceptedIds = new Set(input.clusters.map((c) => c.id));
  for (const s of input.suggestions ?? []) {
    if (!(s.score >= STRONG_SUGGESTION_SCORE) || acceptedIds.has(s.id)) continue;
    if (acceptedSets.has([...s.noteIds].sort(cmp).join('\u0000'))) continue;
    if (inGroup && !s.noteIds.some((id) => inGroup.has(id))) continue;
    groupLinks('similar', s.noteIds);
  }

  const capitals = (v: string) => (v === v.toLowerCase() ? 0 : 1);
  const nodeList: NetworkNode[] = [...nodes].map(([id, n]) => ({
    id,
    // The most frequent spelling; on a tie, one with capitals, then the first in code order.
    label: [...n.spellings].sort((a, b) => b[1] - a[1] || capitals(b[0]) - capitals(a[0]) || cmp(a[0], b[0]))[0]?.[0] ?? id,
    notes: n.notes,
  }));
  nodeList.sort((a, b) => cmp(foldText(a.label), foldText(b.label)) || cmp(a.id, b.id));
  const edgeList: NetworkEdge[] = [...edges.values()]
    .map((e) => ({
      source: e.source,
      target: e.target,
      weight: e.weight,
      kinds: EDGE_KINDS.filter((k) => e.kinds.has(k)),
      notes: [...e.notes].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0)),
    }))
    .sort((a, b) => cmp(a.source, b.source) || cmp(a.target, b.target));
  return { nodes: nodeList, edges: edgeList };
}

/** The edges that touch `nodeId`. */
export function edgesOf(network: Network, nodeId: string): NetworkEdge[] {
  return network.edges.filter((e) => e.source === nodeId || e.target === nodeId);
}
