/**
 * socket.io for session events that are not document state (host controls, timers, job
 * progress). One socket.io room per wall, named `board:<id>`; the role comes from the key, as for
 * the document.
 */
import type { Server as HttpServer } from 'node:http';
import { Server, type ServerOptions } from 'socket.io';
import {
  ErrorCode,
  MaillageError,
  type ClientToServerEvents,
  type InterServerEvents,
  type ServerToClientEvents,
  type SocketData,
} from '@maillage/shared';
import type { BoardService } from '../boards/BoardService.ts';
import type { RoomManager } from '../sync/RoomManager.ts';
import type { Logger } from '../logger.ts';

export type SessionIo = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export const boardRoom = (id: string): string => `board:${id}`;

export function createSessionServer(
  http: HttpServer,
  deps: {
    boards: BoardService;
    rooms: RoomManager;
    log: Logger;
    allowedOrigins: string[];
    /** socket.io adapter (the Redis one when scaled out, so broadcasts reach every process). */
    adapter?: ServerOptions['adapter'];
  },
): SessionIo {
  const io: SessionIo = new Server(http, {
    path: '/socket.io',
    serveClient: false,
    // Our websocket server shares the HTTP server: socket.io must leave other upgrades alone.
    destroyUpgrade: false,
    cors: deps.allowedOrigins.length ? { origin: deps.allowedOrigins } : undefined,
    maxHttpBufferSize: 64 * 1024,
    ...(deps.adapter ? { adapter: deps.adapter } : {}),
  });

  io.on('connection', (socket) => {
    socket.on('board:join', async (req, ack) => {
      if (typeof ack !== 'function') return;
      try {
        const { board, role } = await deps.boards.authorize(String(req?.boardId ?? ''), req?.key || undefined, [
          'host',
          'participant',
          'review',
        ]);
        socket.data.boardId = board.id;
        socket.data.role = role;
        await socket.join(boardRoom(board.id));
        const live = deps.rooms.peek(board.id);
        const state = { boardId: board.id, participants: live?.size ?? 0 };
        ack({ ok: true, role, state });
        // Everyone on the wall, on every process (Redis adapter), learns that the session changed.
        io.to(boardRoom(board.id)).emit('session:state', state);
      } catch (err) {
        const e = err instanceof MaillageError ? err : new MaillageError(ErrorCode.Internal, 'internal error');
        if (!(err instanceof MaillageError)) deps.log.error({ err }, 'board:join failed');
        ack({ ok: false, ...e.toBody() });
      }
    });
  });
  return io;
}
