/**
 * Says what an incoming Yjs update would touch, before it is applied: which root map, which note,
 * which field, and with which value. Yjs updates are opaque binary; this decodes the structs and
 * resolves each one's position against the update itself and the server's document.
 *
 * An item's position is encoded in one of three ways: a root name (`parent` is a string), the id
 * of the item that holds its parent type (`parent` is an ID), or — when it has a left or right
 * neighbour — nothing at all, in which case it shares the neighbour's parent and key.
 */
import * as Y from 'yjs';

export interface Touch {
  /** Root type name ('notes', 'domains', 'meta', …) or '?' when it cannot be resolved. */
  root: string;
  /** Keys below the root: [noteId] for a note itself, [noteId, field] for one of its fields. */
  path: string[];
  kind: 'insert' | 'delete';
  /** For an inserted plain value (ContentAny), the value. */
  value?: unknown;
  /** True when the inserted content is a shared type (e.g. a note's Y.Map). */
  isType?: boolean;
  /**
   * True for an insert whose content is already deleted in the update itself (e.g. the first of
   * two edits of one field made offline): it carries no value to validate.
   */
  deleted?: boolean;
}

type UpdateItem = Y.Item;
type Located = { root: string; path: string[] };
const UNKNOWN: Located = { root: '?', path: [] };

export function inspectUpdate(doc: Y.Doc, update: Uint8Array): Touch[] {
  const { structs, ds } = Y.decodeUpdate(update);
  const byClient = new Map<number, UpdateItem[]>();
  for (const s of structs) {
    if (!(s instanceof Y.Item)) continue;
    const list = byClient.get(s.id.client) ?? [];
    list.push(s);
    byClient.set(s.id.client, list);
  }
  const cache = new Map<UpdateItem, Located>();

  // Structs of one client arrive sorted by clock: binary search keeps judging an update
  // O(n log n), so one large (but legal-sized) frame cannot stall the event loop.
  for (const list of byClient.values()) list.sort((a, b) => a.id.clock - b.id.clock);
  const findInUpdate = (id: Y.ID): UpdateItem | undefined => {
    const list = byClient.get(id.client);
    if (!list) return undefined;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = list[mid] as UpdateItem;
      if (id.clock < s.id.clock) hi = mid - 1;
      else if (id.clock >= s.id.clock + s.length) lo = mid + 1;
      else return s;
    }
    return undefined;
  };

  const findInDoc = (id: Y.ID): Y.Item | undefined => {
    const state = doc.store.clients.get(id.client);
    if (!state || !state.length) return undefined;
    const last = state[state.length - 1] as Y.AbstractStruct;
    if (id.clock >= last.id.clock + last.length) return undefined;
    const item = Y.getItem(doc.store, id);
    return item instanceof Y.Item ? item : undefined;
  };

  /** Position of an item already integrated in the server's document. */
  const locateIntegrated = (item: Y.Item): Located => {
    const path: string[] = [];
    if (item.parentSub !== null) path.push(item.parentSub);
    let type = item.parent as Y.AbstractType<unknown> | null;
    let guard = 0;
    while (type && type._item && guard++ < 64) {
      const holder: Y.Item = type._item;
      if (holder.parentSub !== null) path.unshift(holder.parentSub);
      type = holder.parent as Y.AbstractType<unknown> | null;
    }
    if (!type) return UNKNOWN;
    let root = '?';
    try {
      root = Y.findRootTypeKey(type);
    } catch {
      root = '?';
    }
    return { root, path };
  };

  /** Position of the *type* held by the item with this id (the parent of its children). */
  const locateTypeHolder = (id: Y.ID, depth: number): Located => {
    const own = findInUpdate(id);
    if (own) return locateNew(own, depth + 1);
    const integrated = findInDoc(id);
    return integrated ? locateIntegrated(integrated) : UNKNOWN;
  };

  const locateNew = (s: UpdateItem, depth = 0): Located => {
    const hit = cache.get(s);
    if (hit) return hit;
    if (depth > 64) return UNKNOWN;
    let loc: Located;
    const parent = s.parent as unknown;
    if (typeof parent === 'string') {
      loc = { root: parent, path: s.parentSub !== null ? [s.parentSub] : [] };
    } else if (parent instanceof Y.ID) {
      const holder = locateTypeHolder(parent, depth);
      loc = holder.root === '?' ? UNKNOWN : { root: holder.root, path: s.parentSub !== null ? [...holder.path, s.parentSub] : holder.path };
    } else {
      // Neither: the position is that of a neighbour (left origin, else right origin).
      const sibling = s.origin ?? s.rightOrigin;
      if (!sibling) loc = UNKNOWN;
      else {
        const own = findInUpdate(sibling);
        if (own) loc = locateNew(own, depth + 1);
        else {
          const integrated = findInDoc(sibling);
          loc = integrated ? locateIntegrated(integrated) : UNKNOWN;
        }
      }
    }
    cache.set(s, loc);
    return loc;
  };

  const touches: Touch[] = [];
  for (const list of byClient.values()) {
    for (const s of list) {
      const loc = locateNew(s);
      const t: Touch = { ...loc, kind: 'insert' };
      if (s.content instanceof Y.ContentDeleted) t.deleted = true;
      else if (s.content instanceof Y.ContentAny) t.value = s.content.arr[s.content.arr.length - 1];
      else if (s.content instanceof Y.ContentType) t.isType = true;
      else if (s.content instanceof Y.ContentString) t.value = s.content.str;
      touches.push(t);
    }
  }
  for (const [client, ranges] of ds.clients) {
    for (const r of ranges) {
      let clock = r.clock;
      const end = r.clock + r.len;
      let guard = 0;
      while (clock < end && guard++ < 100_000) {
        const id = Y.createID(client, clock);
        const integrated = findInDoc(id);
        if (integrated) {
          touches.push({ ...locateIntegrated(integrated), kind: 'delete' });
          clock = integrated.id.clock + integrated.length;
          continue;
        }
        const own = findInUpdate(id);
        if (own) {
          touches.push({ ...locateNew(own), kind: 'delete' });
          clock = own.id.clock + own.length;
          continue;
        }
        // Deleting something nobody has: a no-op for Yjs; record it so rules can refuse it.
        touches.push({ ...UNKNOWN, kind: 'delete' });
        break;
      }
    }
  }
  return touches;
}
