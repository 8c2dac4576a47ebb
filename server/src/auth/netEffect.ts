/**
 * What a Yjs transaction actually changed, record by record, once Yjs has merged it.
 *
 * The write rules must judge the *net effect* of an update on the wall, never the structs the
 * sender replays: a client reconnecting re-sends its whole delete set (other people's old
 * deletions included) and sometimes content the server already has, and a crafted update can set
 * one field twice so that the value a reader of the raw structs sees is not the one Yjs keeps.
 * Reading the merged document inside the transaction — before Yjs garbage-collects what it deleted
 * — gives both sides of every change exactly:
 *
 *  - `tr.changed` names every type that changed and the keys changed in it;
 *  - an item was *visible before* the transaction when it existed then (clock below
 *    `tr.beforeState`) and is either still undeleted or was deleted by this very transaction;
 *  - the value a map key showed before is the rightmost such item of that key's chain.
 *
 * Pure over a transaction in progress: it reads, never writes.
 */
import * as Y from 'yjs';

/** Root maps of a wall. Anything under another root is refused (docs/data-model.md). */
export const RECORD_ROOTS = ['meta', 'notes', 'domains', 'clusters', 'relations'] as const;
export type RecordRoot = (typeof RECORD_ROOTS)[number];
const IS_RECORD_ROOT = new Set<string>(RECORD_ROOTS);

/** A field's value, or why it cannot be one (a nested shared type, a string struct, …). */
export type FieldValue = { ok: true; value: unknown } | { ok: false; what: string };

/** How a key of a root map looked at one moment. */
export type Shape =
  | { kind: 'absent' }
  /** A plain value (the fields of `meta`). */
  | { kind: 'value'; value: FieldValue }
  /** A Y.Map record (a note, domain, cluster or connector) and its fields. */
  | { kind: 'record'; map: Y.Map<unknown>; fields: Map<string, FieldValue> };

export interface RecordChange {
  root: RecordRoot;
  key: string;
  before: Shape;
  after: Shape;
  /**
   * Set when the record is the same Y.Map before and after (an edit): the fields whose value
   * changed. Null when the record was created, deleted or replaced by another map.
   */
  changedFields: string[] | null;
  /** The record's map received items without a key (list content), which no record may hold. */
  listContent: boolean;
}

export interface NetEffect {
  records: RecordChange[];
  /** Types holding new content outside any record: unknown roots, the list part of a root. */
  strays: AnyType[];
}

type Struct = Y.Item;
/** Any shared type (Yjs types its event parameter; these modules never read events). */
export type AnyType = Y.AbstractType<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Whether an id is in the transaction's delete set (built lazily: it is unsorted until cleanup). */
function deletedInTransaction(tr: Y.Transaction): (id: Y.ID) => boolean {
  let index: Map<number, { clock: number; len: number }[]> | null = null;
  return (id) => {
    if (!index) {
      index = new Map();
      for (const [client, ranges] of tr.deleteSet.clients) {
        index.set(client, ranges.slice().sort((a, b) => a.clock - b.clock));
      }
    }
    const ranges = index.get(id.client);
    if (!ranges) return false;
    let lo = 0;
    let hi = ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = ranges[mid] as { clock: number; len: number };
      if (id.clock < r.clock) hi = mid - 1;
      else if (id.clock >= r.clock + r.len) lo = mid + 1;
      else return true;
    }
    return false;
  };
}

function fieldValue(item: Struct): FieldValue {
  const c = item.content;
  if (c instanceof Y.ContentAny) return { ok: true, value: c.getContent()[c.getLength() - 1] };
  if (c instanceof Y.ContentType) return { ok: false, what: `a shared ${c.type.constructor.name}` };
  return { ok: false, what: `${c.constructor.name} content` };
}

/** Reads the net effect of `tr` on `doc`. Call inside the transaction, after the update is applied. */
export function readNetEffect(doc: Y.Doc, tr: Y.Transaction): NetEffect {
  const deletedNow = deletedInTransaction(tr);
  const isNew = (it: Struct): boolean => it.id.clock >= (tr.beforeState.get(it.id.client) ?? 0);
  const wasVisible = (it: Struct): boolean => !isNew(it) && (!it.deleted || deletedNow(it.id));
  /** The item a map key showed before the transaction: walk the key's chain from the right. */
  const visibleBefore = (last: Struct | undefined): Struct | null => {
    for (let it: Struct | null = last ?? null; it; it = it.left) if (wasVisible(it)) return it;
    return null;
  };
  const fieldsOf = (map: Y.Map<unknown>, when: 'before' | 'after'): Map<string, FieldValue> => {
    const out = new Map<string, FieldValue>();
    for (const [field, last] of map._map) {
      const it = when === 'after' ? (last.deleted ? null : last) : visibleBefore(last);
      if (it) out.set(field, fieldValue(it));
    }
    return out;
  };
  const shapeOf = (root: RecordRoot, item: Struct | null, when: 'before' | 'after'): Shape => {
    if (!item) return { kind: 'absent' };
    const c = item.content;
    if (root !== 'meta' && c instanceof Y.ContentType && c.type instanceof Y.Map) {
      return { kind: 'record', map: c.type, fields: fieldsOf(c.type, when) };
    }
    return { kind: 'value', value: fieldValue(item) };
  };

  const rootName = new Map<AnyType, string>();
  for (const [name, type] of doc.share) rootName.set(type, name);

  // Records touched, with the fields changed inside them (when the record's own map changed).
  const touched = new Map<string, { root: RecordRoot; key: string; fields: Set<string>; listContent: boolean }>();
  const strays = new Set<AnyType>();
  const touch = (root: RecordRoot, key: string) => {
    const id = `${root}\u0000${key}`;
    let t = touched.get(id);
    if (!t) touched.set(id, (t = { root, key, fields: new Set(), listContent: false }));
    return t;
  };

  for (const [type, subs] of tr.changed) {
    // Climb to the root, remembering the keys on the way (path[0] is the record's key).
    const path: (string | null)[] = [];
    let t: AnyType = type;
    while (t._item) {
      path.unshift(t._item.parentSub);
      t = t._item.parent as AnyType;
    }
    const name = rootName.get(t);
    if (name === undefined || !IS_RECORD_ROOT.has(name)) {
      strays.add(t);
      continue;
    }
    const root = name as RecordRoot;
    if (path.length === 0) {
      for (const sub of subs) {
        if (sub === null) strays.add(t);
        else touch(root, sub);
      }
      continue;
    }
    const key = path[0];
    if (key === null || key === undefined) {
      strays.add(t);
      continue;
    }
    const rec = touch(root, key);
    if (path.length === 1) {
      for (const sub of subs) {
        if (sub === null) rec.listContent = true;
        else rec.fields.add(sub);
      }
    } else {
      // A change deeper than a record's fields (inside a nested type no valid record holds).
      const field = path[1];
      if (typeof field === 'string') rec.fields.add(field);
      else rec.listContent = true;
    }
  }

  const records: RecordChange[] = [];
  for (const { root, key, fields, listContent } of touched.values()) {
    const map = doc.share.get(root) as AnyType;
    const last = map._map.get(key);
    const afterItem = last && !last.deleted ? last : null;
    const beforeItem = visibleBefore(last);
    const before = shapeOf(root, beforeItem, 'before');
    const after = shapeOf(root, afterItem, 'after');
    const sameRecord = before.kind === 'record' && after.kind === 'record' && before.map === after.map;
    let changedFields: string[] | null = null;
    if (sameRecord) {
      changedFields = [];
      for (const f of fields) {
        if (!sameField(before.fields.get(f), after.fields.get(f))) changedFields.push(f);
      }
    }
    if (!sameRecord && before.kind === 'value' && after.kind === 'value' && sameField(before.value, after.value)) continue;
    if (!sameRecord && before.kind === 'absent' && after.kind === 'absent') continue;
    if (sameRecord && changedFields?.length === 0 && !listContent) continue;
    records.push({ root, key, before, after, changedFields, listContent });
  }
  return { records, strays: Array.from(strays) };
}

function sameField(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  if (!a || !b) return a === b;
  if (!a.ok || !b.ok) return false;
  return a.value === b.value || JSON.stringify(a.value) === JSON.stringify(b.value);
}

/** The plain fields of a record shape (unusable fields left out). */
export function plainFields(shape: Shape): Record<string, unknown> | null {
  if (shape.kind !== 'record') return null;
  const out: Record<string, unknown> = {};
  for (const [k, v] of shape.fields) if (v.ok) out[k] = v.value;
  return out;
}
