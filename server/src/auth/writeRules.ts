/**
 * Who may write what in the live document (docs/security.md, docs/spec.md R11–R14). The sync
 * transport asks `decideWrite` for every incoming update, before applying it:
 *  - review links write nothing;
 *  - participants write only notes: their own new notes (ownerId = theirs), and changes to notes
 *    they own; nothing while the wall is locked; no new notes while private writing is on (those
 *    go through the private channel);
 *  - hosts write anything;
 *  - for everyone, note fields must pass the shared validators (text length, email, colour, …).
 */
import type * as Y from 'yjs';
import { LIMITS, NoteSchema, RelationSchema, relationsMap, roots, type Role } from '@maillage/shared';
import { inspectUpdate, type Touch } from './updateInspector.ts';

export type WriteDecision = { ok: true } | { ok: false; reason: string };

export interface WriteContext {
  role: Role;
  /** Owner id the server derived for this connection (participants), or null. */
  ownerId: string | null;
  locked: boolean;
  privateWriting: boolean;
}

/** Validators of the fields of each owned record kind, by root name. */
const FIELDS: Record<string, Record<string, { safeParse(v: unknown): { success: boolean } }>> = {
  notes: NoteSchema.shape,
  relations: RelationSchema.shape,
};

/** Cheap role-only check, for transports that have not decoded the update yet. */
export function mayWrite(role: Role): WriteDecision {
  switch (role) {
    case 'host':
    case 'participant':
      return { ok: true };
    case 'review':
      return { ok: false, reason: 'read-only: this is a review link' };
    default: {
      const never: never = role;
      return { ok: false, reason: `unknown role ${String(never)}` };
    }
  }
}

export function decideWrite(ctx: WriteContext, doc: Y.Doc, update: Uint8Array): WriteDecision {
  const base = mayWrite(ctx.role);
  if (!base.ok) return base;
  if (ctx.role === 'participant' && ctx.locked) return { ok: false, reason: 'the wall is locked' };
  const touches = inspectUpdate(doc, update);
  const values = checkValues(touches);
  if (!values.ok) return values;
  if (ctx.role === 'host') return hostLimits(doc, touches);
  return participantRules(ctx, doc, touches);
}

function checkValues(touches: Touch[]): WriteDecision {
  for (const t of touches) {
    const fields = FIELDS[t.root];
    if (t.kind !== 'insert' || t.deleted || !fields || t.path.length !== 2) continue;
    const field = t.path[1] as string;
    const schema = field === 'id' ? undefined : fields[field];
    if (!schema) return { ok: false, reason: `unknown field ${field.slice(0, 32)}` };
    if (t.isType || !schema.safeParse(t.value).success) return { ok: false, reason: `invalid value for ${field}` };
  }
  return { ok: true };
}

/** Hosts may write anything, within the wall's size limits (notes and domains per wall). */
function hostLimits(doc: Y.Doc, touches: Touch[]): WriteDecision {
  const { notes, domains } = roots(doc);
  const newNotes = new Set<string>();
  const newDomains = new Set<string>();
  for (const t of touches) {
    if (t.kind !== 'insert' || t.path.length !== 1 || !t.isType) continue;
    const key = t.path[0] as string;
    if (t.root === 'notes' && !notes.has(key)) newNotes.add(key);
    if (t.root === 'domains' && !domains.has(key)) newDomains.add(key);
  }
  if (notes.size + newNotes.size > LIMITS.notesPerBoard) return { ok: false, reason: `a wall holds at most ${LIMITS.notesPerBoard} notes` };
  if (domains.size + newDomains.size > LIMITS.domainsPerBoard) return { ok: false, reason: `a wall holds at most ${LIMITS.domainsPerBoard} domains` };
  return { ok: true };
}

/**
 * Participants may write two kinds of owned records: notes and relations (connectors). Both carry
 * an ownerId; the same ownership rules apply. Everything else (domains, meta, clusters) is the
 * hosts'.
 */
function participantRules(ctx: WriteContext, doc: Y.Doc, touches: Touch[]): WriteDecision {
  const { notes } = roots(doc);
  const relations = relationsMap(doc);
  const newNotes = new Map<string, string | undefined>();
  const newRelations = new Map<string, string | undefined>();
  for (const t of touches) {
    if ((t.root !== 'notes' && t.root !== 'relations') || t.path.length === 0) {
      return { ok: false, reason: t.root === '?' ? 'not allowed' : 'only hosts can change domains, clusters and wall settings' };
    }
    const noteId = t.path[0] as string;
    if (t.root === 'relations') {
      const rel = relations.get(noteId);
      if (rel) {
        if (!ctx.ownerId || rel.get('ownerId') !== ctx.ownerId) return { ok: false, reason: 'not your connector' };
        if (t.kind === 'insert' && t.path[1] === 'ownerId') return { ok: false, reason: 'ownership cannot change' };
        continue;
      }
      if (!newRelations.has(noteId)) newRelations.set(noteId, undefined);
      if (t.kind === 'insert' && t.path[1] === 'ownerId') newRelations.set(noteId, t.value as string);
      continue;
    }
    const existing = notes.get(noteId);
    if (existing) {
      if (existing.get('ownerId') !== ctx.ownerId || !ctx.ownerId) return { ok: false, reason: 'not your note' };
      if (t.kind === 'insert' && t.path[1] === 'ownerId') return { ok: false, reason: 'ownership cannot change' };
      continue;
    }
    if (!newNotes.has(noteId)) newNotes.set(noteId, undefined);
    if (t.kind === 'insert' && t.path[1] === 'ownerId') newNotes.set(noteId, t.value as string);
  }
  for (const owner of newRelations.values()) {
    if ((owner ?? '') !== (ctx.ownerId ?? '')) return { ok: false, reason: 'new connectors must carry your owner id' };
  }
  if (newNotes.size) {
    if (ctx.privateWriting) return { ok: false, reason: 'private writing is on' };
    if (notes.size + newNotes.size > LIMITS.notesPerBoard) return { ok: false, reason: `a wall holds at most ${LIMITS.notesPerBoard} notes` };
    // A client without a device secret (e.g. a bare y-websocket client) may still add notes,
    // but anonymous ones (ownerId '') that only hosts can change afterwards.
    for (const owner of newNotes.values()) {
      if ((owner ?? '') !== (ctx.ownerId ?? '')) return { ok: false, reason: 'new notes must carry your owner id' };
    }
  }
  return { ok: true };
}
