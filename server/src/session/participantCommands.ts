/**
 * Commands from anyone who writes (participants and hosts): dot-votes and private notes. Private
 * notes are held by the server until a host reveals them; they are sent only to their author and
 * to hosts (PrivateNotes), never into the shared document. Caps: SESSION_LIMITS (R53).
 */
import { z } from 'zod';
import {
  ErrorCode,
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
    const room = deps.rooms.peek(boardId);
    const mine = await sessions.castVote(boardId, ownerId, noteId, add, (id) => !room || room.doc.getMap('notes').has(id));
    // Every device of this person (same owner id) shows the same dots left.
    sessions.push({ to: [ownerRoom(boardId, ownerId)] }, 'vote:mine', mine);
    return { mine };
  }));

  socket.on('private:add', command(socket, deps, WRITERS, async (req, { boardId, ownerId }) => {
    if (!ownerId) throw bad('private notes need a device identity');
    const parsed = NoteInputSchema.safeParse(req ?? {});
    if (!parsed.success) throw bad(`invalid note: ${parsed.error.issues[0]?.message ?? ''}`);
    const note: PrivateNote = { ...parsed.data, id: newNoteId(), ownerId, createdAt: Date.now() };
    await sessions.privates.add(boardId, note, { ownerId, addr: socket.data.addr ?? '', connectionAdds: socket.data.privateAdds ?? 0 });
    socket.data.privateAdds = (socket.data.privateAdds ?? 0) + 1;
    return { id: note.id };
  }));

  socket.on('private:update', command(socket, deps, WRITERS, async (req, { boardId, ownerId, role }) => {
    const { id, patch } = parseReq(PrivUpdate, req);
    await sessions.privates.update(boardId, id, patch, { role, ownerId });
    return {};
  }));

  socket.on('private:delete', command(socket, deps, WRITERS, async (req, { boardId, ownerId, role }) => {
    const { id } = parseReq(PrivDelete, req);
    await sessions.privates.remove(boardId, id, { role, ownerId });
    return {};
  }));
}
