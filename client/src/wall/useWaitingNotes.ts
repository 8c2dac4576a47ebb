/**
 * "Nothing typed is lost" at page level (docs/spec.md R63–R64): text the server reverted comes
 * back as drafts; drafts kept for a locked wall are posted when it can take them again; writes
 * the server itself holds (R57) or turned into private notes are shown once and not posted twice.
 */
import { useEffect, useMemo, useRef } from 'react';
import type { HeldWrite } from '@maillage/shared';
import type { BoardConnection } from '../sync/connection.ts';
import type { DraftStore } from '../sync/drafts.ts';
import { postsWhenWritable } from '../sync/refusals.ts';
import { OwnNoteRescue } from '../sync/rescue.ts';
import type { NoteActions } from './actions.ts';
import { heldId, heldOwner, type HeldRelease, type SessionInfo } from '../sync/session.ts';

/**
 * Watches this device's notes on the connection: whatever the server reverts is saved as a draft
 * under the note's own id — queued (posted by itself later) when the wall was locked or in
 * private writing, otherwise left for the person to decide.
 */
export function useRescue(conn: BoardConnection | null, ownerId: string, drafts: DraftStore): void {
  useEffect(() => {
    if (!conn) return;
    const rescue = new OwnNoteRescue(
      conn.doc,
      ownerId,
      (origin) => origin === conn.provider,
      (lost, refusal) => {
        const queued = postsWhenWritable(refusal.code);
        for (const n of lost) {
          // An edit keeps its own draft id: the note's id names the note it changes.
          const id = n.edited ? `edit-${n.id}` : n.id;
          drafts.put({
            id,
            text: n.text,
            domainId: n.domainId,
            x: n.x,
            y: n.y,
            ...(n.edited ? { editOf: n.id } : {}),
            state: queued ? 'queued' : 'typing',
            reason: queued ? 'locked' : 'refused',
          });
        }
      },
    );
    const off = conn.onRefused((e) => rescue.refused(e));
    return () => {
      off();
      rescue.destroy();
    };
  }, [conn, ownerId, drafts]);
}

/**
 * Posts every queued draft when the wall becomes writable: on unlock, on (re)joining the live
 * session, when private writing starts or stops. Only on those transitions, never because a draft
 * was queued, so a wall that refuses again cannot make this loop.
 *
 * @param live the document is loaded and the session is joined (a locked state is current).
 */
export function usePostWhenWritable(
  actions: NoteActions | null,
  drafts: DraftStore,
  live: boolean,
  privateWriting: boolean,
  heldByServer: ReadonlySet<string>,
): void {
  const actionsRef = useRef(actions);
  actionsRef.current = actions;
  const heldRef = useRef(heldByServer);
  heldRef.current = heldByServer;
  const writable = !!actions?.canWrite && live;
  // A private note is posted by an acknowledged command: a second transition before the answer
  // must not send it again (the server would make a second private note).
  const inFlight = useRef(new Set<string>());
  useEffect(() => {
    const a = actionsRef.current;
    if (!writable || !a) return;
    for (const d of drafts.getSnapshot()) {
      // What the server holds, it posts itself (same note id): posting it here too is pointless.
      if (d.state !== 'queued' || heldRef.current.has(d.id) || inFlight.current.has(d.id)) continue;
      inFlight.current.add(d.id);
      void a.postDraft(d).finally(() => inFlight.current.delete(d.id));
    }
  }, [writable, privateWriting, drafts]);
}

/**
 * When the server releases held writes: drafts of the ones it posted are done; drafts of the ones
 * it dropped (note gone, limit) stay, for the person to post or delete.
 */
export function useHeldReleases(released: HeldRelease | null, drafts: DraftStore, ownerId: string): void {
  useEffect(() => {
    if (!released) return;
    for (const id of released.ids) {
      for (const draftId of [id, `edit-${id}`]) {
        if (released.outcome === 'posted') drafts.remove(draftId);
        else drafts.patch(draftId, { state: 'typing', reason: 'refused' });
      }
    }
    if (released.outcome !== 'dropped') return;
    // A dropped write this page had no copy of (typed on another tab, or before a reload that
    // lost the rescue): its text comes back from what the server held.
    for (const h of released.writes) {
      if (heldOwner(h) !== ownerId) continue;
      const id = heldId(h);
      if (drafts.get(id) || drafts.get(`edit-${id}`)) continue;
      if (h.mode === 'create') drafts.put({ id, text: h.note.text, domainId: h.note.domainId, x: h.note.x, y: h.note.y, state: 'typing', reason: 'refused' });
      else if (typeof h.patch.text === 'string') {
        const domainId = typeof h.patch.domainId === 'string' ? h.patch.domainId : '';
        drafts.put({ id: `edit-${id}`, text: h.patch.text, domainId, editOf: id, state: 'typing', reason: 'refused' });
      }
    }
  }, [released, drafts, ownerId]);
}

/** Draft ids a held write stands for: the note it creates, or the edit draft of the note it changes. */
export function heldDraftIds(held: readonly HeldWrite[]): Set<string> {
  const ids = new Set<string>();
  for (const h of held) {
    ids.add(heldId(h));
    ids.add(`edit-${heldId(h)}`);
  }
  return ids;
}

export interface WaitingNotes {
  /** This person's writes the server holds until the wall reopens. */
  held: HeldWrite[];
  /** Draft ids the server already keeps (held writes, private notes): listed and posted once. */
  keptByServer: ReadonlySet<string>;
}

/**
 * Everything above, wired for one page.
 * @param ready the document is loaded (from the server or the local copy).
 */
export function useWaitingNotes(opts: {
  conn: BoardConnection | null;
  session: SessionInfo;
  ownerId: string;
  drafts: DraftStore;
  actions: NoteActions | null;
  ready: boolean;
}): WaitingNotes {
  const { conn, session, ownerId, drafts, actions, ready } = opts;
  useRescue(conn, ownerId, drafts);
  const held = useMemo(() => session.held.filter((h) => heldOwner(h) === ownerId), [session.held, ownerId]);
  const keptByServer = useMemo(() => {
    const ids = heldDraftIds(held);
    for (const n of session.privateNotes) ids.add(n.id);
    return ids;
  }, [held, session.privateNotes]);
  // A note refused under private writing becomes a private note of its author on the server,
  // under the same id: the page's rescued copy of it is then done.
  useEffect(() => {
    for (const n of session.privateNotes) drafts.remove(n.id);
  }, [session.privateNotes, drafts]);
  usePostWhenWritable(actions, drafts, ready && session.live, session.state?.privateWriting ?? false, keptByServer);
  useHeldReleases(session.released, drafts, ownerId);
  return { held, keptByServer };
}
