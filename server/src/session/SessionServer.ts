/**
 * socket.io for session events that are not document state (host controls, timers, votes,
 * private notes, follow-me). One socket.io room per wall (`board:<id>`), one for its hosts, one
 * per participant device; the role comes from the key, as for the document.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import {
  ErrorCode,
  MaillageError,
  OWNER_SECRET_PATTERN,
  ownerIdFromSecret,
  type AckResult,
  type BoardId,
  type ClientToServerEvents,
  type InterServerEvents,
  type Role,
  type ServerToClientEvents,
  type SocketData,
} from '@maillage/shared';
import type { BoardService } from '../boards/BoardService.ts';
import type { RoomManager } from '../sync/RoomManager.ts';
import type { Logger } from '../logger.ts';
import { boardRoom, hostsRoom, ownerRoom, type SessionService } from './SessionService.ts';
import { registerHostCommands } from './hostCommands.ts';
import { registerParticipantCommands } from './participantCommands.ts';
import { CursorRelay } from './presence.ts';
import type { ClusterJobs } from '../jobs/ClusterJobs.ts';

export type SessionIo = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type SessionSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export { boardRoom };

export interface SessionDeps {
  boards: BoardService;
  clusters?: ClusterJobs;
  rooms: RoomManager;
  sessions: SessionService;
  log: Logger;
  allowedOrigins: string[];
  /**
   * Returns false when a handshake's Origin is not acceptable (the same rule as /yjs). CORS alone
   * does not cover socket.io: browsers send websocket upgrades and polling POSTs cross-origin.
   */
  checkOrigin?: (origin: string | undefined, req: IncomingMessage) => boolean;
}

/**
 * Wraps a command handler: validates that the socket joined a wall with an allowed role, turns
 * thrown errors into `{ ok: false, error }` acks, and never lets a handler crash the process.
 */
export function command<Req, Res extends object>(
  socket: SessionSocket,
  deps: Pick<SessionDeps, 'log'>,
  roles: readonly Role[],
  handler: (req: Req, ctx: { boardId: BoardId; role: Role; ownerId: string | null }) => Promise<Res>,
): (req: Req, ack: (res: AckResult<Res>) => void) => void {
  return (req, ack) => {
    const reply = typeof ack === 'function' ? ack : () => {};
    const { boardId, role, ownerId } = socket.data;
    if (!boardId || !role) return reply({ ok: false, ...new MaillageError(ErrorCode.Unauthorized, 'join a wall first').toBody() });
    if (!roles.includes(role)) {
      return reply({ ok: false, ...new MaillageError(ErrorCode.Forbidden, `only ${roles.join('/')} may do this`).toBody() });
    }
    handler(req, { boardId: boardId as BoardId, role, ownerId: ownerId ?? null }).then(
      (res) => reply({ ok: true, ...res }),
      (err: unknown) => {
        const e = err instanceof MaillageError ? err : new MaillageError(ErrorCode.Internal, 'internal error');
        if (!(err instanceof MaillageError)) deps.log.error({ err, board: boardId }, 'session command failed');
        reply({ ok: false, ...e.toBody() });
      },
    );
  };
}

export function createSessionServer(http: HttpServer, deps: SessionDeps): SessionIo {
  const io: SessionIo = new Server(http, {
    path: '/socket.io',
    serveClient: false,
    // Our websocket server shares the HTTP server: socket.io must leave other upgrades alone.
    destroyUpgrade: false,
    cors: deps.allowedOrigins.length ? { origin: deps.allowedOrigins } : undefined,
    maxHttpBufferSize: 64 * 1024,
    allowRequest: (req, cb) => cb(null, deps.checkOrigin ? deps.checkOrigin(req.headers.origin, req) : true),
  });
  deps.sessions.attach(io);
  const cursors = new CursorRelay(io);
  http.on('close', () => cursors.close());
  io.on('settings:changed', (boardId) => void deps.sessions.refresh(boardId as BoardId));

  io.on('connection', (socket: SessionSocket) => {
    socket.on('board:join', async (req, ack) => {
      if (typeof ack !== 'function') return;
      try {
        const { board, role } = await deps.boards.authorize(String(req?.boardId ?? ''), req?.key || undefined, [
          'host',
          'participant',
          'review',
        ]);
        const secret = typeof req?.ownerSecret === 'string' && OWNER_SECRET_PATTERN.test(req.ownerSecret) ? req.ownerSecret : null;
        const ownerId = secret && role !== 'review' ? ownerIdFromSecret(secret) : null;
        socket.data.boardId = board.id;
        socket.data.role = role;
        socket.data.ownerId = ownerId;
        socket.data.name = typeof req?.name === 'string' ? req.name.slice(0, 60) : '';
        socket.data.color = typeof req?.color === 'string' && /^#[0-9a-fA-F]{6}$/.test(req.color) ? req.color : '#1f3a5f';
        await socket.join(boardRoom(board.id));
        if (role === 'host') await socket.join(hostsRoom(board.id));
        if (ownerId) await socket.join(ownerRoom(board.id, ownerId));
        const settings = await deps.sessions.get(board.id);
        ack({ ok: true, role, ownerId, state: deps.sessions.publicState(board.id, settings) });
        socket.emit('private:notes', deps.sessions.visiblePrivate(settings, role, ownerId));
        if (settings.vote && ownerId) socket.emit('vote:mine', settings.vote.ballots[ownerId] ?? []);
        if (role === 'host' && settings.suggestions) socket.emit('cluster:result', settings.suggestions);
      } catch (err) {
        const e = err instanceof MaillageError ? err : new MaillageError(ErrorCode.Internal, 'internal error');
        if (!(err instanceof MaillageError)) deps.log.error({ err }, 'board:join failed');
        ack({ ok: false, ...e.toBody() });
      }
    });
    cursors.attach(socket);
    registerHostCommands(socket, deps);
    registerParticipantCommands(socket, deps);
  });
  return io;
}
