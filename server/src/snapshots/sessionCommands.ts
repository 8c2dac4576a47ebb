/**
 * The host's "end the session" command over socket.io. Ending a session closes it for writing
 * (lock, timer stopped, follow-me off, an open vote closed with its results kept) and records the
 * wall as it was at the end in an 'end' snapshot. The wall itself stays, for review and exports.
 */
import type { BoardId } from '@maillage/shared';
import { command, type SessionDeps, type SessionSocket } from '../session/SessionServer.ts';
import { SERVER_SNAPSHOT_NAMES, type SnapshotService } from './SnapshotService.ts';

export function registerSnapshotCommands(socket: SessionSocket, deps: Pick<SessionDeps, 'log' | 'sessions'> & { snapshots: SnapshotService }): void {
  socket.on(
    'host:endSession',
    command(socket, deps, ['host'], async (_req, { boardId }) => {
      const id = boardId as BoardId;
      await deps.sessions.update(id, (s) => {
        s.locked = true;
        s.timerEndsAt = null;
        s.follow = false;
        if (s.vote) s.vote.open = false;
        // Contact retention counts from here (R88); ending again restarts the count.
        s.sessionEndedAt = Date.now();
      });
      const snapshot = await deps.snapshots.save(id, SERVER_SNAPSHOT_NAMES.end, 'end');
      return { snapshot };
    }),
  );
}
