/**
 * Keeps one Room per wall in memory while anyone is connected, plus a grace period so that a
 * network blip or a page reload does not unload and reload the wall.
 */
import { readSettings, type BoardId } from '@maillage/shared';
import type { BoardStore } from '../store/index.ts';
import type { Logger } from '../logger.ts';
import { Room, type RoomOptions } from './Room.ts';
import type { Refusal, TakenContact } from '../auth/judge.ts';
import { takeLegacyContacts } from './legacyContacts.ts';
import { SERVER_ORIGIN } from './Room.ts';
import type { Peer } from './Peer.ts';

/** Scale-out and other plug-ins observe rooms through these hooks, never by reaching inside. */
export interface RoomExtension {
  onRoomLoaded?(room: Room): void | Promise<void>;
  onRoomUnloading?(room: Room): void | Promise<void>;
  /** The wall was deleted here, whether or not it was loaded (other processes must drop it). */
  onWallDeleted?(id: BoardId): void | Promise<void>;
  /** Part of a peer's update was put back by the write rules (already done; e.g. hold it). */
  onWriteRefused?(room: Room, peer: Peer, refusals: Refusal[]): void;
}

export interface RoomManagerOptions extends RoomOptions {
  idleMs: number;
}

export class RoomManager {
  private readonly rooms = new Map<string, Room>();
  private readonly loading = new Map<string, Promise<Room | null>>();
  private readonly unloading = new Map<string, Promise<void>>();
  private readonly idleTimers = new Map<string, NodeJS.Timeout>();
  private readonly extensions: RoomExtension[] = [];

  constructor(
    private readonly store: BoardStore,
    private readonly log: Logger,
    private readonly opts: RoomManagerOptions,
  ) {}

  /**
   * The contact store (issue 13). When set, emails never stay in a wall's document: those written
   * on notes are taken out as they arrive, and those of walls written before are moved out when
   * the wall loads.
   */
  contacts: { save(id: BoardId, contacts: TakenContact[]): Promise<void> } | null = null;

  /**
   * Takes the emails still in a loaded wall out of its document into the contact store, then
   * compacts the stored log so that none of its rows keeps them.
   */
  private async moveLegacyContacts(room: Room): Promise<void> {
    const found = takeLegacyContacts(room.doc, SERVER_ORIGIN);
    if (!found.length) return;
    // Queued synchronously after the transaction: the flush that stores the stripped document
    // waits for these to be stored first.
    room.queueContacts(found);
    await room.compactSoon();
    this.log.info({ board: room.id, contacts: found.length }, 'moved contact details out of the wall document');
  }

  /** Whether the wall's room is being unloaded (its last updates may not be stored yet). */
  isUnloading(id: BoardId): boolean {
    return this.unloading.has(id);
  }

  use(ext: RoomExtension): void {
    this.extensions.push(ext);
  }

  /**
   * Told when the write rules put back part of a peer's update (the session layer keeps notes
   * refused while the wall is locked, to post them when it reopens).
   */
  onRefused: ((room: Room, peer: Peer, refusals: Refusal[]) => void) | null = null;

  /** Reports refusals to the hooks; a hook that throws is logged and never reaches the transport. */
  refused(room: Room, peer: Peer, refusals: Refusal[]): void {
    const hooks = [this.onRefused, ...this.extensions.map((e) => e.onWriteRefused?.bind(e))];
    for (const hook of hooks) {
      if (!hook) continue;
      try {
        hook(room, peer, refusals);
      } catch (err) {
        this.log.error({ board: room.id, err }, 'write-refusal hook failed');
      }
    }
  }

  /** The loaded room, if any, without loading it. */
  peek(id: BoardId): Room | undefined {
    return this.rooms.get(id);
  }

  get loadedCount(): number {
    return this.rooms.size;
  }

  /** Returns the live room, loading it from storage if needed; null when the wall does not exist. */
  async get(id: BoardId): Promise<Room | null> {
    this.cancelIdle(id);
    const live = this.rooms.get(id);
    if (live) return live;
    const pendingUnload = this.unloading.get(id);
    if (pendingUnload) await pendingUnload;
    const inFlight = this.loading.get(id);
    if (inFlight) return inFlight;
    const p = this.load(id).finally(() => this.loading.delete(id));
    this.loading.set(id, p);
    return p;
  }

  private async load(id: BoardId): Promise<Room | null> {
    const board = await this.store.getBoard(id);
    if (!board) return null;
    const room = await Room.load(id, this.store, this.log, this.opts);
    const sink = this.contacts;
    if (sink) {
      room.contactSink = (taken) => sink.save(id, taken);
      await this.moveLegacyContacts(room);
    }
    const settings = readSettings(board.settings);
    room.policy = { locked: settings.locked, privateWriting: settings.privateWriting, reviewEmails: settings.reviewShowsEmails };
    this.rooms.set(id, room);
    for (const ext of this.extensions) await ext.onRoomLoaded?.(room);
    this.log.debug({ board: id }, 'wall loaded');
    return room;
  }

  /** Called by transports when a peer leaves; unloads the room once idle for `idleMs`. */
  release(room: Room): void {
    if (room.size > 0 || this.rooms.get(room.id) !== room) return;
    this.cancelIdle(room.id);
    const t = setTimeout(() => {
      this.idleTimers.delete(room.id);
      if (room.size === 0) this.unload(room.id).catch((err: unknown) => this.log.error({ board: room.id, err }, 'unloading a wall failed'));
    }, this.opts.idleMs);
    t.unref();
    this.idleTimers.set(room.id, t);
  }

  private cancelIdle(id: string): void {
    const t = this.idleTimers.get(id);
    if (t) {
      clearTimeout(t);
      this.idleTimers.delete(id);
    }
  }

  async unload(id: BoardId, closeCode?: number, reason?: string): Promise<void> {
    const room = this.rooms.get(id);
    if (!room) return;
    this.cancelIdle(id);
    this.rooms.delete(id);
    const p = (async () => {
      for (const ext of this.extensions) await ext.onRoomUnloading?.(room);
      await room.destroy(closeCode, reason);
      this.log.debug({ board: id }, 'wall unloaded');
    })().finally(() => this.unloading.delete(id));
    this.unloading.set(id, p);
    return p;
  }

  /** Forgets a deleted wall without writing anything more of it. */
  async discard(id: BoardId, closeCode: number, reason: string): Promise<void> {
    const room = this.rooms.get(id);
    this.cancelIdle(id);
    for (const ext of this.extensions) await ext.onWallDeleted?.(id);
    if (!room) return;
    this.rooms.delete(id);
    for (const ext of this.extensions) await ext.onRoomUnloading?.(room);
    room.discard(closeCode, reason);
  }

  /** Flushes and unloads every room (graceful shutdown). */
  async closeAll(closeCode?: number, reason?: string): Promise<void> {
    await Promise.all(Array.from(this.rooms.keys()).map((id) => this.unload(id as BoardId, closeCode, reason)));
  }

  /** Flushes every room without unloading (e.g. before a snapshot of the whole database). */
  async flushAll(): Promise<void> {
    await Promise.all(Array.from(this.rooms.values()).map((r) => r.flush()));
  }
}
