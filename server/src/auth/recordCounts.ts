/**
 * How many records each limited root holds, and how many connectors each owner has, kept as the
 * document changes — so the write rules check the wall's size limits without counting the wall
 * on every update (docs/spec.md R95). `Y.Map.size` walks every key the map ever had (5,500 at a
 * 5,000-note wall with history) and the per-owner connector quota walked every connector: both
 * ran on each update that created a record.
 *
 * The counts follow the document's own observer events (after every transaction, whoever wrote
 * it), so they hold the state at the start of a transaction; the judge adds what its transaction
 * changed (see judge.ts `enforceLimits`).
 */
import * as Y from 'yjs';
import { relationsMap } from '@maillage/shared';
import type { RecordRoot } from './netEffect.ts';

/** Roots whose size the rules limit. */
const COUNTED = ['notes', 'domains', 'relations'] as const satisfies readonly RecordRoot[];
type Counted = (typeof COUNTED)[number];

export class RecordCounts {
  private readonly sizes = new Map<Counted, number>();
  /** Owner of each connector (an owner never changes: rules.ts), and connectors per owner. */
  private readonly relationOwner = new Map<string, string>();
  private readonly perOwner = new Map<string, number>();
  private readonly unobserve: (() => void)[] = [];

  constructor(doc: Y.Doc) {
    for (const root of COUNTED) {
      const map = doc.getMap<unknown>(root);
      this.sizes.set(root, map.size);
      const onChange = (e: Y.YMapEvent<unknown>) => this.applyRootEvent(root, e);
      map.observe(onChange);
      this.unobserve.push(() => map.unobserve(onChange));
    }
    const relations = relationsMap(doc);
    relations.forEach((m, key) => this.setOwner(key, m));
    // Deep: a connector's own fields too (its owner, should anything rewrite it).
    const onDeep = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
      for (const e of events) {
        const key = e.target._item?.parentSub;
        if (e.target.parent === relations && typeof key === 'string' && e instanceof Y.YMapEvent && e.keysChanged.has('ownerId')) {
          this.setOwner(key, relations.get(key));
        }
      }
    };
    relations.observeDeep(onDeep as never);
    this.unobserve.push(() => relations.unobserveDeep(onDeep as never));
  }

  destroy(): void {
    for (const u of this.unobserve) u();
  }

  /** Records in `root` at the start of the current transaction (or now, outside one). */
  size(root: RecordRoot): number | undefined {
    return this.sizes.get(root as Counted);
  }

  /** Connectors `owner` has at the start of the current transaction (or now). */
  relationsOf(owner: string): number {
    return this.perOwner.get(owner) ?? 0;
  }

  private applyRootEvent(root: Counted, e: Y.YMapEvent<unknown>): void {
    let delta = 0;
    for (const [key, change] of e.changes.keys) {
      if (change.action === 'add') delta++;
      else if (change.action === 'delete') delta--;
      if (root === 'relations') this.setOwner(key, change.action === 'delete' ? undefined : (e.target as Y.Map<unknown>).get(key));
    }
    this.sizes.set(root, (this.sizes.get(root) ?? 0) + delta);
  }

  private setOwner(key: string, value: unknown): void {
    const was = this.relationOwner.get(key);
    if (was !== undefined) {
      this.relationOwner.delete(key);
      this.perOwner.set(was, (this.perOwner.get(was) ?? 1) - 1);
    }
    const owner = value instanceof Y.Map ? value.get('ownerId') : undefined;
    if (typeof owner === 'string') {
      this.relationOwner.set(key, owner);
      this.perOwner.set(owner, (this.perOwner.get(owner) ?? 0) + 1);
    }
  }
}

const counting = new WeakMap<Y.Doc, RecordCounts>();

/** The document's record counts, built on first use (O(wall), once) and kept up to date after. */
export function recordCounts(doc: Y.Doc): RecordCounts {
  let c = counting.get(doc);
  if (!c) {
    const made = new RecordCounts(doc);
    counting.set(doc, made);
    doc.once('destroy', () => {
      made.destroy();
      counting.delete(doc);
    });
    c = made;
  }
  return c;
}
