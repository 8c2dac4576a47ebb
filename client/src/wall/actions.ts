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
  updateNote,
  updateRelation,
  MaillageError,
  type Note,
  type NotePatch,
  type Relation,
} from '@maillage/shared';
import { LOCAL_ORIGIN } from '../sync/connection.ts';
import type { Profile } from '../sync/profile.ts';
import type { SessionInfo } from '../sync/session.ts';

export interface NewNote {
  text: string;
  domainId: string;
  x?: number;
  y?: number;
}

export interface NoteActions {
  /** May this person write at all right now (role, lock)? */
  canWrite: boolean;
  canEdit(note: Note): boolean;
  /** Resolves with the new note's id; private notes go to the server, not the document. */
  add(n: NewNote): Promise<string | null>;
  update(id: string, patch: NotePatch): Promise<void>;
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
  onError(message: string): void;
}): NoteActions {
  const { doc, session, profile, ownerId, onError } = opts;
  const role = session.role;
  const locked = session.state?.locked ?? false;
  const isHost = role === 'host';
  const canWrite = isHost || (role === 'participant' && !locked);
  const privateMode = (session.state?.privateWriting ?? false) && !isHost;
  const privateIds = new Set(session.privateNotes.map((n) => n.id));

  const fail = (e: unknown) => onError(e instanceof MaillageError ? e.message : String((e as Error)?.message ?? e));
  const ack = (res: { ok: boolean; error?: { message: string } }) => {
    if (!res.ok) onError(res.error?.message ?? 'refused');
    return res.ok;
  };

  return {
    canWrite,
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
        text: n.text,
        domainId: n.domainId,
        ...(n.x !== undefined ? { x: n.x } : {}),
        ...(n.y !== undefined ? { y: n.y } : {}),
        author: profile?.author ?? '',
        email: profile?.email ?? '',
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
      if (privateIds.has(id)) {
        ack(await session.call('private:update', { id, patch }));
        return;
      }
      try {
        updateNote(doc, id, patch, LOCAL_ORIGIN);
      } catch (e) {
        fail(e);
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
}
