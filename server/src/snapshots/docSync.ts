/**
 * Makes one Yjs document's content equal to another's as an ordinary change: keys missing from
 * the source are deleted, changed values are set, equal ones are left alone. A restore applies
 * this to the live document in one transaction, so clients receive it like any other update and
 * nothing they hold is overwritten wholesale (a note unchanged since the snapshot keeps its Yjs
 * items, and a concurrent edit to it merges normally).
 */
import * as Y from 'yjs';
import { readWall, type ReadProblem } from '@maillage/shared';

/** Root maps a wall may have (`shared/src/schema`); any other root map found is synced too. */
export const WALL_ROOTS = ['meta', 'notes', 'domains', 'clusters', 'relations'] as const;

/** Names of the root maps of `doc` (known roots plus any other one it holds). */
export function rootNames(...docs: Y.Doc[]): string[] {
  const names = new Set<string>(WALL_ROOTS);
  for (const d of docs) for (const k of d.share.keys()) names.add(k);
  return Array.from(names).sort();
}

function rootMap(doc: Y.Doc, name: string): Y.Map<unknown> | null {
  try {
    return doc.getMap<unknown>(name);
  } catch {
    // A root of another type (none exist today): leave it alone rather than fail the restore.
    return null;
  }
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array && a.length === b.length && a.every((x, i) => x === b[i]);
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((x, i) => deepEqual(x, (b as unknown[])[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function syncMap(dst: Y.Map<unknown>, src: Y.Map<unknown>): void {
  for (const k of Array.from(dst.keys())) if (!src.has(k)) dst.delete(k);
  src.forEach((v, k) => {
    const cur = dst.get(k);
    if (v instanceof Y.Map) {
      if (cur instanceof Y.Map) syncMap(cur, v);
      else dst.set(k, v.clone());
    } else if (v instanceof Y.AbstractType) {
      // Arrays and texts are small here (none exist in the schema today): replace when different.
      const same = cur instanceof Y.AbstractType && cur.constructor === v.constructor && deepEqual(cur.toJSON(), v.toJSON());
      if (!same) dst.set(k, v.clone());
    } else if (!dst.has(k) || cur instanceof Y.AbstractType || !deepEqual(cur, v)) {
      dst.set(k, v);
    }
  });
}

/** Changes `dst` so its root maps hold what `src`'s hold. Call inside a transaction. */
export function syncDoc(dst: Y.Doc, src: Y.Doc): void {
  for (const name of rootNames(dst, src)) {
    const d = rootMap(dst, name);
    const s = rootMap(src, name);
    if (d && s) syncMap(d, s);
  }
}

/** The document's content as JSON with sorted keys: equal content gives equal strings. */
export function stableContent(doc: Y.Doc): string {
  const out: Record<string, unknown> = {};
  for (const name of rootNames(doc)) {
    const m = rootMap(doc, name);
    if (m && m.size) out[name] = m.toJSON();
  }
  return stableStringify(out);
}

function stableStringify(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableStringify(o[k])}`)
    .join(',')}}`;
}

/**
 * A throw-away document holding `state`; the caller destroys it. Bytes Yjs cannot apply give
 * `readable: false` (and whatever part could be applied) rather than a throw: the caller decides
 * what to tell.
 */
export function docFromState(state: Uint8Array): { doc: Y.Doc; readable: boolean } {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    return { doc, readable: true };
  } catch {
    return { doc, readable: false };
  }
}

/**
 * Deletes from `doc` every record of the wall's record roots that the lenient reader cannot use
 * (a string or array stored as a note, a connector to a missing note, …) and the unusable ids of
 * a cluster's noteIds, so that restoring it leaves only what the wall shows. Meant for the throw-away copy of a snapshot; returns what was
 * left out, for the log.
 */
export function dropUnreadable(doc: Y.Doc): ReadProblem[] {
  const read = readWall(doc);
  const keep: Record<string, Set<string>> = {
    notes: new Set(read.notes.map((n) => n.id)),
    domains: new Set(read.domains.map((d) => d.id)),
    clusters: new Set(read.clusters.map((c) => c.id)),
    relations: new Set(read.relations.map((r) => r.id)),
  };
  const repaired = new Set(read.problems.filter((p) => p.root === 'clusters').map((p) => p.key));
  doc.transact(() => {
    for (const [name, ids] of Object.entries(keep)) {
      const m = rootMap(doc, name);
      if (!m) continue;
      for (const k of Array.from(m.keys())) if (!ids.has(k)) m.delete(k);
    }
    // A cluster kept with some unusable entries in its noteIds keeps only the usable ones.
    const clusters = rootMap(doc, 'clusters');
    for (const c of read.clusters) {
      const m = clusters?.get(c.id);
      if (repaired.has(c.id) && m instanceof Y.Map) m.set('noteIds', c.noteIds);
    }
  });
  return read.problems;
}
