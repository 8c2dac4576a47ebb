/**
 * Live cursors without N² traffic. Each client sends its pointer (volatile, ≤ 10 Hz, only while
 * moving); the server keeps the latest position per socket and, once per tick, sends each wall
 * ONE batch with the cursors that moved — at most CURSORS_PER_TICK of them, most recent first.
 * A client therefore receives ≤ 1000/TICK messages a second whatever the number of people, and a
 * dropped (volatile) batch is simply replaced by the next one.
 */
import type { CursorEntry } from '@maillage/shared';
import { boardRoom } from './SessionService.ts';
import type { SessionIo, SessionSocket } from './SessionServer.ts';

export const CURSOR_TICK_MS = 100;
export const CURSORS_PER_TICK = 50;

interface Pending {
  entry: CursorEntry;
  at: number;
}

export class CursorRelay {
  private readonly dirty = new Map<string, Map<string, Pending>>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly io: SessionIo) {
    this.timer = setInterval(() => this.tick(), CURSOR_TICK_MS);
    this.timer.unref();
  }

  attach(socket: SessionSocket): void {
    socket.on('presence:cursor', (pos) => {
      const { boardId, role, name, color } = socket.data;
      if (!boardId || !role || role === 'review' || !Array.isArray(pos)) return;
      const [x, y] = pos;
      if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) return;
      this.mark(boardId, [socket.id.slice(0, 8), Math.round(x), Math.round(y), name ?? '', color ?? '#1f3a5f']);
    });
    socket.on('disconnect', () => {
      const { boardId, name, color } = socket.data;
      if (boardId) this.mark(boardId, [socket.id.slice(0, 8), null, null, name ?? '', color ?? '']);
    });
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
      const batch = Array.from(board.values())
        .sort((a, b) => b.at - a.at)
        .slice(0, CURSORS_PER_TICK)
        .map((p) => p.entry);
      this.io.to(boardRoom(boardId)).volatile.emit('presence:cursors', batch);
    }
    this.dirty.clear();
  }

  close(): void {
    clearInterval(this.timer);
  }
}
