/**
 * The server-held session state of each wall (lock, private writing, timer, follow-me, votes,
 * private notes, held writes, clustering suggestions, glossary). The store is the source of truth,
 * one row per record (docs/data-model.md, "Session records"): a change writes the row it concerns
 * and pushes that change only — one private note to its author and the hosts, the public state
 * (which carries vote counts, never ballots) to the wall. Changes to a wall are serialised here so
 * that a check and its write (dots left, caps) see each other; a restart or another process reads
 * the same rows.
 *
 * A wall written before records existed keeps its state in the old `settings` blob; the first
 * time this service touches the wall, the store moves the blob into records in one transaction.
 */
import {
  ErrorCode,
  MaillageError,
  SESSION_LIMITS,
  randomToken,
  readSettings,
  recordsFromSettings,
  settingsFromRecords,
  voteCounts,
  VoteMetaSchema,
  ClusterSuggestionsSchema,
  type BoardId,
  type ClusterSuggestions,
  type ViewRect,
  type SessionRecord,
  type SessionSettings,
  type SessionState,
  type ServerToClientEvents,
} from '@maillage/shared';
import type { BoardStore } from '../store/index.ts';
import type { RoomManager } from '../sync/RoomManager.ts';
import { errorFields, type Logger } from '../logger.ts';
import type { SessionIo, SessionSocket } from './SessionServer.ts';
import { PrivateNotes } from './PrivateNotes.ts';
import { HeldWrites } from './HeldWrites.ts';

export const boardRoom = (id: string): string => `board:${id}`;
export const hostsRoom = (id: string): string => `board:${id}:hosts`;
export const ownerRoom = (id: string, ownerId: string): string => `board:${id}:owner:${ownerId}`;

/** The flags a host sets one at a time (each is one `setting` row). */
export interface SettingsPatch {
  locked?: boolean;
  privateWriting?: boolean;
  follow?: boolean;
  reviewShowsEmails?: boolean;
  timer?: { endsAt: number | null; durationMs: number };
}

/** Which socket.io rooms an event goes to, and which it skips. */
export interface PushTarget {
  to: string[];
  except?: string[];
}

const key = (r: Pick<SessionRecord, 'kind' | 'key'>): string => `${r.kind}\u0000${r.key}`;

export class SessionService {
  private readonly chains = new Map<string, Promise<unknown>>();
  /** Walls whose old settings blob was moved into records by this process. */
  private readonly migrated = new Set<string>();
  private io: SessionIo | null = null;
  log: Logger | null = null;
  /** Set when a Redis adapter links several processes. */
  scaleOut = false;
  readonly privates: PrivateNotes;
  readonly held: HeldWrites;
  /**
   * The contact store (issue 13): an email written on a private or held note goes there, never
   * into the session records (which hosts and authors receive whole). Null keeps it on the note.
   */
  contactSink: ((id: BoardId, contacts: { ownerId: string; email: string }[]) => Promise<void>) | null = null;

  /**
   * `note` without its `email`, which is stored as the contact of its author (the note's owner,
   * else `ownerId`) first. Unchanged without a contact store.
   */
  async withoutEmail<T extends { email?: string | undefined; ownerId?: string | undefined }>(id: BoardId, note: T, ownerId: string | null): Promise<T> {
    if (!this.contactSink || !('email' in note)) return note;
    const { email, ...rest } = note;
    const owner = note.ownerId || ownerId;
    if (typeof email === 'string' && email.trim() && owner) await this.contactSink(id, [{ ownerId: owner, email: email.trim() }]);
    return rest as T;
  }

  constructor(
    readonly store: BoardStore,
    readonly rooms: RoomManager,
  ) {
    this.privates = new PrivateNotes(this);
    this.held = new HeldWrites(this);
    // Writes refused by the document's rules while the wall is locked (or private writing is on)
    // are kept here instead of being lost (R57).
    rooms.onRefused = (room, peer, refusals) => this.held.onRefused(room, peer, refusals);
    rooms.use({ onWallDeleted: (id) => this.forget(id) });
  }

  attach(io: SessionIo, log?: Logger): void {
    this.io = io;
    if (log) this.log = log;
  }

  /**
   * Runs `fn` after every earlier change of this wall has finished (one at a time per wall).
   * @throws whatever `fn` throws.
   */
  serial<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.chains.get(id) ?? Promise.resolve();
    const next = prev.then(fn);
    const settled = next.catch(() => undefined);
    this.chains.set(id, settled);
    void settled.then(() => {
      if (this.chains.get(id) === settled) this.chains.delete(id);
    });
    return next;
  }

  /**
   * Makes sure the wall exists and its state lives in records (moving an old blob once).
   * @throws MaillageError not_found for an unknown wall.
   */
  async requireWall(id: BoardId): Promise<void> {
    if (this.migrated.has(id)) return;
    const board = await this.store.getBoard(id);
    if (!board) throw new MaillageError(ErrorCode.NotFound, 'no such wall');
    await this.store.migrateSettings(id, (blob) => recordsFromSettings(readSettings(blob)));
    if (this.migrated.size > 10_000) this.migrated.clear();
    this.migrated.add(id);
  }

  /** Forgets what this process knows of a deleted wall. */
  forget(id: string): void {
    this.migrated.delete(id);
    this.privates.forget(id);
  }

  /** The whole session state of a wall (reads every record: for rare paths such as clustering). */
  async get(id: BoardId): Promise<SessionSettings> {
    await this.requireWall(id);
    return settingsFromRecords({}, await this.store.listSessionRecords(id));
  }

  /** The flags, timer and vote (with ballots), without private notes or held writes. */
  async settings(id: BoardId): Promise<SessionSettings> {
    await this.requireWall(id);
    const [flags, ballots] = await Promise.all([
      this.store.listSessionRecords(id, { kind: 'setting' }),
      this.store.listSessionRecords(id, { kind: 'ballot' }),
    ]);
    return settingsFromRecords({}, [...flags, ...ballots]);
  }

  /** The latest clustering suggestions (hosts, on join). */
  async suggestions(id: BoardId): Promise<ClusterSuggestions | null> {
    await this.requireWall(id);
    const row = (await this.store.listSessionRecords(id, { kind: 'suggestions' }))[0];
    const parsed = ClusterSuggestionsSchema.safeParse(row?.value);
    return parsed.success ? parsed.data : null;
  }

  /** Relays the host's visible rectangle to the wall (follow-me); volatile, never stored. */
  relayViewport(from: SessionSocket, boardId: BoardId, rect: ViewRect): void {
    from.to(boardRoom(boardId)).volatile.emit('host:viewport', rect);
  }

  /**
   * Sets host flags: one row per flag changed. Unlocking posts the writes held while locked.
   * @throws MaillageError not_found for an unknown wall.
   */
  async setSettings(id: BoardId, patch: SettingsPatch): Promise<void> {
    await this.serial(id, async () => {
      const before = await this.settings(id);
      const put: SessionRecord[] = [];
      for (const k of ['locked', 'privateWriting', 'follow', 'reviewShowsEmails'] as const) {
        if (patch[k] !== undefined) put.push({ kind: 'setting', key: k, owner: null, value: patch[k] });
      }
      if (patch.timer) put.push({ kind: 'setting', key: 'timer', owner: null, value: patch.timer });
      if (put.length) await this.store.writeSessionRecords(id, { put });
      // Held writes go in before anyone is told the wall reopened, so a client re-posting its own
      // copy finds them there (same ids) instead of racing them. A failure here is logged and
      // does not undo the unlock: the writes stay held for the next unlock.
      if (before.locked && patch.locked === false) {
        await this.held.release(id).catch((err: unknown) => this.log?.error({ board: id, ...errorFields(err) }, 'posting held writes failed'));
      }
      await this.publishState(id);
    });
  }

  /** Opens a new vote (everyone starts with all their dots), closes or clears it. */
  async vote(id: BoardId, cmd: { action: 'open'; dots: number } | { action: 'close' } | { action: 'clear' }): Promise<void> {
    await this.serial(id, async () => {
      await this.requireWall(id);
      if (cmd.action === 'open') {
        const meta = { id: randomToken(8), open: true, dotsPerParticipant: cmd.dots };
        await this.store.writeSessionRecords(id, { remove: [{ kind: 'ballot' }], put: [{ kind: 'setting', key: 'vote', owner: null, value: meta }] });
      } else if (cmd.action === 'close') {
        const row = (await this.store.listSessionRecords(id, { kind: 'setting', key: 'vote' }))[0];
        const meta = VoteMetaSchema.safeParse(row?.value);
        if (meta.success) await this.store.writeSessionRecords(id, { put: [{ kind: 'setting', key: 'vote', owner: null, value: { ...meta.data, open: false } }] });
      } else {
        await this.store.writeSessionRecords(id, { remove: [{ kind: 'ballot' }], put: [{ kind: 'setting', key: 'vote', owner: null, value: null }] });
      }
      await this.publishState(id);
    });
  }

  /**
   * Adds or removes one of this person's dots: writes their ballot row only.
   * @returns the person's ballot after the change.
   * @throws MaillageError locked (no open vote), limit_reached (no dots left), bad_request.
   */
  async castVote(id: BoardId, ownerId: string, noteId: string, add: boolean, noteExists: (id: string) => boolean): Promise<string[]> {
    return this.serial(id, async () => {
      await this.requireWall(id);
      const row = (await this.store.listSessionRecords(id, { kind: 'setting', key: 'vote' }))[0];
      const meta = VoteMetaSchema.safeParse(row?.value);
      if (!meta.success || !meta.data.open) throw new MaillageError(ErrorCode.Locked, 'no vote is open');
      const mine = (await this.store.listSessionRecords(id, { kind: 'ballot', key: ownerId }))[0];
      const ballot = Array.isArray(mine?.value) ? (mine.value as unknown[]).filter((x): x is string => typeof x === 'string') : [];
      if (add) {
        if (ballot.length >= meta.data.dotsPerParticipant) throw new MaillageError(ErrorCode.LimitReached, 'no dots left');
        if (!noteExists(noteId)) throw new MaillageError(ErrorCode.BadRequest, 'no such note');
        ballot.push(noteId);
      } else {
        const i = ballot.lastIndexOf(noteId);
        if (i < 0) return ballot;
        ballot.splice(i, 1);
      }
      await this.store.writeSessionRecords(id, { put: [{ kind: 'ballot', key: ownerId, owner: ownerId, value: ballot }] });
      await this.publishState(id);
      return ballot;
    });
  }

  /**
   * Applies `mutate` to the whole state and writes back only the records that changed (for rare
   * commands: ending a session, clustering results, rejections, the glossary).
   * @throws whatever `mutate` throws (nothing is stored then).
   */
  update<T>(id: BoardId, mutate: (s: SessionSettings) => T): Promise<T> {
    let unlocked = false;
    const done = this.serial(id, async () => {
      const before = await this.get(id);
      const after = structuredClone(before);
      const result = mutate(after);
      const was = new Map(recordsFromSettings(before).map((r) => [key(r), r]));
      const now = new Map(recordsFromSettings(after).map((r) => [key(r), r]));
      const put = [...now.values()].filter((r) => JSON.stringify(was.get(key(r))?.value) !== JSON.stringify(r.value));
      const remove = [...was.values()].filter((r) => !now.has(key(r))).map((r) => ({ kind: r.kind, key: r.key }));
      // A vote that ended has no row in `now`: record it as null rather than leave the old one.
      if (before.vote && !after.vote) put.push({ kind: 'setting', key: 'vote', owner: null, value: null });
      if (!put.length && !remove.length) return result;
      await this.store.writeSessionRecords(id, { put, remove });
      const touched = [...put, ...remove];
      if (touched.some((r) => r.kind === 'setting' || r.kind === 'ballot' || r.kind === 'private')) await this.publishState(id);
      this.privates.pushDiff(id, before.privateNotes, after.privateNotes);
      unlocked = before.locked && !after.locked;
      return result;
    });
    return done.then((r) => {
      if (unlocked) this.releaseHeld(id);
      return r;
    });
  }

  /** Posts the held writes once the wall reopens (its own turn in the wall's queue). */
  private releaseHeld(id: BoardId): void {
    this.serial(id, async () => {
      await this.held.release(id);
      await this.publishState(id);
    }).catch((err: unknown) => this.log?.error({ board: id, ...errorFields(err) }, 'posting held writes failed'));
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
    this.applyPolicy(id, await this.settings(id));
  }

  /** What every member of the wall may know (vote counts, never ballots; counts, never notes). */
  async publicState(id: BoardId, known?: SessionSettings): Promise<SessionState> {
    const [s, privateCount, heldCount] = await Promise.all([
      known ?? this.settings(id),
      this.store.countSessionRecords(id, { kind: 'private' }),
      this.store.countSessionRecords(id, { kind: 'held' }),
    ]);
    return {
      boardId: id,
      participants: this.rooms.peek(id)?.size ?? 0,
      locked: s.locked,
      privateWriting: s.privateWriting,
      timerEndsAt: s.timerEndsAt,
      timerDurationMs: s.timerDurationMs,
      serverNow: Date.now(),
      follow: s.follow,
      vote: s.vote ? { id: s.vote.id, open: s.vote.open, dotsPerParticipant: s.vote.dotsPerParticipant, counts: voteCounts(s.vote) } : null,
      reviewShowsEmails: s.reviewShowsEmails,
      privateCount,
      heldCount,
      contactRetentionDays: s.contactRetentionDays,
      sessionEndedAt: s.sessionEndedAt,
    };
  }

  /** Pushes the public state to the wall and applies the policy here (and, scaled out, elsewhere). */
  async publishState(id: BoardId): Promise<void> {
    const settings = await this.settings(id);
    this.applyPolicy(id, settings);
    this.push({ to: [boardRoom(id)] }, 'session:state', await this.publicState(id, settings));
    // Only other processes need telling (scale-out); alone, socket.io would just warn.
    if (this.scaleOut) this.io?.serverSideEmit('settings:changed', id);
  }

  /**
   * Sends one event to some rooms. A payload over SESSION_LIMITS.pushBytes is not sent (logged by
   * event name and size only): nothing one person does may make the server push megabytes.
   * @returns whether it was sent.
   */
  push<E extends keyof ServerToClientEvents>(target: PushTarget, event: E, ...args: Parameters<ServerToClientEvents[E]>): boolean {
    const io = this.io;
    if (!io || !target.to.length) return false;
    const bytes = Buffer.byteLength(JSON.stringify(args));
    if (bytes > SESSION_LIMITS.pushBytes) {
      this.log?.warn({ event, bytes }, 'session push over the size limit not sent');
      return false;
    }
    let op = io.to(target.to);
    if (target.except?.length) op = op.except(target.except);
    (op.emit as (e: string, ...a: unknown[]) => boolean)(event, ...args);
    return true;
  }

  /** Pushes the participant count (called when people join or leave the live document). */
  async announceCount(id: BoardId): Promise<void> {
    if (!this.io) return;
    try {
      this.push({ to: [boardRoom(id)] }, 'session:state', await this.publicState(id));
    } catch {
      // The store is closing (shutdown) or the wall is gone: the count is cosmetic, drop it.
    }
  }
}
