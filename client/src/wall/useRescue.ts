/**
 * The two halves of "nothing typed is lost" that live at page level (docs/spec.md R63–R64):
 * text the server reverted comes back as drafts, and drafts kept for a locked wall are posted
 * when it can take them again.
 */
import { useEffect, useRef } from 'react';
import type { BoardConnection } from '../sync/connection.ts';
import type { DraftStore } from '../sync/drafts.ts';
import { postsWhenWritable } from '../sync/refusals.ts';
import { OwnNoteRescue } from '../sync/rescue.ts';
import type { NoteActions } from './actions.ts';
import { heldId, heldOwner, type HeldRelease } from '../sync/session.ts';

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
  useEffect(() => {
    const a = actionsRef.current;
    if (!writable || !a) return;
    // What the server holds, it posts itself (same note id): posting it here too is pointless.
    for (const d of drafts.getSnapshot()) if (d.state === 'queued' && !heldRef.current.has(d.id)) void a.postDraft(d);
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
