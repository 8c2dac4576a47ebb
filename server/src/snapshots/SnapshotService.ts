/**
 * Snapshots of walls: saved by hosts, taken when a host ends the session, taken periodically
 * while a wall is active and changing, viewed read-only (time travel), and restored.
 *
 * A snapshot is the wall's Yjs state at a moment, kept by the store next to the update log
 * (`BoardStore.saveSnapshot`). Restoring one never rewrites history: the service first saves the
 * current state as a 'restore' snapshot, then changes the live document to match the snapshot in
 * one ordinary transaction (docSync.ts), which every connected client receives and the store
 * appends like any other update. Restoring the 'restore' snapshot undoes the restore.
 *
 * Periodic snapshots plug in at the edge of the sync layer as a RoomExtension: the service hears
 * which walls are loaded and marks a wall dirty when its document changes; every
 * `intervalMs` it snapshots the dirty ones whose content differs from their latest snapshot. With
 * several processes, each runs under the wall's lock, and the content check makes the second
 * process skip what the first one just saved.
 */
import * as Y from 'yjs';
import {
  ErrorCode,
  LIMITS,
  MaillageError,
  SNAPSHOT_ID_PATTERN,
  isSnapshotKind,
  newSnapshotId,
  readNotes,
  readWallExport,
  type BoardId,
  type RestoreResult,
  type SnapshotId,
  type SnapshotInfo,
  type SnapshotKind,
  type SnapshotView,
  type WallExport,
} from '@maillage/shared';
import type { BoardRecord, BoardStore, SnapshotRecord } from '../store/index.ts';
import type { RoomExtension, RoomManager } from '../sync/RoomManager.ts';
import { SERVER_ORIGIN, type Room, type WallLock } from '../sync/Room.ts';
import { safeMigrate, type BoardService } from '../boards/BoardService.ts';
import { logReadProblems } from '../boards/readProblems.ts';
import { errorFields, type Logger } from '../logger.ts';
import { notesDirectory, policyOf, redactWall, type DirectorySource, type Viewer } from '../privacy/index.ts';
import { docFromState, dropUnreadable, stableContent, syncDoc } from './docSync.ts';

export interface SnapshotServiceOptions {
  /** Milliseconds between automatic snapshots of changed walls; 0 turns them off. */
  intervalMs: number;
  /** The scale-out lock, so that one process takes a wall's automatic snapshot. */
  lock?: WallLock;
  /**
   * Where contact details come from for time travel (the snapshot's notes today; issue 13's
   * contact store later, so that a person's current choice and erasure apply to old snapshots).
   */
  contacts?: DirectorySource;
}

/** Names given to snapshots the server takes; clients show a translated label for these kinds. */
export const SERVER_SNAPSHOT_NAMES: Record<Exclude<SnapshotKind, 'manual' | 'restore'>, string> = {
  auto: 'Automatique / Automatic',
  end: 'Fin de séance / End of session',
};

export function snapshotInfo(rec: SnapshotRecord): SnapshotInfo {
  return {
    id: rec.id,
    name: rec.name,
    kind: isSnapshotKind(rec.kind) ? rec.kind : 'manual',
    createdAt: rec.createdAt,
    noteCount: rec.noteCount,
  };
}

export class SnapshotService implements RoomExtension {
  private readonly watched = new Map<BoardId, { room: Room; off: () => void }>();
  private readonly dirty = new Set<BoardId>();
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;

  constructor(
    private readonly store: BoardStore,
    private readonly rooms: RoomManager,
    private readonly boards: BoardService,
    private readonly log: Logger,
    private readonly opts: SnapshotServiceOptions,
  ) {
    rooms.use(this);
    if (opts.intervalMs > 0) {
      // A round's failures are caught per wall inside tick(); this catch is the last net (R60).
      this.timer = setInterval(() => void this.tick().catch((err: unknown) => this.log.error({ ...errorFields(err) }, 'snapshot round failed')), opts.intervalMs);
      this.timer.unref();
    }
  }

  /* ------------------------------------------------------------ RoomExtension */

  onRoomLoaded(room: Room): void {
    // Loading (and its migrations) happened before this hook: only later changes mark the wall.
    const onUpdate = () => this.dirty.add(room.id);
    room.doc.on('update', onUpdate);
    this.watched.set(room.id, { room, off: () => room.doc.off('update', onUpdate) });
  }

  onRoomUnloading(room: Room): void {
    const w = this.watched.get(room.id);
    if (w?.room === room) {
      w.off();
      this.watched.delete(room.id);
      this.dirty.delete(room.id);
    }
  }

  onWallDeleted(id: BoardId): void {
    this.dirty.delete(id);
  }

  /* ------------------------------------------------------------ API */

  /**
   * Saves the wall's current state (live if loaded, stored otherwise).
   * @throws MaillageError not_found when the wall does not exist.
   */
  async save(id: BoardId, name: string, kind: SnapshotKind = 'manual'): Promise<SnapshotInfo> {
    await this.boards.requireBoard(id);
    const { state, noteCount } = await this.boards.withDoc(id, (doc) => ({
      state: Y.encodeStateAsUpdate(doc),
      noteCount: this.countNotes(id, doc),
    }));
    const rec = await this.write(id, name, kind, state, noteCount);
    if (this.rooms.peek(id)) this.dirty.delete(id);
    return snapshotInfo(rec);
  }

  /** Newest first. @throws MaillageError not_found for an unknown wall. */
  async list(id: BoardId): Promise<SnapshotInfo[]> {
    await this.boards.requireBoard(id);
    return (await this.store.listSnapshots(id)).map(snapshotInfo);
  }

  /**
   * A snapshot's content, for looking back in time, as `viewer` may see it: every email (notes
   * and co-authors) decided by the privacy module under the wall's current policy (R71).
   * @throws MaillageError not_found for an unknown wall or snapshot.
   */
  async view(id: BoardId, sid: string, viewer: Viewer): Promise<SnapshotView> {
    const snap = await this.require(id, sid);
    const { doc, readable } = docFromState(snap.state);
    let wall: WallExport;
    try {
      if (!readable) this.log.warn({ board: id, snapshot: snap.rec.id }, 'snapshot state partly unreadable; showing what could be read');
      safeMigrate(doc, id, this.log);
      const read = readWallExport(doc, { emails: true, now: snap.rec.createdAt });
      logReadProblems(this.log, id, read.problems, 'snapshot view');
      wall = read.wall;
    } finally {
      doc.destroy();
    }
    const directory = await (this.opts.contacts ?? notesDirectory)(snap.board.id, wall.notes);
    return { snapshot: snapshotInfo(snap.rec), wall: redactWall(wall, viewer, policyOf(snap.board.settings), directory) };
  }

  /**
   * Makes the live wall equal to the snapshot, after saving the current state as a 'restore'
   * snapshot (restoring that one undoes this). Connected clients receive the change live.
   * @throws MaillageError not_found for an unknown wall or snapshot.
   */
  async restore(id: BoardId, sid: string): Promise<RestoreResult> {
    const snap = await this.require(id, sid);
    const room = await this.rooms.get(id);
    if (!room) throw new MaillageError(ErrorCode.NotFound, 'no such wall');
    const { doc: target, readable } = docFromState(snap.state);
    try {
      if (!readable) throw new MaillageError(ErrorCode.BadRequest, 'this snapshot cannot be read; the wall was left as it is');
      safeMigrate(target, id, this.log);
      // Only what the wall shows is restored: records nothing can read are left out (and logged).
      logReadProblems(this.log, id, dropUnreadable(target), 'snapshot restore');
      // The backup must hold everything written up to the restore. With an asynchronous store,
      // writes may land while it is being saved: save again until the document stood still
      // (state vectors only grow, so an unchanged one means nothing new was inserted).
      let backup: SnapshotRecord | null = null;
      for (let attempt = 0; attempt < 3; attempt++) {
        const sv = Y.encodeStateVector(room.doc);
        backup = await this.write(id, snap.rec.name, 'restore', Y.encodeStateAsUpdate(room.doc), this.countNotes(id, room.doc));
        if (sameBytes(sv, Y.encodeStateVector(room.doc))) break;
      }
      room.doc.transact(() => syncDoc(room.doc, target), SERVER_ORIGIN);
      await room.flush();
      this.log.info({ board: id, snapshot: snap.rec.id }, 'wall restored from snapshot');
      return { restored: snapshotInfo(snap.rec), backup: snapshotInfo(backup as SnapshotRecord) };
    } finally {
      target.destroy();
      this.rooms.release(room);
    }
  }

  /** Stops the periodic snapshots; waits for one in progress. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking;
    for (const w of this.watched.values()) w.off();
    this.watched.clear();
    this.dirty.clear();
  }

  /**
   * One round of automatic snapshots (the timer calls it; tests may too). A wall whose lock is
   * taken stays dirty and is tried again next round.
   */
  tick(): Promise<void> {
    this.ticking ??= (async () => {
      for (const id of Array.from(this.dirty)) {
        if (!this.watched.has(id)) {
          this.dirty.delete(id);
          continue;
        }
        try {
          if (this.opts.lock) await this.opts.lock.tryWith(id, () => this.autoSnapshot(id));
          else await this.autoSnapshot(id);
        } catch (err) {
          this.dirty.add(id);
          this.log.error({ board: id, ...errorFields(err) }, 'automatic snapshot failed');
        }
      }
    })().finally(() => {
      this.ticking = null;
    });
    return this.ticking;
  }

  /* ------------------------------------------------------------ internals */

  private async autoSnapshot(id: BoardId): Promise<void> {
    const room = this.rooms.peek(id);
    if (!room) return;
    // Cleared before reading: a change made while this runs marks the wall for the next round.
    this.dirty.delete(id);
    const content = stableContent(room.doc);
    const [latest] = await this.store.listSnapshots(id);
    if (latest) {
      const prev = await this.store.getSnapshot(id, latest.id);
      if (prev) {
        const { doc: prevDoc } = docFromState(prev.state);
        const same = stableContent(prevDoc) === content;
        prevDoc.destroy();
        if (same) return;
      }
    }
    if (this.rooms.peek(id) !== room) return; // unloaded meanwhile
    await this.write(id, SERVER_SNAPSHOT_NAMES.auto, 'auto', Y.encodeStateAsUpdate(room.doc), this.countNotes(id, room.doc));
    this.log.debug({ board: id }, 'automatic snapshot');
  }

  /** Notes the wall shows (lenient reader); unusable records are logged, not counted. */
  private countNotes(id: BoardId, doc: Y.Doc): number {
    const { notes, problems } = readNotes(doc);
    logReadProblems(this.log, id, problems, 'snapshot');
    return notes.length;
  }

  private async write(id: BoardId, name: string, kind: SnapshotKind, state: Uint8Array, noteCount: number): Promise<SnapshotRecord> {
    const rec: SnapshotRecord = {
      id: newSnapshotId(),
      boardId: id,
      name: name.trim().slice(0, LIMITS.snapshotName),
      kind,
      createdAt: Date.now(),
      noteCount,
    };
    await this.store.saveSnapshot(rec, state);
    return rec;
  }

  private async require(id: BoardId, sid: string): Promise<{ board: BoardRecord; rec: SnapshotRecord; state: Uint8Array }> {
    const board = await this.boards.requireBoard(id);
    const snap = SNAPSHOT_ID_PATTERN.test(sid) ? await this.store.getSnapshot(id, sid as SnapshotId) : null;
    if (!snap) throw new MaillageError(ErrorCode.NotFound, 'no such snapshot');
    return { board, ...snap };
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
