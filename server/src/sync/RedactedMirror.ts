/**
 * A copy of a wall's document without emails, for review links the host has not allowed to see
 * them. Yjs cannot filter an update's bytes, so the mirror is a separate document that the server
 * keeps equal to the original record by record (every email blanked), and review connections sync
 * with the mirror only: no email ever reaches their browser, not even hidden in the data.
 *
 * The mirror is read-only for its peers (review links may not write), so it never needs to flow
 * back into the original.
 */
import * as Y from 'yjs';

const ROOTS = ['meta', 'notes', 'domains', 'clusters', 'relations'] as const;

/** What a record looks like once personal contact details are removed. */
function redactValue(root: string, key: string, value: unknown): unknown {
  if (root !== 'notes') return value;
  if (key === 'email') return '';
  if (key === 'coauthors' && Array.isArray(value)) {
    return value.map((p) => (p && typeof p === 'object' ? { ...(p as Record<string, unknown>), email: '' } : p));
  }
  return value;
}

const same = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);

export class RedactedMirror {
  readonly doc = new Y.Doc({ gc: true });
  private readonly observers: [Y.Map<unknown>, (events: Y.YEvent<Y.AbstractType<unknown>>[]) => void][] = [];

  constructor(private readonly source: Y.Doc) {
    this.doc.transact(() => {
      for (const root of ROOTS) this.source.getMap(root).forEach((_v, key) => this.copy(root, key));
    });
    for (const root of ROOTS) {
      const map = source.getMap<unknown>(root);
      const observer = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
        const keys = new Set<string>();
        for (const e of events) {
          if (e.target === map) for (const k of (e as Y.YMapEvent<unknown>).keysChanged) keys.add(k);
          else {
            // A change inside a record: climb to the key under the root.
            let item = (e.target as Y.AbstractType<unknown>)._item;
            while (item && item.parent !== map) item = (item.parent as Y.AbstractType<unknown>)._item;
            if (item?.parentSub) keys.add(item.parentSub);
          }
        }
        if (keys.size) this.doc.transact(() => keys.forEach((k) => this.copy(root, k)));
      };
      map.observeDeep(observer);
      this.observers.push([map, observer]);
    }
  }

  /** Makes the mirror's `root[key]` equal to the source's, emails blanked. */
  private copy(root: string, key: string): void {
    const src = this.source.getMap<unknown>(root).get(key);
    const dst = this.doc.getMap<unknown>(root);
    if (src === undefined) {
      if (dst.has(key)) dst.delete(key);
      return;
    }
    if (!(src instanceof Y.Map)) {
      // Never hand a live type of the source to the mirror (Yjs throws: "already integrated").
      // The write rules keep such values out of the document; this holds even for old data.
      const v = redactValue(root, key, src instanceof Y.AbstractType ? src.toJSON() : src);
      if (!same(dst.get(key), v)) dst.set(key, v);
      return;
    }
    let target = dst.get(key);
    if (!(target instanceof Y.Map)) {
      target = new Y.Map<unknown>();
      dst.set(key, target);
    }
    const t = target as Y.Map<unknown>;
    src.forEach((v, field) => {
      const value = redactValue(root, field, v instanceof Y.AbstractType ? v.toJSON() : v);
      if (!same(t.get(field), value)) t.set(field, value);
    });
    for (const field of Array.from(t.keys())) if (!src.has(field)) t.delete(field);
  }

  destroy(): void {
    for (const [map, observer] of this.observers) map.unobserveDeep(observer);
    this.doc.destroy();
  }
}
