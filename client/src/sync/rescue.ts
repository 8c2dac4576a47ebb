/**
 * Gives back text the server reverted (docs/spec.md R63). When the server refuses part of a
 * write, it undoes it on the live connection: a note created while the wall was locked comes
 * back as a deletion, a text edited while locked comes back as the old text. Both arrive as
 * ordinary remote changes, next to an `auth` refusal message. Without this, whatever the person
 * typed would simply vanish from the screen.
 *
 * So this watches the notes this device owns. A remote removal of one of them, or a remote change
 * of its text, that falls within a short window of a refusal (either order: the compensating
 * update and the refusal are separate frames) is handed to `onRescue` with the refusal's code.
 * Changes far from any refusal are other people's legitimate edits (a host deleting a note) and
 * are left alone.
 */
import type * as Y from 'yjs';
import { readNoteLenient, roots } from '@maillage/shared';
import type { RefusalEvent } from './refusals.ts';

/** What the person had typed, as it was before the server reverted it. */
export interface LostNote {
  id: string;
  text: string;
  domainId: string;
  x: number;
  y: number;
  /** The note still exists: only this text was reverted. */
  edited: boolean;
}

interface Own {
  text: string;
  domainId: string;
  x: number;
  y: number;
}

/** How far apart a compensating update and its refusal message may arrive (same socket, in order). */
const WINDOW_MS = 3000;

export class OwnNoteRescue {
  private readonly own = new Map<string, Own>();
  private pending: { lost: LostNote; at: number }[] = [];
  private lastRefusal: RefusalEvent | null = null;

  /**
   * @param isServer tells whether a transaction's origin is the server connection (reverts come
   *   from there; local edits and the IndexedDB copy loading do not).
   */
  constructor(
    private readonly doc: Y.Doc,
    private readonly ownerId: string,
    private readonly isServer: (origin: unknown) => boolean,
    private readonly onRescue: (lost: LostNote[], refusal: RefusalEvent) => void,
  ) {
    const { notes } = roots(doc);
    notes.forEach((_m, id) => this.track(id));
    notes.observeDeep(this.onNotes);
  }

  private read(id: string): Own | null {
    const r = readNoteLenient(id, roots(this.doc).notes.get(id));
    if (!r.ok || r.value.ownerId !== this.ownerId) return null;
    const { text, domainId, x, y } = r.value;
    return { text, domainId, x, y };
  }

  private track(id: string): Own | null {
    const cur = this.read(id);
    if (cur) this.own.set(id, cur);
    else this.own.delete(id);
    return cur;
  }

  private onNotes = (events: Y.YEvent<Y.AbstractType<unknown>>[], txn: Y.Transaction): void => {
    const { notes } = roots(this.doc);
    const touched = new Set<string>();
    for (const e of events) {
      if (e.target === notes) for (const k of (e as Y.YMapEvent<unknown>).keysChanged) touched.add(k);
      else {
        const key = (e.target as Y.Map<unknown>)._item?.parentSub;
        if (key) touched.add(key);
      }
    }
    const fromServer = this.isServer(txn.origin);
    const now = Date.now();
    for (const id of touched) {
      const before = this.own.get(id);
      const after = this.track(id);
      if (!fromServer || !before) continue;
      if (!after) this.pending.push({ lost: { id, ...before, edited: false }, at: now });
      else if (after.text !== before.text) this.pending.push({ lost: { id, ...before, edited: true }, at: now });
    }
    // A refusal that came first covers the reverts that follow it.
    if (this.lastRefusal && now - this.lastRefusal.at <= WINDOW_MS) this.flush(this.lastRefusal);
    else this.prune(now);
  };

  /** The server refused part of a write: rescue what it reverted around now. */
  refused(e: RefusalEvent): void {
    this.lastRefusal = e;
    this.flush(e);
  }

  private prune(now: number): void {
    this.pending = this.pending.filter((p) => now - p.at <= WINDOW_MS);
  }

  private flush(e: RefusalEvent): void {
    this.prune(e.at > Date.now() ? e.at : Date.now());
    if (!this.pending.length) return;
    const lost = this.pending.map((p) => p.lost);
    this.pending = [];
    this.onRescue(lost, e);
  }

  destroy(): void {
    roots(this.doc).notes.unobserveDeep(this.onNotes);
  }
}
