/**
 * Commands from anyone who writes (participants and hosts): dot-votes and private notes. Private
 * notes are held by the server until a host reveals them; they are sent only to their author and
 * to hosts (SessionService.publish), never into the shared document.
 */
import { z } from 'zod';
import {
  ErrorCode,
  LIMITS,
  MaillageError,
  NoteInputSchema,
  NotePatchSchema,
  newNoteId,
  type PrivateNote,
} from '@maillage/shared';
import { parseReq } from './validate.ts';
import { command, type SessionDeps, type SessionSocket } from './SessionServer.ts';
import { ownerRoom } from './SessionService.ts';

const WRITERS = ['host', 'participant'] as const;
/** Private notes one person may hold before a reveal. */
export const PRIVATE_NOTES_PER_OWNER = 100;

const Cast = z.object({ noteId: z.string().min(1).max(64), add: z.boolean() });
const PrivUpdate = z.object({ id: z.string().min(1).max(64), patch: NotePatchSchema });
const PrivDelete = z.object({ id: z.string().min(1).max(64) });

function bad(message: string): MaillageError {
  return new MaillageError(ErrorCode.BadRequest, message);
}

export function registerParticipantCommands(socket: SessionSocket, deps: SessionDeps): void {
  const { sessions } = deps;

  socket.on('vote:cast', command(socket, deps, WRITERS, async (req, { boardId, ownerId }) => {
    const { noteId, add } = parseReq(Cast, req);
    if (!ownerId) throw bad('voting needs a device identity');
    const mine = await sessions.update(boardId, (s) => {
      if (!s.vote || !s.vote.open) throw new MaillageError(ErrorCode.Locked, 'no vote is open');
      const ballot = [...(s.vote.ballots[ownerId] ?? [])];
      if (add) {
        if (ballot.length >= s.vote.dotsPerParticipant) throw new MaillageError(ErrorCode.LimitReached, 'no dots left');
        const room = deps.rooms.peek(boardId);
        if (room && !room.doc.getMap('notes').has(noteId)) throw bad('no such note');
        ballot.push(noteId);
      } else {
        const i = ballot.lastIndexOf(noteId);
        if (i >= 0) ballot.splice(i, 1);
      }
      s.vote.ballots[ownerId] = ballot;
      return ballot;
    });
    // Every device of this person (same owner id) shows the same dots left.
    socket.nsp.to(ownerRoom(boardId, ownerId)).emit('vote:mine', mine);
    return { mine };
  }));

  socket.on('private:add', command(socket, deps, WRITERS, async (req, { boardId, ownerId }) => {
    if (!ownerId) throw bad('private notes need a device identity');
    const parsed = NoteInputSchema.safeParse(req ?? {});
    if (!parsed.success) throw bad(`invalid note: ${parsed.error.issues[0]?.message ?? ''}`);
    const note: PrivateNote = { ...parsed.data, id: newNoteId(), ownerId, createdAt: Date.now() };
    await sessions.update(boardId, (s) => {
      if (!s.privateWriting) throw new MaillageError(ErrorCode.Locked, 'private writing is off');
      if (s.locked) throw new MaillageError(ErrorCode.Locked, 'the wall is locked');
      if (s.privateNotes.filter((n) => n.ownerId === ownerId).length >= PRIVATE_NOTES_PER_OWNER) {
        throw new MaillageError(ErrorCode.LimitReached, `at most ${PRIVATE_NOTES_PER_OWNER} private notes each`);
      }
      if (s.privateNotes.length >= LIMITS.notesPerBoard) throw new MaillageError(ErrorCode.LimitReached, 'too many private notes');
      s.privateNotes.push(note);
    });
    return { id: note.id };
  }));

  socket.on('private:update', command(socket, deps, WRITERS, async (req, { boardId, ownerId, role }) => {
    const { id, patch } = parseReq(PrivUpdate, req);
    await sessions.update(boardId, (s) => {
      const n = s.privateNotes.find((x) => x.id === id);
      if (!n) throw new MaillageError(ErrorCode.NotFound, 'no such private note');
      if (role !== 'host' && n.ownerId !== ownerId) throw new MaillageError(ErrorCode.Forbidden, 'not your note');
      Object.assign(n, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)));
    });
    return {};
  }));

  socket.on('private:delete', command(socket, deps, WRITERS, async (req, { boardId, ownerId, role }) => {
    const { id } = parseReq(PrivDelete, req);
    await sessions.update(boardId, (s) => {
      const n = s.privateNotes.find((x) => x.id === id);
      if (!n) return;
      if (role !== 'host' && n.ownerId !== ownerId) throw new MaillageError(ErrorCode.Forbidden, 'not your note');
      s.privateNotes = s.privateNotes.filter((x) => x.id !== id);
    });
    return {};
  }));
}
