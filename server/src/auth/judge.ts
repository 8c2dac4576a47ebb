/**
 * Applies a client's update to the live document as the server's judgement allows — in one Yjs
 * transaction (docs/protocol.md, "judging changes"):
 *
 *   1. the update is merged (Yjs integrates what is new, ignores what the server already has);
 *   2. its net effect is read record by record (netEffect.ts) and judged (rules.ts);
 *   3. whatever the sender may not change is put back, by the server, inside the same transaction.
 *
 * Because all three happen in one transaction, the document emits a single update whose net
 * effect is the legitimate part only: other clients and the store never see a refused change
 * (deleted content is garbage-collected before the update is encoded), while the sender, which
 * gets that update too, converges to the server's state and keeps everything else it wrote.
 * Nothing is judged twice, and a client replaying history the server already has changes nothing
 * and so is never refused.
 */
import * as Y from 'yjs';
import { LIMITS, WriteRefusal, clustersMap, randomToken, relationsMap, roots } from '@maillage/shared';
import { RECORD_ROOTS, plainFields, readNetEffect, type AnyType, type FieldValue, type RecordChange, type RecordRoot, type Shape } from './netEffect.ts';
import { RECORD_LIMITS, judgeRecord, type JudgeContext } from './rules.ts';
import { knownDeletions, withoutKnownDeletions } from './knownDeletions.ts';
import { recordCounts, type RecordCounts } from './recordCounts.ts';

export type { JudgeContext } from './rules.ts';

/** One record (or part of one) the server put back, for the sender's message and for hooks. */
export interface Refusal {
  reason: WriteRefusal;
  detail: string;
  root: string;
  key: string;
  kind: 'create' | 'update' | 'delete';
  ownerId: string | null;
  /** The record as the sender tried to leave it (plain fields), for records that were created or edited. */
  value?: Record<string, unknown>;
}

/** An email taken out of the document, for the contact store (never logged). */
export interface TakenContact {
  ownerId: string;
  email: string;
}

export interface JudgeResult {
  refusals: Refusal[];
  /** Emails taken out of the notes this update wrote (only with `ctx.takeContacts`). */
  contacts: TakenContact[];
  /** The update the transaction produced (null when it changed nothing). */
  update: Uint8Array | null;
  /**
   * The server wrote into the transaction (put something back, or filled derived fields): the
   * sender does not have those writes and must be sent `update`.
   */
  fixed: boolean;
  /**
   * The update referred to content the server does not have (it was lost, or the sender skipped
   * it): Yjs would hold it back as pending. The server keeps nothing pending — the sender is asked
   * to sync again, which brings the missing part.
   */
  incomplete: boolean;
  /** Set when applying failed half-way (a malformed update); what was integrated was still judged. */
  error?: unknown;
}

/** Makes sure the record roots exist as maps, so nothing can create them as another type. */
export function ensureRoots(doc: Y.Doc): void {
  roots(doc);
  clustersMap(doc);
  relationsMap(doc);
}

/**
 * Builds what judging keeps beside a document — its known deletions and record counts — so the
 * first update does not pay for it. O(wall), once: a room calls it when it loads. Call it outside
 * any transaction (the indexes start from the document's current state).
 */
export function prepareForJudging(doc: Y.Doc): void {
  ensureRoots(doc);
  knownDeletions(doc);
  recordCounts(doc);
}

/**
 * Merges `update` into `doc` with `origin`, keeping only what `ctx` may change.
 * Never throws for what the update contains; `error` reports an update Yjs could not apply.
 */
export function judgeAndApply(doc: Y.Doc, update: Uint8Array, ctx: JudgeContext, origin: unknown, now = Date.now()): JudgeResult {
  // Inside someone else's transaction the indexes (which follow finished transactions) may lag:
  // judge without them, counting the slow way.
  const nested = doc._transaction !== null;
  if (nested) ensureRoots(doc);
  else prepareForJudging(doc);
  const counts = nested ? null : recordCounts(doc);
  // A reconnect re-sends every deletion it knows of; Yjs need only see the ones that are new.
  const toApply = nested ? update : withoutKnownDeletions(doc, update);
  const refusals: Refusal[] = [];
  const contacts: TakenContact[] = [];
  let produced: Uint8Array | null = null;
  let error: unknown;
  let incomplete = false;
  let fixed = false;
  const capture = (u: Uint8Array, o: unknown) => {
    if (o === origin) produced = u;
  };
  doc.on('update', capture);
  try {
    Y.transact(
      doc,
      (tr) => {
        try {
          Y.applyUpdate(doc, toApply, origin);
        } catch (e) {
          error = e;
        }
        // applyUpdate marks the transaction remote; the fixes below are the server's own writes,
        // and a remote transaction that writes under the server's client id makes Yjs believe
        // another peer uses that id and pick a new one (growing every state vector).
        tr.local = true;
        const store = doc.store;
        if (store.pendingStructs || store.pendingDs) {
          incomplete = true;
          store.pendingStructs = null;
          store.pendingDs = null;
        }
        const effect = readNetEffect(doc, tr);
        for (const stray of effect.strays) {
          removeNewContent(stray, tr);
          refusals.push({ reason: WriteRefusal.Invalid, detail: 'content outside the wall\'s records', root: '?', key: '', kind: 'create', ownerId: ctx.ownerId });
        }
        const notes = roots(doc).notes;
        const exists = (id: string) => notes.get(id) instanceof Y.Map;
        const created = new Map<RecordRoot, RecordChange[]>();
        let fills = 0;
        for (const change of effect.records) {
          const verdict = judgeRecord(ctx, change, exists, now);
          const kind = change.before.kind === 'absent' ? 'create' : change.after.kind === 'absent' ? 'delete' : 'update';
          if (!verdict.accept) {
            restore(doc, change);
            refusals.push(refusal(change, kind, verdict.reason, verdict.detail, ctx));
            continue;
          }
          if (verdict.revert.length && change.before.kind === 'record' && change.after.kind === 'record') {
            for (const r of verdict.revert) restoreField(change.after.map, r.field, change.before.fields.get(r.field));
            const first = verdict.revert[0] as { reason: WriteRefusal; detail: string };
            refusals.push(refusal(change, kind, first.reason, first.detail, ctx));
          }
          if (change.after.kind === 'record') {
            for (const [k, v] of Object.entries(verdict.fill)) {
              change.after.map.set(k, v);
              fills++;
            }
            if (ctx.takeContacts && change.root === 'notes') fills += takeNoteContacts(change.after.map, contacts);
          }
          if (kind === 'create') {
            const list = created.get(change.root) ?? [];
            list.push(change);
            created.set(change.root, list);
          }
        }
        enforceLimits(doc, created, effect.records, counts, ctx, refusals);
        fixed = refusals.length > 0 || fills > 0;
      },
      origin,
    );
  } finally {
    doc.off('update', capture);
  }
  return { refusals, contacts, update: produced, fixed, incomplete, ...(error === undefined ? {} : { error }) };
}

/**
 * Moves the emails of a note (and of its co-authors) out of the document into `out`; returns how
 * many fields it rewrote. The deleted values are garbage-collected before the transaction's update
 * is encoded, so no other client and no stored row receives them.
 */
export function takeNoteContacts(note: Y.Map<unknown>, out: TakenContact[]): number {
  let rewrote = 0;
  const email = note.get('email');
  if (email !== undefined) {
    if (typeof email === 'string' && email.trim()) {
      let owner = note.get('ownerId');
      // Contacts are kept per author id: a note nobody owns ('' — made by a host for someone,
      // imported) gets an id of its own rather than losing its email.
      if (typeof owner !== 'string' || !owner) {
        owner = authorIdForContact();
        note.set('ownerId', owner);
      }
      out.push({ ownerId: owner as string, email: email.trim() });
    }
    note.delete('email');
    rewrote++;
  }
  const coauthors = note.get('coauthors');
  if (Array.isArray(coauthors) && coauthors.some((p) => p && typeof p === 'object' && 'email' in p)) {
    note.set('coauthors', coauthors.map((p: Record<string, unknown>) => withoutEmail(p, out)));
    rewrote++;
  }
  return rewrote;
}

/** A co-author without their email (moved to `out`, under their author id, given one if needed). */
export function withoutEmail(p: Record<string, unknown>, out: TakenContact[]): Record<string, unknown> {
  const { email: e, ...rest } = p;
  if (typeof e === 'string' && e.trim()) {
    if (typeof rest.ownerId !== 'string' || !rest.ownerId) rest.ownerId = authorIdForContact();
    out.push({ ownerId: rest.ownerId as string, email: e.trim() });
  }
  return rest;
}

/** An author id for a person known only by an email on a note (same shape as imports': `i-…`). */
export function authorIdForContact(): string {
  return `i-${randomToken(12)}`;
}

function refusal(change: RecordChange, kind: Refusal['kind'], reason: WriteRefusal, detail: string, ctx: JudgeContext): Refusal {
  const value = plainFields(change.after) ?? undefined;
  return { reason, detail, root: change.root, key: change.key, kind, ownerId: ctx.ownerId, ...(value ? { value } : {}) };
}

/** Past a count limit, the newest records this update created are removed again. */
function enforceLimits(
  doc: Y.Doc,
  created: Map<RecordRoot, RecordChange[]>,
  changes: RecordChange[],
  counts: RecordCounts | null,
  ctx: JudgeContext,
  refusals: Refusal[],
): void {
  for (const [root, list] of created) {
    const limit = RECORD_LIMITS[root];
    const map = doc.share.get(root) as unknown as Y.Map<unknown>;
    const present = (key: string) => {
      const it = map._map.get(key);
      return it !== undefined && !it.deleted;
    };
    // The count at the start of the transaction, plus what this transaction changed: every key
    // whose presence changed is one of the update's records (the judge writes no other key).
    let size = counts?.size(root);
    if (size === undefined) size = map.size;
    else for (const c of changes) if (c.root === root) size += Number(present(c.key)) - Number(c.before.kind !== 'absent');
    const excess = limit === undefined ? 0 : size - limit;
    const drop = new Set<RecordChange>(excess > 0 ? list.slice(-excess) : []);
    if (root === 'relations' && ctx.role !== 'host' && ctx.ownerId !== null) {
      // Per author as well: a participant cannot fill the wall's quota alone.
      const me = ctx.ownerId;
      let mine = 0;
      if (counts) {
        mine = counts.relationsOf(me);
        for (const c of changes) {
          if (c.root !== root) continue;
          const now = present(c.key) ? (map.get(c.key) as Y.Map<unknown> | undefined)?.get?.('ownerId') : undefined;
          const was = c.before.kind === 'record' ? c.before.fields.get('ownerId') : undefined;
          mine += Number(now === me) - Number(was?.ok === true && was.value === me);
        }
      } else {
        relationsMap(doc).forEach((m) => {
          if (m.get('ownerId') === me) mine++;
        });
      }
      const over = mine - LIMITS.relationsPerOwner;
      for (const c of list.slice(-Math.max(0, over))) if (over > 0) drop.add(c);
    }
    for (const c of drop) {
      map.delete(c.key);
      refusals.push(refusal(c, 'create', WriteRefusal.Limit, `a wall holds at most ${limit} ${root}`, ctx));
    }
  }
}

/** Puts a record back as it was before the update. */
function restore(doc: Y.Doc, change: RecordChange): void {
  const map = doc.share.get(change.root) as unknown as Y.Map<unknown>;
  const { before, after } = change;
  if (before.kind === 'absent') {
    if (after.kind !== 'absent') map.delete(change.key);
    return;
  }
  if (before.kind === 'value') {
    if (before.value.ok) map.set(change.key, before.value.value);
    else map.delete(change.key); // unusable before as well: nothing worth restoring
    return;
  }
  if (after.kind === 'record' && after.map === before.map) {
    for (const f of new Set([...before.fields.keys(), ...after.fields.keys()])) {
      if (!sameValue(before.fields.get(f), after.fields.get(f))) restoreField(after.map, f, before.fields.get(f));
    }
    removeListContent(after.map);
    return;
  }
  map.set(change.key, recordFrom(before));
}

function restoreField(map: Y.Map<unknown>, field: string, was: FieldValue | undefined): void {
  if (was?.ok) map.set(field, was.value);
  else map.delete(field);
}

function recordFrom(shape: Extract<Shape, { kind: 'record' }>): Y.Map<unknown> {
  const m = new Y.Map<unknown>();
  for (const [k, v] of shape.fields) if (v.ok) m.set(k, v.value);
  return m;
}

function sameValue(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  if (!a || !b) return a === b;
  return a.ok && b.ok && JSON.stringify(a.value) === JSON.stringify(b.value);
}

/** Deletes the list content (items without a key) of a map, which no record holds. */
function removeListContent(type: AnyType): void {
  const tr = type.doc?._transaction;
  if (!tr) return;
  for (let it = type._start; it; it = it.right) if (!it.deleted) it.delete(tr);
}

/** Deletes every visible item of a type that holds no records (an unknown root, a root's list part). */
function removeNewContent(type: AnyType, tr: Y.Transaction): void {
  removeListContent(type);
  if (RECORD_ROOTS.some((r) => type.doc?.share.get(r) === type)) return; // its keyed records are judged one by one
  for (const it of type._map.values()) if (!it.deleted) it.delete(tr);
}
