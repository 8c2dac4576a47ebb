/**
 * A React-friendly view of the document: notes and domains as immutable arrays whose unchanged
 * elements keep their identity between changes, so memoised note components skip re-rendering.
 * With 5,000 notes this is the difference between re-rendering one note and all of them.
 *
 * Records are read with the shared lenient reader (docs/spec.md R66): a note written by a stock
 * y-websocket client without `ownerId`/`org` is shown with defaults (owned by no device), and a
 * record nothing can show is skipped rather than breaking the wall.
 */
import type * as Y from 'yjs';
import {
  clustersMap,
  listClusters,
  listRelations,
  readDomains,
  readMetaLenient,
  readNoteLenient,
  relationsMap,
  roots,
  type BoardMeta,
  type Cluster,
  type Domain,
  type Note,
  type Relation,
} from '@maillage/shared';

export interface BoardSnapshot {
  meta: BoardMeta | null;
  domains: Domain[];
  notes: Note[];
  clusters: Cluster[];
  relations: Relation[];
}

export class BoardStoreView {
  private readonly cache = new Map<string, Note>();
  private snapshot: BoardSnapshot;
  private listeners = new Set<() => void>();
  private scheduled = false;

  constructor(private readonly doc: Y.Doc) {
    const { notes, domains, meta } = roots(doc);
    notes.forEach((m, id) => {
      const n = readNoteLenient(id, m);
      if (n.ok) this.cache.set(id, n.value);
    });
    this.snapshot = this.build();
    notes.observeDeep(this.onNotes);
    domains.observeDeep(this.onOther);
    meta.observe(this.onOther);
    clustersMap(doc).observeDeep(this.onOther);
    relationsMap(doc).observeDeep(this.onOther);
  }

  private build(): BoardSnapshot {
    return {
      meta: readMetaLenient(this.doc),
      domains: readDomains(this.doc).domains,
      notes: Array.from(this.cache.values()).sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1)),
      clusters: listClusters(this.doc),
      relations: listRelations(this.doc),
    };
  }

  private onNotes = (events: Y.YEvent<Y.AbstractType<unknown>>[]): void => {
    const { notes } = roots(this.doc);
    const touched = new Set<string>();
    for (const e of events) {
      if (e.target === notes) for (const k of (e as Y.YMapEvent<unknown>).keysChanged) touched.add(k);
      else {
        // A change inside one note's map: find its id (the key under which the map sits).
        const item = (e.target as Y.Map<unknown>)._item;
        const key = item?.parentSub;
        if (key) touched.add(key);
      }
    }
    for (const id of touched) {
      const n = notes.has(id) ? readNoteLenient(id, notes.get(id)) : null;
      if (n?.ok) this.cache.set(id, n.value);
      else this.cache.delete(id);
    }
    this.schedule();
  };

  private onOther = (): void => this.schedule();

  /** Coalesces bursts of remote updates into one React update per microtask. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.snapshot = this.build();
      for (const l of this.listeners) l();
    });
  }

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getSnapshot = (): BoardSnapshot => this.snapshot;

  destroy(): void {
    const { notes, domains, meta } = roots(this.doc);
    notes.unobserveDeep(this.onNotes);
    domains.unobserveDeep(this.onOther);
    meta.unobserve(this.onOther);
    clustersMap(this.doc).unobserveDeep(this.onOther);
    relationsMap(this.doc).unobserveDeep(this.onOther);
    this.listeners.clear();
  }
}
