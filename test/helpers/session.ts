/** A real socket.io client speaking the session protocol, with typed, promise-returning commands. */
import { io, type Socket } from 'socket.io-client';
import type { AckResult, ClientToServerEvents, ServerToClientEvents, SessionState, PrivateNote, Role } from '@maillage/shared';

export type SessionClient = Socket<ServerToClientEvents, ClientToServerEvents> & {
  states: SessionState[];
  privateNotes: PrivateNote[][];
  role: Role;
  ownerId: string | null;
};

export async function joinSession(
  base: string,
  boardId: string,
  opts: { key?: string; ownerSecret?: string; name?: string; color?: string } = {},
): Promise<SessionClient> {
  const socket = io(base, { path: '/socket.io', transports: ['websocket'], forceNew: true }) as SessionClient;
  socket.states = [];
  socket.privateNotes = [];
  socket.on('session:state', (s) => socket.states.push(s));
  socket.on('private:notes', (n) => socket.privateNotes.push(n));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const res = await new Promise<AckResult<{ role: Role; ownerId: string | null; state: SessionState }>>((resolve) =>
    socket.emit('board:join', { boardId, ...opts }, resolve),
  );
  if (!res.ok) throw new Error(`join failed: ${res.error.code}`);
  socket.role = res.role;
  socket.ownerId = res.ownerId;
  socket.states.push(res.state);
  return socket;
}

/** Emits a command and resolves with its acknowledgement. */
type AckedEvent = Exclude<keyof ClientToServerEvents, 'host:viewport' | 'presence:cursor'>;

export function call<E extends AckedEvent>(
  socket: Socket<ServerToClientEvents, ClientToServerEvents>,
  event: E,
  req: Parameters<ClientToServerEvents[E]>[0],
): Promise<Parameters<NonNullable<Parameters<ClientToServerEvents[E]>[1]>>[0]> {
  return new Promise((resolve) => (socket.emit as (e: string, r: unknown, a: (x: unknown) => void) => void)(event, req, resolve as (x: unknown) => void));
}
