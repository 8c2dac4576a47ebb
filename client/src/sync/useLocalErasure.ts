/**
 * Keeps this device's copies in step with erasures decided on the server (issue 13, R92):
 * - the wall is deleted (`board:deleted`, or the session answers "no such wall"): its IndexedDB
 *   database and localStorage entries are deleted (the document channel's 4410/4404 do the same
 *   in useBoardConnection);
 * - a person is erased (`person:erased`): once their notes have left the document, the local
 *   copy is rewritten without their history; if the person is us, our drafts of this wall go too.
 */
import { useEffect } from 'react';
import type * as Y from 'yjs';
import { roots } from '@maillage/shared';
import type { SessionInfo } from './session.ts';
import type { BoardConnectionState } from './useBoardConnection.ts';
import type { DraftStore } from './drafts.ts';

/** Notes still in the document written by `ownerId` (their removal arrives on the other channel). */
function hasNotesOf(doc: Y.Doc, ownerId: string): boolean {
  for (const m of roots(doc).notes.values()) {
    if (typeof (m as Y.Map<unknown>)?.get === 'function' && (m as Y.Map<unknown>).get('ownerId') === ownerId) return true;
  }
  return false;
}

/**
 * Drops everything this device holds of a person once their notes left `doc` (polled for up to
 * 10 s: the erasure reaches the document over y-websocket, the event over socket.io).
 */
export function afterErasure(doc: Y.Doc, ownerId: string, compact: () => Promise<void>): () => void {
  let stopped = false;
  const started = Date.now();
  const tick = () => {
    if (stopped) return;
    if (hasNotesOf(doc, ownerId) && Date.now() - started < 10_000) {
      setTimeout(tick, 200);
      return;
    }
    void compact();
  };
  tick();
  return () => {
    stopped = true;
  };
}

export function useLocalErasure(session: SessionInfo, conn: BoardConnectionState, drafts: DraftStore, ownerId: string): void {
  const gone = session.deleted || session.error === 'not_found';
  const { forget, compact } = conn;
  useEffect(() => {
    if (gone) void forget();
  }, [gone, forget]);

  const doc = conn.conn?.doc ?? null;
  const erased = session.erased;
  useEffect(() => {
    if (!erased || !doc) return;
    if (erased.ownerId === ownerId) for (const d of drafts.getSnapshot()) drafts.remove(d.id);
    return afterErasure(doc, erased.ownerId, compact);
  }, [erased, doc, ownerId, drafts, compact]);
}
