/**
 * The text of one note being typed (canvas editor, quick-add sheet, list add field), saved as a
 * draft on every keystroke so that a reload, a lock or a refusal never loses it (docs/spec.md
 * R64). While the field is open, the drafts tray leaves its draft out.
 */
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { DraftReason, DraftStore } from '../sync/drafts.ts';
import type { SubmitResult } from './actions.ts';

export interface DraftPlace {
  domainId: string;
  x?: number;
  y?: number;
  /** Editing an existing note: unchanged text is no draft. */
  editOf?: string;
}

export interface DraftField {
  text: string;
  setText(text: string): void;
  /** Why the submitted text is still here (the wall is locked, …); null while just typing. */
  kept: DraftReason | null;
  /** Records what became of a submit; true when the note is on the wall. */
  settle(r: SubmitResult): boolean;
  /** Drops the draft (cancel): the person chose not to keep it. */
  discard(): void;
}

const noStore = {
  subscribe: () => () => {},
  getSnapshot: () => [] as const,
};

/**
 * @param onPosted called when a kept draft is posted by someone else than this field (the wall
 *   reopened and the page posted it): the field can close or clear itself.
 */
export function useDraft(store: DraftStore | null, id: string, place: DraftPlace, initial = '', onPosted?: () => void): DraftField {
  const saved = store?.get(id);
  const [text, setTextState] = useState(() => saved?.text ?? initial);
  const [kept, setKept] = useState<DraftReason | null>(() => (saved?.state === 'queued' ? (saved.reason ?? 'locked') : null));
  const placeRef = useRef(place);
  placeRef.current = place;

  useEffect(() => {
    if (!store) return;
    store.attach(id);
    return () => store.detach(id);
  }, [store, id]);

  // The domain can change while typing (the quick-add picker): the draft follows it.
  const { domainId, x, y } = place;
  useEffect(() => {
    store?.patch(id, { domainId, x, y });
  }, [store, id, domainId, x, y]);

  const all = useSyncExternalStore(store?.subscribe ?? noStore.subscribe, store?.getSnapshot ?? noStore.getSnapshot);
  const exists = all.some((d) => d.id === id);
  const onPostedRef = useRef(onPosted);
  onPostedRef.current = onPosted;
  useEffect(() => {
    if (kept === 'locked' && !exists) {
      setKept(null);
      onPostedRef.current?.();
    }
  }, [kept, exists]);

  return {
    text,
    kept,
    setText(v) {
      setTextState(v);
      // Emptied: nothing is kept any more (nor posted when the wall reopens).
      if (!v.trim()) setKept(null);
      if (!store) return;
      const p = placeRef.current;
      if (p.editOf && v === initial) {
        store.remove(id);
        return;
      }
      const cur = store.get(id);
      store.put({ id, text: v, ...p, state: cur?.state ?? 'typing', ...(cur?.reason ? { reason: cur.reason } : {}) });
    },
    settle(r) {
      if (r.status === 'posted') {
        setKept(null);
        return true;
      }
      setKept(r.reason);
      return false;
    },
    discard() {
      store?.remove(id);
    },
  };
}
