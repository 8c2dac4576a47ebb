/**
 * Accepted clusters and drawn relations: the two ways a wall records "these activities belong
 * together". Suggestions from the clustering job are an overlay held by the host's client until
 * accepted; only accepted clusters enter the document, so nothing people grouped by hand is ever
 * overwritten by a machine.
 *
 *   clusters:  Y.Map  clusterId  → Y.Map { label, noteIds[], terms[], score, createdAt }
 *   relations: Y.Map  relationId → Y.Map { from, to, label, ownerId, createdAt }
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { ErrorCode, MaillageError } from '../errors/index.ts';
import { newClusterId, randomToken } from '../ids/index.ts';
import { LIMITS } from './limits.ts';

export const ClusterSchema = z.object({
  id: z.string().min(1).max(64),
  label: z.string().max(120),
  noteIds: z.array(z.string().min(1).max(64)).max(LIMITS.notesPerBoard),
  terms: z.array(z.string().max(60)).max(20),
  score: z.number().min(0).max(1),
  createdAt: z.number().int().nonnegative(),
});
export type Cluster = z.infer<typeof ClusterSchema>;

export const RelationSchema = z.object({
  id: z.string().min(1).max(64),
  from: z.string().min(1).max(64),
  to: z.string().min(1).max(64),
  label: z.string().max(80),
  ownerId: z.string().max(64),
  createdAt: z.number().int().nonnegative(),
});
export type Relation = z.infer<typeof RelationSchema>;

export const clustersMap = (doc: Y.Doc): Y.Map<Y.Map<unknown>> => doc.getMap<Y.Map<unknown>>('clusters');
export const relationsMap = (doc: Y.Doc): Y.Map<Y.Map<unknown>> => doc.getMap<Y.Map<unknown>>('relations');

function toMap(rec: Record<string, unknown>): Y.Map<unknown> {
  const m = new Y.Map<unknown>();
  for (const [k, v] of Object.entries(rec)) if (k !== 'id') m.set(k, v);
  return m;
}

/**
 * Accepted clusters, best first. Every cluster in the document is accepted (suggestions never
 * enter it); the option exists for callers that distinguish the two.
 */
export function listClusters(doc: Y.Doc, _opts: { acceptedOnly?: boolean } = {}): Cluster[] {
  const out: Cluster[] = [];
  clustersMap(doc).forEach((m, id) => {
    const p = ClusterSchema.safeParse({ ...m.toJSON(), id });
    if (p.success) out.push(p.data);
  });
  return out.sort((a, b) => b.score - a.score || a.label.localeCompare(b.label));
}

/** Accepts a suggested cluster into the document (host only, enforced by the server). */
export function acceptCluster(doc: Y.Doc, c: Omit<Cluster, 'id' | 'createdAt'> & { id?: string }, origin?: unknown): string {
  const id = c.id ?? newClusterId();
  const parsed = ClusterSchema.safeParse({ ...c, id, createdAt: Date.now() });
  if (!parsed.success) throw new MaillageError(ErrorCode.BadRequest, `invalid cluster: ${parsed.error.issues[0]?.message}`);
  doc.transact(() => clustersMap(doc).set(id, toMap(parsed.data)), origin);
  return id;
}

export function updateCluster(doc: Y.Doc, id: string, patch: { label?: string; noteIds?: string[] }, origin?: unknown): void {
  const m = clustersMap(doc).get(id);
  if (!m) throw new MaillageError(ErrorCode.NotFound, 'no such cluster');
  const next = ClusterSchema.safeParse({ ...m.toJSON(), ...patch, id });
  if (!next.success) throw new MaillageError(ErrorCode.BadRequest, 'invalid cluster');
  doc.transact(() => {
    if (patch.label !== undefined) m.set('label', next.data.label);
    if (patch.noteIds !== undefined) m.set('noteIds', next.data.noteIds);
  }, origin);
}

export function removeCluster(doc: Y.Doc, id: string, origin?: unknown): void {
  doc.transact(() => clustersMap(doc).delete(id), origin);
}

/** Cluster id of each note (first accepted cluster that contains it). */
export function clusterOfNotes(doc: Y.Doc): Map<string, Cluster> {
  const out = new Map<string, Cluster>();
  for (const c of listClusters(doc)) for (const id of c.noteIds) if (!out.has(id)) out.set(id, c);
  return out;
}

export function listRelations(doc: Y.Doc): Relation[] {
  const out: Relation[] = [];
  relationsMap(doc).forEach((m, id) => {
    const p = RelationSchema.safeParse({ ...m.toJSON(), id });
    if (p.success) out.push(p.data);
  });
  // Ties by id, as listNotes does: two devices that drew connectors in the same millisecond
  // must list them in the same order (their maps iterate in different orders).
  return out.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function addRelation(doc: Y.Doc, r: { from: string; to: string; label?: string; ownerId?: string }, origin?: unknown): string {
  if (r.from === r.to) throw new MaillageError(ErrorCode.BadRequest, 'a note cannot relate to itself');
  const id = randomToken(10);
  const parsed = RelationSchema.safeParse({ id, from: r.from, to: r.to, label: r.label ?? '', ownerId: r.ownerId ?? '', createdAt: Date.now() });
  if (!parsed.success) throw new MaillageError(ErrorCode.BadRequest, `invalid relation: ${parsed.error.issues[0]?.message}`);
  doc.transact(() => relationsMap(doc).set(id, toMap(parsed.data)), origin);
  return id;
}

export function updateRelation(doc: Y.Doc, id: string, label: string, origin?: unknown): void {
  const m = relationsMap(doc).get(id);
  if (!m) throw new MaillageError(ErrorCode.NotFound, 'no such relation');
  doc.transact(() => m.set('label', label.slice(0, 80)), origin);
}

export function removeRelation(doc: Y.Doc, id: string, origin?: unknown): void {
  doc.transact(() => relationsMap(doc).delete(id), origin);
}

/** The accepted-cluster record as stored in the document (aliases used by filters and exports). */
export type ClusterRecord = Cluster;
export const ClusterRecordSchema = ClusterSchema;
export const clustersRoot = clustersMap;

/** Writes a cluster with its own id (imports, restores). */
export function putCluster(doc: Y.Doc, c: Cluster, origin?: unknown): void {
  const parsed = ClusterSchema.safeParse(c);
  if (!parsed.success) throw new MaillageError(ErrorCode.BadRequest, `invalid cluster: ${parsed.error.issues[0]?.message}`);
  doc.transact(() => clustersMap(doc).set(parsed.data.id, toMap(parsed.data)), origin);
}
