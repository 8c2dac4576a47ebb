/**
 * Erasing is erasing (issue 13, docs/spec.md R86–R88): what is erased leaves no byte in the store
 * — not in the live document, not in the stored update log, not in snapshots taken before (restore
 * backups are snapshots too), not in session records, not in the contact store, and not in the
 * database files (SQLite WAL checkpoint, PostgreSQL VACUUM: `BoardStore.purgeDeleted`).
 *
 * Three erasures go through here:
 * - a person (by themself from their device, or by a host): their notes and connectors, their
 *   private and held notes, their votes, their contact row;
 * - a note deleted by someone on the wall: the room already compacts it out of the log
 *   (Room.eraseSoon); here the snapshots taken before are rewritten without it;
 * - contact details past their retention period after the session ended (a guarded timer).
 * Deleting a wall erases its rows in the store itself (BoardStore.deleteBoard, R31).
 *
 * Plugged into the sync layer as a RoomExtension (it hears which walls are loaded), never inside
 * room code.
 */
import * as Y from 'yjs';
import { ErrorCode, MaillageError, type BoardId, type SessionRecord } from '@maillage/shared';
import type { BoardStore } from '../store/index.ts';
import type { RoomExtension, RoomManager } from '../sync/RoomManager.ts';
import { REMOTE_ORIGIN, SERVER_ORIGIN, type Room, type WallLock } from '../sync/Room.ts';
import { collectLegacyContacts } from '../sync/legacyContacts.ts';
import { boardRoom, hostsRoom, ownerRoom, type SessionService } from '../session/SessionService.ts';
import { errorFields, type Logger } from '../logger.ts';
import type { ContactService } from './ContactService.ts';
import { scrubDoc, scrubState, type Holders, type ScrubTarget } from './scrub.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Marks a wall whose snapshots were rewritten without emails (walls written before issue 13). */
const SNAPSHOTS_CLEAN_KEY = 'snapshotContactsMoved';

export interface ErasureOptions {
  /** Milliseconds between retention sweeps; 0 = no timer (tests call `sweep`). */
  sweepMs: number;
  /** Milliseconds between a note deletion and the rewrite of the snapshots holding it. */
  snapshotDelayMs?: number;
  /** Scale-out: one process rewrites a wall's snapshots at a time. */
  lock?: WallLock;
  now?: () => number;
}

export class ErasureService implements RoomExtension {
  private readonly watched = new Map<BoardId, { room: Room; off: () => void }>();
  /** Note ids deleted per wall, waiting for their snapshots to be rewritten. */
  private readonly deleted = new Map<BoardId, Set<string>>();
  private readonly timers = new Map<BoardId, NodeJS.Timeout>();
  private readonly running = new Set<Promise<unknown>>();
  private sweepTimer: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;
  private closed = false;
  /** Erasures of a person under way, by wall and author id (repeats wait for them). */
  private readonly erasing = new Map<string, Promise<unknown>>();
  /** Snapshots known to hold nothing of a person, by wall and author id (see erasePersonNow). */
  private readonly scrubbed = new Map<string, Set<string>>();
  /**
   * Whose records each snapshot held when last read, by wall and snapshot id: an erasure of a
   * person no snapshot holds reads none (a participant may erase a fresh author id of theirs as
   * often as the message budget allows, R218).
   */
  private readonly snapshotHolders = new Map<string, Holders>();

  constructor(
    private readonly store: BoardStore,
    private readonly rooms: RoomManager,
    private readonly sessions: SessionService,
    private readonly contacts: ContactService,
    private readonly log: Logger,
    private readonly opts: ErasureOptions,
  ) {
    rooms.use(this);
    if (opts.sweepMs > 0) {
      this.sweepTimer = setInterval(() => void this.sweep().catch((err: unknown) => this.log.error({ ...errorFields(err) }, 'contact retention sweep failed')), opts.sweepMs);
      this.sweepTimer.unref();
    }
  }

  /* ------------------------------------------------------------ RoomExtension */

  onRoomLoaded(room: Room): void {
    const notes = room.doc.getMap('notes');
    const onChange = (event: Y.YMapEvent<unknown>): void => {
      // The server's own deletions are a restore (whose backup must keep them) or an erasure
      // (which rewrites snapshots itself); another process's are handled there.
      const origin = event.transaction.origin;
      if (origin === SERVER_ORIGIN || origin === REMOTE_ORIGIN) return;
      for (const [key, change] of event.changes.keys) if (change.action === 'delete') this.noteDeleted(room.id, key);
    };
    notes.observe(onChange);
    this.watched.set(room.id, { room, off: () => notes.unobserve(onChange) });
    // Walls written before issue 13: their snapshots still hold emails (once per wall).
    this.track(this.moveSnapshotContacts(room.id).catch((err: unknown) => this.log.error({ board: room.id, ...errorFields(err) }, 'moving contact details out of snapshots failed')));
  }

  onRoomUnloading(room: Room): void {
    const w = this.watched.get(room.id);
    if (w?.room !== room) return;
    w.off();
    this.watched.delete(room.id);
    // Deletions waiting for their snapshot rewrite are done now rather than forgotten.
    if (this.timers.has(room.id)) this.flushDeleted(room.id);
  }

  onWallDeleted(id: BoardId): void {
    const t = this.timers.get(id);
    if (t) clearTimeout(t);
    this.timers.delete(id);
    this.deleted.delete(id);
  }

  /* ------------------------------------------------------------ API */

  /**
   * Erases one person from a wall: notes and connectors (live document, then the stored log is
   * compacted), co-author entries, private and held notes, votes, contact details, and all of it
   * from every snapshot; then the database files are purged.
   * @returns how many notes of theirs were on the wall.
   * @throws MaillageError not_found for an unknown wall; bad_request for an empty author id.
   */
  async erasePerson(id: BoardId, ownerId: string): Promise<{ notes: number }> {
    if (!ownerId || ownerId.length > 64) throw new MaillageError(ErrorCode.BadRequest, 'no such person');
    // One erasure of a person at a time: a repeat waits for the one under way, then finds
    // nothing but what was written since (R218).
    const key = `${id}\u0000${ownerId}`;
    const prev = this.erasing.get(key) ?? Promise.resolve();
    const run = prev.catch(() => undefined).then(() => this.erasePersonNow(id, ownerId, key));
    const settled = run.catch(() => undefined);
    this.erasing.set(key, settled);
    void settled.then(() => {
      if (this.erasing.get(key) === settled) this.erasing.delete(key);
    });
    return run;
  }

  private async erasePersonNow(id: BoardId, ownerId: string, key: string): Promise<{ notes: number }> {
    const room = await this.rooms.get(id);
    if (!room) throw new MaillageError(ErrorCode.NotFound, 'no such wall');
    let notes: string[];
    let docChanged: boolean;
    try {
      ({ notes, changed: docChanged } = scrubDoc(room.doc, { owners: new Set([ownerId]) }, SERVER_ORIGIN));
      if (docChanged) await room.compactSoon();
    } finally {
      this.rooms.release(room);
    }
    const records = await this.eraseSessionRecords(id, ownerId);
    const contact = await this.contacts.erase(id, ownerId);
    // A snapshot already rewritten without this person cannot hold them again (snapshots are
    // never added to; a restore's backup is a new snapshot): a repeated erasure — any participant
    // may send `contact:erase` as often as the message budget allows — reads only the others.
    // Without this, each repeat decoded and rewrote every snapshot of the wall: 19 repeats on a
    // 2,000-note wall with 12 snapshots held the event loop 36 s.
    const done = this.scrubbed.get(key);
    const rewritten = await this.scrubSnapshots(id, { owners: new Set([ownerId]), emails: true }, done);
    if (this.scrubbed.size >= 10_000) this.scrubbed.clear();
    const erased = docChanged || records > 0 || contact || rewritten > 0;
    if (erased) await this.store.purgeDeleted();
    // Every page of the wall rewrites its local copy on `person:erased` (R92): told only when
    // something was erased, else only the person's own devices — erasing fresh author ids must
    // not make every browser of the wall rewrite its copy 45 times a second.
    this.sessions.push({ to: [erased ? boardRoom(id) : ownerRoom(id, ownerId)] }, 'person:erased', { ownerId });
    this.log.info({ board: id, notes: notes.length }, 'erased a person');
    return { notes: notes.length };
  }

  /**
   * Erases every contact detail of a wall (its retention period passed), from the contact store
   * and from every snapshot, then purges the files.
   */
  async eraseContactDetails(id: BoardId): Promise<number> {
    const n = await this.contacts.eraseAll(id);
    await this.scrubSnapshots(id, { emails: true });
    await this.store.purgeDeleted();
    if (n) this.log.info({ board: id, contacts: n }, 'erased contact details after the retention period');
    return n;
  }

  /**
   * One retention round: walls whose session ended more than their `contactRetentionDays` ago
   * (0 = kept until the wall is deleted) lose their contact details. Each wall's failure is
   * logged and leaves the others alone. `at` (ms) replaces the clock (tests).
   */
  sweep(at?: number): Promise<void> {
    this.sweeping ??= (async () => {
      const now = at ?? (this.opts.now ?? Date.now)();
      for (const { boardId, value } of await this.store.findSettings('sessionEndedAt')) {
        if (this.closed) return;
        if (typeof value !== 'number') continue;
        try {
          const days = (await this.sessions.settings(boardId)).contactRetentionDays;
          if (days <= 0 || now < value + days * DAY_MS) continue;
          if (!(await this.contacts.list(boardId)).length) continue;
          await this.eraseContactDetails(boardId);
        } catch (err) {
          this.log.error({ board: boardId, ...errorFields(err) }, 'contact retention failed for a wall');
        }
      }
    })().finally(() => {
      this.sweeping = null;
    });
    return this.sweeping;
  }

  /**
   * Rewrites every snapshot of the wall that holds any of `target` (restore backups included).
   * @returns how many were rewritten.
   */
  async scrubSnapshots(id: BoardId, target: ScrubTarget, alreadyClean?: Set<string>): Promise<number> {
    const run = async (): Promise<number> => {
      let rewritten = 0;
      const clean = new Set<string>();
      for (const rec of await this.store.listSnapshots(id)) {
        clean.add(rec.id);
        if (alreadyClean?.has(rec.id)) continue;
        // A snapshot known to hold none of these people (and no email, when emails go too) is
        // not read: what it holds only shrinks (rewrites remove), so the index stays a superset.
        const known = this.snapshotHolders.get(`${id}\u0000${rec.id}`);
        if (known && !target.noteIds && !(target.emails && known.emails) && ![...(target.owners ?? [])].some((o) => known.owners.has(o))) continue;
        const snap = await this.store.getSnapshot(id, rec.id);
        if (!snap) continue;
        let held: Holders | null = null;
        const out = scrubState(snap.state, target, (h) => void (held = h));
        // Indexed once what it describes is what the store holds.
        if (out && (await this.store.rewriteSnapshot(id, rec.id, out.state, out.noteCount))) rewritten++;
        if (held) {
          if (this.snapshotHolders.size >= 500) this.snapshotHolders.clear();
          this.snapshotHolders.set(`${id}\u0000${rec.id}`, held);
        }
      }
      // Remembered per erased person only (a target without owners is not repeated by anyone).
      if (target.owners?.size === 1) this.scrubbed.set(`${id}\u0000${Array.from(target.owners)[0]}`, clean);
      return rewritten;
    };
    if (!this.opts.lock) return run();
    let n = 0;
    // Another process holding the wall's lock is compacting or snapshotting: wait for it, since
    // skipping would leave the erased content in a snapshot.
    for (let attempt = 0; attempt < 50; attempt++) {
      if (await this.opts.lock.tryWith(id, async () => void (n = await run()))) return n;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('wall lock busy: snapshots not rewritten');
  }

  /** Waits for the work in flight (tests, shutdown). */
  async idle(): Promise<void> {
    for (const id of Array.from(this.timers.keys())) this.flushDeleted(id);
    while (this.running.size) await Promise.allSettled(Array.from(this.running));
    await this.sweeping;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await this.idle();
    for (const w of this.watched.values()) w.off();
    this.watched.clear();
  }

  /* ------------------------------------------------------------ internals */

  private track<T>(p: Promise<T>): void {
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
  }

  private noteDeleted(id: BoardId, noteId: string): void {
    let set = this.deleted.get(id);
    if (!set) this.deleted.set(id, (set = new Set()));
    set.add(noteId);
    if (this.timers.has(id)) return;
    const t = setTimeout(() => this.flushDeleted(id), this.opts.snapshotDelayMs ?? 1000);
    t.unref();
    this.timers.set(id, t);
  }

  private flushDeleted(id: BoardId): void {
    const t = this.timers.get(id);
    if (t) clearTimeout(t);
    this.timers.delete(id);
    const ids = this.deleted.get(id);
    this.deleted.delete(id);
    if (!ids?.size) return;
    this.track(
      (async () => {
        // A note deleted then restored (undo) is on the wall again: its snapshots stay.
        const live = this.rooms.peek(id)?.doc.getMap('notes');
        const gone = new Set(Array.from(ids).filter((n) => !live?.has(n)));
        if (!gone.size) return;
        if (await this.scrubSnapshots(id, { noteIds: gone })) await this.store.purgeDeleted();
      })().catch((err: unknown) => this.log.error({ board: id, ...errorFields(err) }, 'erasing deleted notes from snapshots failed')),
    );
  }

  /** Private notes, held writes and ballots of one person, removed and announced. */
  private async eraseSessionRecords(id: BoardId, ownerId: string): Promise<number> {
    const { privateIds, heldIds, removed } = await this.sessions.serial(id, async () => {
      await this.sessions.requireWall(id);
      const mine: SessionRecord[] = [
        ...(await this.store.listSessionRecords(id, { kind: 'private', owner: ownerId })),
        ...(await this.store.listSessionRecords(id, { kind: 'held', owner: ownerId })),
        ...(await this.store.listSessionRecords(id, { kind: 'ballot', key: ownerId })),
      ];
      if (mine.length) await this.store.writeSessionRecords(id, { remove: mine.map((r) => ({ kind: r.kind, key: r.key })) });
      return {
        removed: mine.length,
        privateIds: mine.filter((r) => r.kind === 'private').map((r) => r.key),
        heldIds: mine.filter((r) => r.kind === 'held').map((r) => r.key),
      };
    });
    const to = [hostsRoom(id), ownerRoom(id, ownerId)];
    if (privateIds.length) this.sessions.push({ to }, 'private:removed', { ids: privateIds });
    if (heldIds.length) this.sessions.push({ to }, 'held:released', { ids: heldIds, outcome: 'dropped' });
    this.sessions.push({ to: [ownerRoom(id, ownerId)] }, 'vote:mine', []);
    await this.sessions.publishState(id);
    return removed;
  }

  /**
   * Walls written before issue 13 keep emails in their snapshots. Once per wall: each snapshot's
   * emails are saved as contacts of people the store does not know yet (the live wall's, moved
   * by the room on load, win), then the snapshots are rewritten without any email.
   */
  private async moveSnapshotContacts(id: BoardId): Promise<void> {
    const done = await this.store.listSessionRecords(id, { kind: 'setting', key: SNAPSHOTS_CLEAN_KEY });
    if (done.length) return;
    const snaps = await this.store.listSnapshots(id);
    // No snapshot yet: nothing to move, and every later one is taken from an email-free wall.
    if (!snaps.length) return;
    {
      const known = new Set((await this.contacts.list(id)).map((c) => c.ownerId));
      for (const rec of snaps) {
        const snap = await this.store.getSnapshot(id, rec.id);
        if (!snap) continue;
        const doc = new Y.Doc();
        try {
          Y.applyUpdate(doc, snap.state);
          const found = collectLegacyContacts(doc).filter((c) => !known.has(c.ownerId));
          if (found.length) await this.contacts.saveFromDocument(id, found);
          for (const c of found) known.add(c.ownerId);
        } catch {
          /* unreadable: rewritten from what could be read below */
        } finally {
          doc.destroy();
        }
      }
      if (await this.scrubSnapshots(id, { emails: true })) {
        await this.store.purgeDeleted();
        this.log.info({ board: id }, 'moved contact details out of snapshots');
      }
    }
    await this.store.writeSessionRecords(id, { put: [{ kind: 'setting', key: SNAPSHOTS_CLEAN_KEY, owner: null, value: true }] });
  }
}
