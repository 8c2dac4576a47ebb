/**
 * The server-held session state of each wall (lock, private writing, timer, follow-me, votes,
 * private notes). The store is the source of truth — every change is a read-modify-write of the
 * wall's settings, serialised per wall — so a restart or another process sees the same state.
 * Changes are pushed to the wall's socket.io room and mirrored into the live Room's write policy.
 */
import {
  ErrorCode,
  MaillageError,
  readSettings,
  voteCounts,
  type BoardId,
  type PrivateNote,
  type SessionSettings,
  type SessionState,
} from '@maillage/shared';
import type { BoardStore } from '../store/index.ts';
import type { RoomManager } from '../sync/RoomManager.ts';
import type { SessionIo } from './SessionServer.ts';

export const boardRoom = (id: string): string => `board:${id}`;
export const hostsRoom = (id: string): string => `board:${id}:hosts`;
export const ownerRoom = (id: string, ownerId: string): string => `board:${id}:owner:${ownerId}`;

export class SessionService {
  private readonly chains = new Map<string, Promise<unknown>>();
  private io: SessionIo | null = null;
  /** Set when a Redis adapter links several processes. */
  scaleOut = false;

  constructor(
    private readonly store: BoardStore,
    private readonly rooms: RoomManager,
  ) {}

  attach(io: SessionIo): void {
    this.io = io;
  }

  async get(id: BoardId): Promise<SessionSettings> {
    const board = await this.store.getBoard(id);
    if (!board) throw new MaillageError(ErrorCode.NotFound, 'no such wall');
    return readSettings(board.settings);
  }

  /**
   * Applies `mutate` to the stored settings, one change at a time per wall, then publishes.
   * @throws whatever `mutate` throws (nothing is stored then).
   */
  update<T>(id: BoardId, mutate: (s: SessionSettings) => T): Promise<T> {
    const prev = this.chains.get(id) ?? Promise.resolve();
    const next = prev.then(async () => {
      const board = await this.store.getBoard(id);
      if (!board) throw new MaillageError(ErrorCode.NotFound, 'no such wall');
      const settings = readSettings(board.settings);
      const result = mutate(settings);
      await this.store.updateBoard(id, { settings: { ...board.settings, ...settings } });
      await this.publish(id, settings);
      // Only other processes need telling (scale-out); alone, socket.io would just warn.
      if (this.scaleOut) this.io?.serverSideEmit('settings:changed', id);
      return result;
    });
    const settled = next.catch(() => undefined);
    this.chains.set(id, settled);
    void settled.then(() => {
      if (this.chains.get(id) === settled) this.chains.delete(id);
    });
    return next;
  }

  /** Mirrors settings into the live room's write policy (this process). */
  applyPolicy(id: BoardId, s: SessionSettings): void {
    const room = this.rooms.peek(id);
    if (!room) return;
    const reviewChanged = room.policy.reviewEmails !== s.reviewShowsEmails;
    room.policy = { locked: s.locked, privateWriting: s.privateWriting, reviewEmails: s.reviewShowsEmails };
    if (reviewChanged) room.reviewPermissionChanged();
  }

  /** Another process changed the settings: refresh our room's policy from the store. */
  async refresh(id: BoardId): Promise<void> {
    const board = await this.store.getBoard(id);
    if (board) this.applyPolicy(id, readSettings(board.settings));
  }

  publicState(id: BoardId, s: SessionSettings): SessionState {
    return {
      boardId: id,
      participants: this.rooms.peek(id)?.size ?? 0,
      locked: s.locked,
      privateWriting: s.privateWriting,
      timerEndsAt: s.timerEndsAt,
      timerDurationMs: s.timerDurationMs,
      serverNow: Date.now(),
      follow: s.follow,
      vote: s.vote
        ? { id: s.vote.id, open: s.vote.open, dotsPerParticipant: s.vote.dotsPerParticipant, counts: voteCounts(s.vote) }
        : null,
      reviewShowsEmails: s.reviewShowsEmails,
      privateCount: s.privateNotes.length,
    };
  }

  /** Private notes a given member may see: all for hosts, their own for a participant. */
  visiblePrivate(s: SessionSettings, role: string, ownerId: string | null | undefined): PrivateNote[] {
    if (role === 'host') return s.privateNotes;
    if (role === 'participant' && ownerId) return s.privateNotes.filter((n) => n.ownerId === ownerId);
    return [];
  }

  private async publish(id: BoardId, s: SessionSettings): Promise<void> {
    this.applyPolicy(id, s);
    const io = this.io;
    if (!io) return;
    io.to(boardRoom(id)).emit('session:state', this.publicState(id, s));
    // Private notes go only where they may: hosts see all, each author their own. They are
    // never broadcast to the wall's room.
    io.to(hostsRoom(id)).emit('private:notes', s.privateNotes);
    const sockets = await io.in(boardRoom(id)).fetchSockets();
    for (const sock of sockets) {
      if (sock.data.role === 'participant' && sock.data.ownerId) {
        sock.emit('private:notes', s.privateNotes.filter((n) => n.ownerId === sock.data.ownerId));
      }
    }
  }

  /** Pushes the participant count (called when people join or leave the live document). */
  async announceCount(id: BoardId): Promise<void> {
    if (!this.io) return;
    try {
      const board = await this.store.getBoard(id);
      if (board) this.io.to(boardRoom(id)).emit('session:state', this.publicState(id, readSettings(board.settings)));
    } catch {
      // The store is closing (shutdown): the count is cosmetic, drop it.
    }
  }
}
