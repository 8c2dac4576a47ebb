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
  randomToken,
  type AckResult,
  type JoinRequest,
  type BoardId,
  type ClientToServerEvents,
  type InterServerEvents,
  type Role,
  type ServerToClientEvents,
  type SocketData,
} from '@maillage/shared';
import type { BoardService } from '../boards/BoardService.ts';
import type { RoomManager } from '../sync/RoomManager.ts';
import { errorFields, type Logger } from '../logger.ts';
import { boardRoom, hostsRoom, ownerRoom, type SessionService } from './SessionService.ts';
import { registerHostCommands } from './hostCommands.ts';
import { registerParticipantCommands } from './participantCommands.ts';
import { CursorRelay } from './presence.ts';
import { registerSpotlight } from './spotlight.ts';
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
  /**
   * The client address per-address caps count against: Limits.clientIp, which honours
   * TRUST_PROXY with the same compiled rule as the REST app's req.ip. Required — a socket behind
   * a proxy comes from the proxy's address, and guessing the rule here would let the two paths
   * disagree on who a person is.
   */
  clientAddress: (req: IncomingMessage) => string;
  /** Pushes `contacts:list` / `contacts:mine` to one socket that just joined (issue 13). */
  onJoined?: (socket: SessionSocket) => Promise<void>;
  /** Pushes `contacts:list` / `contacts:mine` to every socket of a wall again (R85). */
  onContactsChanged?: (id: BoardId) => Promise<void>;
}

/**
 * Wraps a command handler: validates that the socket joined a wall with an allowed role, turns
 * errors (thrown or rejected, Error or not) into `{ ok: false, error }` acks, logs unexpected ones
 * by error name and stack frames only (their messages may quote input), and never lets a handler
 * crash the process or disturb another socket (docs/spec.md R55).
 */
export function command<Req, Res extends object>(
  socket: SessionSocket,
  deps: Pick<SessionDeps, 'log'>,
  roles: readonly Role[],
  handler: (req: Req, ctx: { boardId: BoardId; role: Role; ownerId: string | null }) => Promise<Res>,
): (req: Req, ack: (res: AckResult<Res>) => void) => void {
  return (req, ack) => {
    const reply = (res: AckResult<Res>): void => {
      if (typeof ack !== 'function') return;
      try {
        ack(res);
      } catch (err) {
        deps.log.error({ ...errorFields(err) }, 'session ack failed');
      }
    };
    const failed = (err: unknown): void => {
      const e = err instanceof MaillageError ? err : new MaillageError(ErrorCode.Internal, 'internal error');
      if (!(err instanceof MaillageError)) deps.log.error({ board: socket.data.boardId, ...errorFields(err) }, 'session command failed');
      reply({ ok: false, ...e.toBody() });
    };
    try {
      const { boardId, role, ownerId } = socket.data;
      if (!boardId || !role) return reply({ ok: false, ...new MaillageError(ErrorCode.Unauthorized, 'join a wall first').toBody() });
      if (!roles.includes(role)) {
        return reply({ ok: false, ...new MaillageError(ErrorCode.Forbidden, `only ${roles.join('/')} may do this`).toBody() });
      }
      Promise.resolve(handler(req, { boardId: boardId as BoardId, role, ownerId: ownerId ?? null })).then((res) => reply({ ok: true, ...res }), failed);
    } catch (err) {
      failed(err);
    }
  };
}

/**
 * Wraps an event handler that has no acknowledgement (pointer, viewport, disconnect): a throw or
 * a rejection is logged without its message and closes this socket only (R55).
 */
export function guarded<A extends unknown[]>(
  socket: SessionSocket,
  log: Logger,
  event: string,
  handler: (...args: A) => void | Promise<void>,
): (...args: A) => void {
  const fail = (err: unknown): void => {
    log.error({ event, board: socket.data.boardId, ...errorFields(err) }, 'session handler failed');
    try {
      if (socket.connected) socket.disconnect(true);
    } catch {
      /* already gone */
    }
  };
  return (...args: A) => {
    try {
      const out = handler(...args);
      if (out instanceof Promise) out.catch(fail);
    } catch (err) {
      fail(err);
    }
  };
}

/** Leaves every wall room this socket is in (a socket changes walls or roles by joining again). */
async function leaveWallRooms(socket: SessionSocket): Promise<void> {
  for (const room of Array.from(socket.rooms)) if (room !== socket.id) await socket.leave(room);
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
  const { log, sessions } = deps;
  sessions.attach(io, log);
  const cursors = new CursorRelay(io, log);
  http.on('close', () => cursors.close());
  const address = deps.clientAddress;
  io.on('settings:changed', (boardId) => {
    sessions.refresh(boardId as BoardId).catch((err: unknown) => log.warn({ board: boardId, ...errorFields(err) }, 'settings refresh failed'));
  });

  io.on('connection', (socket: SessionSocket) => {
    try {
      socket.data.presenceId = randomToken(8);
      socket.data.addr = address(socket.request);
      socket.data.privateAdds = 0;
      socket.on('board:join', (req, ack) => void join(socket, req, ack));
      cursors.attach(socket);
      registerHostCommands(socket, deps);
      registerParticipantCommands(socket, deps);
      registerSpotlight(socket, deps);
    } catch (err) {
      log.error({ ...errorFields(err) }, 'session connection setup failed');
      socket.disconnect(true);
    }
  });

  /**
   * Joins a wall with the role the key grants. Joining again (another wall, another key) first
   * leaves every room of the previous join: a host who re-joins as a participant stops receiving
   * hosts' events at once (R54).
   */
  async function join(socket: SessionSocket, req: JoinRequest, ack: Parameters<ClientToServerEvents['board:join']>[1]): Promise<void> {
    if (typeof ack !== 'function') return;
    const answer = (res: Parameters<typeof ack>[0]): void => {
      try {
        ack(res);
      } catch (err) {
        log.error({ ...errorFields(err) }, 'board:join ack failed');
      }
    };
    try {
      cursors.leave(socket);
      await leaveWallRooms(socket);
      socket.data.boardId = undefined;
      socket.data.role = undefined;
      socket.data.ownerId = null;
      // A key is a string or nothing. Anything else is a wrong key (R214): passed on, it threw
      // inside the key comparison and was answered `internal`, with an error-level log line a
      // client could repeat at will.
      const key: unknown = req?.key;
      if (key !== undefined && key !== null && typeof key !== 'string') throw new MaillageError(ErrorCode.Unauthorized, 'invalid key');
      const id: unknown = req?.boardId;
      const wanted = [typeof id === 'string' ? id : '', key || undefined] as const;
      const { board, role } = await deps.boards.authorize(wanted[0], wanted[1], ['host', 'participant', 'review']);
      const secret = typeof req?.ownerSecret === 'string' && OWNER_SECRET_PATTERN.test(req.ownerSecret) ? req.ownerSecret : null;
      const ownerId = secret && role !== 'review' ? ownerIdFromSecret(secret) : null;
      // Review links show no presence: they get no name to show (R69 for the document channel).
      socket.data.name = role !== 'review' && typeof req?.name === 'string' ? req.name.slice(0, 60) : '';
      socket.data.color = typeof req?.color === 'string' && /^#[0-9a-fA-F]{6}$/.test(req.color) ? req.color : '#1f3a5f';
      await socket.join(boardRoom(board.id));
      if (role === 'host') await socket.join(hostsRoom(board.id));
      if (ownerId) await socket.join(ownerRoom(board.id, ownerId));
      // A key rotated while this join was under way must not leave the socket in the rooms.
      const again = await deps.boards.authorize(wanted[0], wanted[1], ['host', 'participant', 'review']).catch(() => null);
      if (again?.role !== role) {
        await leaveWallRooms(socket);
        throw new MaillageError(ErrorCode.Unauthorized, 'invalid key');
      }
      socket.data.boardId = board.id;
      socket.data.role = role;
      socket.data.ownerId = ownerId;
      const state = await sessions.publicState(board.id);
      answer({ ok: true, role, ownerId, state });
      sessions.push({ to: [socket.id] }, 'private:notes', await sessions.privates.visible(board.id, role, ownerId));
      if (role === 'host') sessions.push({ to: [socket.id] }, 'held:notes', await sessions.held.all(board.id));
      else if (ownerId) sessions.push({ to: [socket.id] }, 'held:notes', await sessions.held.own(board.id, ownerId));
      if (ownerId) {
        const vote = (await sessions.settings(board.id)).vote;
        if (vote) sessions.push({ to: [socket.id] }, 'vote:mine', vote.ballots[ownerId] ?? []);
      }
      if (role === 'host') {
        const suggestions = await sessions.suggestions(board.id);
        if (suggestions) sessions.push({ to: [socket.id] }, 'cluster:result', suggestions);
      }
      await deps.onJoined?.(socket);
    } catch (err) {
      const e = err instanceof MaillageError ? err : new MaillageError(ErrorCode.Internal, 'internal error');
      if (!(err instanceof MaillageError)) log.error({ ...errorFields(err) }, 'board:join failed');
      answer({ ok: false, ...e.toBody() });
    }
  }
  return io;
}
