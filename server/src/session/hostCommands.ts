/** Commands only hosts may send: lock, private writing and reveal, timer, follow-me, votes, keys. */
import { z } from 'zod';
import {
  CloseCode,
  ErrorCode,
  MaillageError,
  newKey,
  HostGlossaryEntrySchema,
  type BoardId,
  type ViewRect,
} from '@maillage/shared';
import { boardRoom, hostsRoom } from './SessionService.ts';
import { parseReq as parse } from './validate.ts';
import { command, guarded, type SessionDeps, type SessionSocket } from './SessionServer.ts';

const HOST = ['host'] as const;
const MAX_TIMER_SECONDS = 4 * 60 * 60;


const Flag = z.object({ locked: z.boolean() });
const Enabled = z.object({ enabled: z.boolean() });
const Timer = z.discriminatedUnion('action', [
  z.object({ action: z.literal('start'), seconds: z.number().int().min(1).max(MAX_TIMER_SECONDS) }),
  z.object({ action: z.literal('stop') }),
]);
const VoteCmd = z.discriminatedUnion('action', [
  z.object({ action: z.literal('open'), dots: z.number().int().min(1).max(20) }),
  z.object({ action: z.literal('close') }),
  z.object({ action: z.literal('clear') }),
]);
const Settings = z.object({ reviewShowsEmails: z.boolean().optional(), contactRetentionDays: z.number().int().min(0).max(3650).optional() }).strict();
const Rotate = z.object({ which: z.enum(['host', 'review']) });
const Reject = z.object({ clusterId: z.string().min(1).max(64) });
const Glossary = z.object({ entries: z.array(HostGlossaryEntrySchema).max(200) });
const Rect = z.object({
  x: z.number().finite(),
  y: z.number().finite(),
  width: z.number().finite().positive(),
  height: z.number().finite().positive(),
});

export function registerHostCommands(socket: SessionSocket, deps: SessionDeps): void {
  const { sessions } = deps;

  socket.on('host:lock', command(socket, deps, HOST, async (req, { boardId }) => {
    const { locked } = parse(Flag, req);
    await sessions.setSettings(boardId, { locked });
    return {};
  }));

  socket.on('host:private', command(socket, deps, HOST, async (req, { boardId }) => {
    const { enabled } = parse(Enabled, req);
    await sessions.setSettings(boardId, { privateWriting: enabled });
    return {};
  }));

  // Publishes every private note into the shared document in one transaction, then forgets them.
  socket.on('host:reveal', command(socket, deps, HOST, async (_req, { boardId }) => {
    return { revealed: await sessions.privates.reveal(boardId) };
  }));

  socket.on('host:timer', command(socket, deps, HOST, async (req, { boardId }) => {
    const cmd = parse(Timer, req);
    if (cmd.action === 'start') {
      const durationMs = cmd.seconds * 1000;
      await sessions.setSettings(boardId, { timer: { endsAt: Date.now() + durationMs, durationMs } });
    } else {
      const { timerDurationMs } = await sessions.settings(boardId);
      await sessions.setSettings(boardId, { timer: { endsAt: null, durationMs: timerDurationMs } });
    }
    return {};
  }));

  socket.on('host:follow', command(socket, deps, HOST, async (req, { boardId }) => {
    const { enabled } = parse(Enabled, req);
    await sessions.setSettings(boardId, { follow: enabled });
    return {};
  }));

  // Hot path while following: relayed as a volatile event (a dropped frame is replaced by the next).
  socket.on('host:viewport', guarded(socket, deps.log, 'host:viewport', (rect: ViewRect) => {
    const { boardId, role } = socket.data;
    if (!boardId || role !== 'host') return;
    const r = Rect.safeParse(rect);
    if (r.success) sessions.relayViewport(socket, boardId as BoardId, r.data);
  }));

  socket.on('host:vote', command(socket, deps, HOST, async (req, { boardId }) => {
    const cmd = parse(VoteCmd, req);
    await sessions.vote(boardId, cmd);
    // A new or cleared vote starts everyone with all their dots.
    if (cmd.action !== 'close') sessions.push({ to: [boardRoom(boardId)] }, 'vote:mine', []);
    return {};
  }));

  socket.on('host:settings', command(socket, deps, HOST, async (req, { boardId }) => {
    const patch = parse(Settings, req);
    if (patch.reviewShowsEmails !== undefined) await sessions.setSettings(boardId, { reviewShowsEmails: patch.reviewShowsEmails });
    const days = patch.contactRetentionDays;
    if (days !== undefined) await sessions.update(boardId, (s) => void (s.contactRetentionDays = days));
    // Who may see which email may have changed (review permission): every socket is told again.
    if (patch.reviewShowsEmails !== undefined) await deps.onContactsChanged?.(boardId);
    return {};
  }));

  socket.on('host:cluster', command(socket, deps, HOST, async (_req, { boardId }) => {
    if (!deps.clusters) throw new MaillageError(ErrorCode.Internal, 'clustering is not available');
    const job = await deps.clusters.start(boardId);
    return { jobId: job.jobId };
  }));

  socket.on('host:clusterReject', command(socket, deps, HOST, async (req, { boardId }) => {
    const { clusterId } = parse(Reject, req);
    await deps.clusters?.reject(boardId, clusterId);
    return {};
  }));

  // The host's own vocabulary, merged with the built-in glossary on the next run.
  socket.on('host:glossary', command(socket, deps, HOST, async (req, { boardId }) => {
    const { entries } = parse(Glossary, req);
    await sessions.update(boardId, (s) => void (s.glossary = entries.filter((e) => e.fr.length + e.en.length >= 2)));
    return {};
  }));

  /**
   * A new key invalidates the old one at once (R54): document connections that used it are
   * closed, and every other socket that joined with it — in any process — leaves the hosts' (or
   * the wall's) rooms and is disconnected, so it receives nothing more. The socket that rotated
   * holds the new key and stays.
   */
  socket.on('host:rotateKey', command(socket, deps, HOST, async (req, { boardId }) => {
    const { which } = parse(Rotate, req);
    const key = newKey();
    await deps.boards.rotateKey(boardId as BoardId, which, key);
    const room = deps.rooms.peek(boardId);
    for (const peer of room ? Array.from(room.peers.keys()) : []) {
      if (peer.role === which) peer.close(CloseCode.Unauthorized, 'key rotated');
    }
    const sockets = await socket.nsp.in(which === 'host' ? hostsRoom(boardId) : boardRoom(boardId)).fetchSockets();
    for (const s of sockets) {
      if (s.id === socket.id || s.data.role !== which) continue;
      s.data.role = undefined;
      s.leave(hostsRoom(boardId));
      s.leave(boardRoom(boardId));
      s.disconnect(true);
    }
    return { key };
  }));
}
