/**
 * What a person can do to notes, whatever the view (canvas, list, quick-add sheet): one place that
 * knows about roles, ownership and private writing, so every view obeys the same rules.
 */
import type * as Y from 'yjs';
import {
  addNote,
  addRelation,
  deleteNote,
  removeRelation,
  roots,
  updateNote,
  updateRelation,
  MaillageError,
  type Note,
  type NotePatch,
  type Relation,
} from '@maillage/shared';
import { LOCAL_ORIGIN } from '../sync/connection.ts';
import type { DraftReason, DraftStore, Draft } from '../sync/drafts.ts';
import type { Profile } from '../sync/profile.ts';
import type { SessionInfo } from '../sync/session.ts';

export interface NewNote {
  text: string;
  domainId: string;
  x?: number;
  y?: number;
  /** The note's id (a draft's id, so that posting it twice cannot make two notes). */
  id?: string;
}

/** A note typed in an editor: new, or new text for an existing note (`editOf`). */
export interface TypedNote extends NewNote {
  editOf?: string;
}

/** What became of a submitted note: on the wall, or kept on this device as a draft. */
export type SubmitResult = { status: 'posted'; id: string } | { status: 'kept'; reason: DraftReason };

/** An error to show, by code (translated by the page) with the English message as a fallback. */
export interface ActionError {
  code: string;
  message: string;
}

export interface NoteActions {
  /** May this person write at all right now (role, lock)? */
  canWrite: boolean;
  /** Does this person's role write notes (participant, host), even if the wall is locked now? */
  mayWrite: boolean;
  /** A participant on a locked wall: what they type waits, as a draft, for the wall to reopen. */
  locked: boolean;
  /**
   * Posts a typed note now or, while the wall is locked, keeps it as a queued draft that is
   * posted when the wall reopens (docs/spec.md R64). Nothing typed is dropped: a failure keeps
   * it as a draft too. The editor's draft `draftId` is removed once the note is on the wall.
   */
  submit(n: TypedNote, draftId: string): Promise<SubmitResult>;
  /** Posts a kept draft (the tray's button, or by itself when the wall reopens). */
  postDraft(d: Draft): Promise<SubmitResult>;
  canEdit(note: Note): boolean;
  /** Resolves with the new note's id; private notes go to the server, not the document. */
  add(n: NewNote): Promise<string | null>;
  /** Resolves with whether the change was made. */
  update(id: string, patch: NotePatch): Promise<boolean>;
  remove(id: string): Promise<void>;
  /** Private notes (not yet revealed) are edited through the session, not the document. */
  isPrivate(id: string): boolean;
  /** Connectors: anyone who may write draws them; their author (or a host) edits them. */
  canEditRelation(r: Relation): boolean;
  connect(from: string, to: string, label?: string): string | null;
  relabel(id: string, label: string): void;
  disconnect(id: string): void;
}

export function noteActions(opts: {
  doc: Y.Doc;
  session: SessionInfo;
  profile: Profile | null;
  ownerId: string;
  drafts: DraftStore | null;
  onError(e: ActionError): void;
}): NoteActions {
  const { doc, session, profile, ownerId, drafts, onError } = opts;
  const role = session.role;
  const isHost = role === 'host';
  const locked = role === 'participant' && (session.state?.locked ?? false);
  const mayWrite = isHost || role === 'participant';
  const canWrite = isHost || (role === 'participant' && !locked);
  const privateMode = (session.state?.privateWriting ?? false) && !isHost;
  const privateIds = new Set(session.privateNotes.map((n) => n.id));

  const fail = (e: unknown) =>
    onError(e instanceof MaillageError ? { code: e.code, message: e.message } : { code: 'internal', message: String((e as Error)?.message ?? e) });
  const ack = (res: { ok: boolean; error?: { code: string; message: string } }) => {
    if (!res.ok) onError(res.error ?? { code: 'internal', message: 'refused' });
    return res.ok;
  };

  const keep = (n: TypedNote, draftId: string, state: Draft['state'], reason: DraftReason): SubmitResult => {
    drafts?.put({ id: draftId, text: n.text, domainId: n.domainId, x: n.x, y: n.y, ...(n.editOf ? { editOf: n.editOf } : {}), state, reason });
    return { status: 'kept', reason };
  };

  const actions: NoteActions = {
    canWrite,
    mayWrite,
    locked,
    async submit(n, draftId) {
      if (!mayWrite) return keep(n, draftId, 'typing', 'failed');
      if (locked) return keep(n, draftId, 'queued', 'locked');
      // An edit of a note that is gone (deleted meanwhile) becomes a new note: the text is kept.
      if (n.editOf && (privateIds.has(n.editOf) || roots(doc).notes.has(n.editOf))) {
        const ok = await actions.update(n.editOf, { text: n.text });
        if (!ok) return keep(n, draftId, 'typing', 'failed');
        drafts?.remove(draftId);
        return { status: 'posted', id: n.editOf };
      }
      const id = await actions.add({ text: n.text, domainId: n.domainId, x: n.x, y: n.y, id: draftId });
      if (!id) return keep(n, draftId, 'typing', 'failed');
      drafts?.remove(draftId);
      return { status: 'posted', id };
    },
    postDraft(d) {
      // The domain may be gone since: the note then goes to the first domain rather than nowhere.
      const domainId = roots(doc).domains.has(d.domainId) ? d.domainId : (Array.from(roots(doc).domains.keys())[0] ?? d.domainId);
      const moved = domainId !== d.domainId;
      return actions.submit(
        { text: d.text, domainId, ...(moved ? {} : { x: d.x, y: d.y }), ...(d.editOf ? { editOf: d.editOf } : {}) },
        d.id,
      );
    },
    canEdit: (n) => canWrite && (isHost || n.ownerId === ownerId),
    canEditRelation: (r) => canWrite && (isHost || r.ownerId === ownerId),
    connect(from, to, label) {
      if (!canWrite || privateIds.has(from) || privateIds.has(to)) return null;
      try {
        return addRelation(doc, { from, to, label: label ?? '', ownerId }, LOCAL_ORIGIN);
      } catch (e) {
        fail(e);
        return null;
      }
    },
    relabel(id, label) {
      try {
        updateRelation(doc, id, label, LOCAL_ORIGIN);
      } catch (e) {
        fail(e);
      }
    },
    disconnect(id) {
      removeRelation(doc, id, LOCAL_ORIGIN);
    },
    isPrivate: (id) => privateIds.has(id),
    async add(n) {
      if (!canWrite) return null;
      const base = {
        ...(n.id ? { id: n.id } : {}),
        text: n.text,
        domainId: n.domainId,
        ...(n.x !== undefined ? { x: n.x } : {}),
        ...(n.y !== undefined ? { y: n.y } : {}),
        // No email: it never enters the document or a private note (R90); it goes once to the
        // server's contact store with `contact:set`.
        author: profile?.author ?? '',
        org: profile?.org ?? '',
        ...(profile?.color ? { color: profile.color } : {}),
        ownerId,
      };
      if (privateMode) {
        const res = await session.call('private:add', base);
        return ack(res) && res.ok ? res.id : null;
      }
      try {
        return addNote(doc, base, LOCAL_ORIGIN);
      } catch (e) {
        fail(e);
        return null;
      }
    },
    async update(id, patch) {
      if (privateIds.has(id)) return ack(await session.call('private:update', { id, patch }));
      try {
        updateNote(doc, id, patch, LOCAL_ORIGIN);
        return true;
      } catch (e) {
        fail(e);
        return false;
      }
    },
    async remove(id) {
      if (privateIds.has(id)) {
        ack(await session.call('private:delete', { id }));
        return;
      }
      deleteNote(doc, id, LOCAL_ORIGIN);
    },
  };
  return actions;
}
