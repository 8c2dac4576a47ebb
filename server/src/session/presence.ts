/**
 * Live cursors without N² traffic. Each client sends its pointer (volatile, ≤ 10 Hz, only while
 * moving); the server keeps the latest position per socket and, once per tick, sends each wall
 * ONE batch with the cursors that moved — at most CURSORS_PER_TICK of them, most recent first.
 * A client therefore receives ≤ 1000/TICK messages a second whatever the number of people, and a
 * dropped (volatile) batch is simply replaced by the next one.
 *
 * Presence is one's own (R69, R54): a cursor's id is chosen by the server per connection
 * (`socket.data.presenceId`), so no client can name, move or remove another's; review links
 * show no cursor and no name; re-joining removes the cursor from the wall left behind.
 */
import type { CursorEntry } from '@maillage/shared';
import { errorFields, type Logger } from '../logger.ts';
import { boardRoom } from './SessionService.ts';
import { guarded, type SessionIo, type SessionSocket } from './SessionServer.ts';

export const CURSOR_TICK_MS = 100;
export const CURSORS_PER_TICK = 50;

interface Pending {
  entry: CursorEntry;
  at: number;
}

/** Whether this socket may show a cursor: joined a wall, and not with a review link. */
function present(socket: SessionSocket): socket is SessionSocket & { data: { boardId: string; presenceId: string } } {
  const { boardId, role, presenceId } = socket.data;
  return Boolean(boardId && presenceId && (role === 'host' || role === 'participant'));
}

export class CursorRelay {
  private readonly dirty = new Map<string, Map<string, Pending>>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly io: SessionIo,
    private readonly log: Logger,
  ) {
    this.timer = setInterval(() => this.tick(), CURSOR_TICK_MS);
    this.timer.unref();
  }

  attach(socket: SessionSocket): void {
    socket.on('presence:cursor', guarded(socket, this.log, 'presence:cursor', (pos: unknown) => {
      if (!present(socket) || !Array.isArray(pos)) return;
      const [x, y] = pos as unknown[];
      if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) return;
      const { boardId, presenceId, name, color } = socket.data;
      this.mark(boardId, [presenceId, Math.round(x), Math.round(y), name ?? '', color ?? '#1f3a5f']);
    }));
    socket.on('disconnect', guarded(socket, this.log, 'disconnect', () => this.leave(socket)));
  }

  /** Removes this socket's cursor from the wall it had joined (leaving, or joining another). */
  leave(socket: SessionSocket): void {
    if (!present(socket)) return;
    this.mark(socket.data.boardId, [socket.data.presenceId, null, null, '', '']);
  }

  private mark(boardId: string, entry: CursorEntry): void {
    let board = this.dirty.get(boardId);
    if (!board) {
      board = new Map();
      this.dirty.set(boardId, board);
    }
    board.set(entry[0], { entry, at: Date.now() });
  }

  private tick(): void {
    for (const [boardId, board] of this.dirty) {
      try {
        const batch = Array.from(board.values())
          .sort((a, b) => b.at - a.at)
          .slice(0, CURSORS_PER_TICK)
          .map((p) => p.entry);
        this.io.to(boardRoom(boardId)).volatile.emit('presence:cursors', batch);
      } catch (err) {
        this.log.error({ board: boardId, ...errorFields(err) }, 'cursor batch failed');
      }
    }
    this.dirty.clear();
  }

  close(): void {
    clearInterval(this.timer);
  }
}
