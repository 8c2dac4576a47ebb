/**
 * Shares live walls between server processes through Redis pub/sub, as a RoomExtension: rooms
 * never know it exists. While a process has a wall loaded it is subscribed to the wall's channel,
 * publishes the document and awareness updates its own peers make, and applies those of other
 * processes (documents with REMOTE_ORIGIN, so only the process that received an update from its
 * client persists it; awareness with REMOTE_ORIGIN, which Room fans out to its local peers).
 *
 * Catching up on load. Between reading the store and subscribing, other processes may publish
 * updates this one never hears, and pub/sub keeps no history. So after subscribing it
 *   1. asks every live holder of the wall for what it lacks (sync request with its state
 *      vector; each replies with the difference and its own state vector, and gets back what
 *      it lacks in turn), which covers everything published and still held in memory;
 *   2. re-reads the store, which covers what was persisted by processes that have since unloaded
 *      the wall or died.
 * Yjs updates are idempotent, so overlap between these is harmless; there is no gap.
 */
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { Redis } from 'ioredis';
import { CloseCode, randomToken, type BoardId } from '@maillage/shared';
import type { BoardStore } from '../store/index.ts';
import type { Logger } from '../logger.ts';
import { REMOTE_ORIGIN, type Room } from '../sync/Room.ts';
import type { RoomExtension, RoomManager } from '../sync/RoomManager.ts';
import { WireKind, decodeWire, encodeWire, type WireMessage } from './wire.ts';

export interface RedisRoomSyncOptions {
  /** Connection for PUBLISH (and any ordinary command). */
  pub: Redis;
  /** Connection in subscriber mode; used for nothing else. */
  sub: Redis;
  store: BoardStore;
  rooms: RoomManager;
  log: Logger;
  /** Key and channel prefix, e.g. 'maillage:'. */
  prefix: string;
  /** How long a room load waits for its subscription before going on without it. */
  subscribeTimeoutMs?: number;
}

interface Link {
  room: Room;
  detach(): void;
}

type AwarenessChange = { added: number[]; updated: number[]; removed: number[] };

export class RedisRoomSync implements RoomExtension {
  /** Tags our messages so that we can ignore our own echoes. Random: no host name or pid. */
  readonly processId = randomToken(12);
  private readonly links = new Map<string, Link>();
  /** Walls being dropped because another process deleted them: do not announce it back. */
  private readonly remoteDeletes = new Set<string>();
  private readonly channelPrefix: string;

  constructor(private readonly opts: RedisRoomSyncOptions) {
    this.channelPrefix = `${opts.prefix}wall:`;
    opts.sub.on('messageBuffer', this.onMessage);
  }

  channel(id: BoardId): string {
    return this.channelPrefix + id;
  }

  async onRoomLoaded(room: Room): Promise<void> {
    const onUpdate = (update: Uint8Array, origin: unknown): void => {
      if (origin !== REMOTE_ORIGIN) this.publish(room.id, { kind: WireKind.Update, payload: update });
    };
    const onAwareness = ({ added, updated, removed }: AwarenessChange, origin: unknown): void => {
      if (origin === REMOTE_ORIGIN) return;
      const changed = added.concat(updated, removed);
      this.publish(room.id, { kind: WireKind.Awareness, payload: awarenessProtocol.encodeAwarenessUpdate(room.awareness, changed) });
    };
    room.doc.on('update', onUpdate);
    room.awareness.on('update', onAwareness);
    this.links.set(room.id, {
      room,
      detach: () => {
        room.doc.off('update', onUpdate);
        room.awareness.off('update', onAwareness);
      },
    });

    await this.subscribe(room.id);
    this.publish(room.id, { kind: WireKind.SyncRequest, stateVector: Y.encodeStateVector(room.doc) });
    try {
      const { updates } = await this.opts.store.loadUpdates(room.id);
      if (updates.length && this.links.get(room.id)?.room === room) room.applyRemoteUpdate(Y.mergeUpdates(updates));
    } catch (err) {
      this.opts.log.error({ board: room.id, err }, 'catch-up read failed');
    }
  }

  async onRoomUnloading(room: Room): Promise<void> {
    const link = this.links.get(room.id);
    if (!link || link.room !== room) return;
    link.detach();
    this.links.delete(room.id);
    await this.opts.sub.unsubscribe(this.channel(room.id)).catch((err: unknown) => {
      this.opts.log.warn({ board: room.id, err }, 'unsubscribe failed');
    });
  }

  onWallDeleted(id: BoardId): void {
    if (!this.remoteDeletes.has(id)) this.publish(id, { kind: WireKind.Deleted });
  }

  /**
   * A room must not wait forever on Redis: after the timeout it serves its local peers alone
   * (ioredis re-subscribes by itself once the connection is back).
   */
  private async subscribe(id: BoardId): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((r) => {
      timer = setTimeout(() => r('timeout'), this.opts.subscribeTimeoutMs ?? 5000);
    });
    try {
      const res = await Promise.race([this.opts.sub.subscribe(this.channel(id)), timeout]);
      if (res === 'timeout') this.opts.log.warn({ board: id }, 'Redis subscription slow; wall runs locally until it is back');
    } catch (err) {
      this.opts.log.error({ board: id, err }, 'Redis subscription failed');
    } finally {
      clearTimeout(timer);
    }
  }

  private publish(id: BoardId, msg: Partial<WireMessage> & Pick<WireMessage, 'kind'>): void {
    const bytes = encodeWire({ ...msg, from: this.processId });
    this.opts.pub.publish(this.channel(id), Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).catch((err: unknown) => {
      // Peers on other processes miss this change until they resync; nothing is lost locally.
      this.opts.log.error({ board: id, err }, 'Redis publish failed');
    });
  }

  private onMessage = (channelBuf: Buffer, message: Buffer): void => {
    const channel = channelBuf.toString();
    if (!channel.startsWith(this.channelPrefix)) return;
    const id = channel.slice(this.channelPrefix.length) as BoardId;
    let msg: WireMessage;
    try {
      msg = decodeWire(new Uint8Array(message.buffer, message.byteOffset, message.byteLength));
    } catch (err) {
      this.opts.log.warn({ board: id, err }, 'dropping malformed scale-out message');
      return;
    }
    if (msg.from === this.processId || (msg.to && msg.to !== this.processId)) return;
    const room = this.links.get(id)?.room;
    if (!room) return;
    try {
      this.handle(room, msg);
    } catch (err) {
      this.opts.log.error({ board: id, err, kind: msg.kind }, 'applying scale-out message failed');
    }
  };

  private handle(room: Room, msg: WireMessage): void {
    switch (msg.kind) {
      case WireKind.Update:
        room.applyRemoteUpdate(msg.payload);
        return;
      case WireKind.Awareness:
        awarenessProtocol.applyAwarenessUpdate(room.awareness, msg.payload, REMOTE_ORIGIN);
        return;
      case WireKind.SyncRequest: {
        this.publish(room.id, {
          kind: WireKind.SyncReply,
          to: msg.from,
          payload: Y.encodeStateAsUpdate(room.doc, msg.stateVector),
          stateVector: Y.encodeStateVector(room.doc),
        });
        // The newcomer also needs the cursors of our own peers.
        const ours = Array.from(room.peers.values()).flatMap((ids) => Array.from(ids));
        if (ours.length) {
          this.publish(room.id, { kind: WireKind.Awareness, payload: awarenessProtocol.encodeAwarenessUpdate(room.awareness, ours) });
        }
        return;
      }
      case WireKind.SyncReply: {
        room.applyRemoteUpdate(msg.payload);
        // Send back what the replier lacks (e.g. our schema migration on load): to everyone, as a
        // plain update, since any other holder may lack it too.
        this.publish(room.id, { kind: WireKind.Update, payload: Y.encodeStateAsUpdate(room.doc, msg.stateVector) });
        return;
      }
      case WireKind.Deleted:
        this.remoteDeletes.add(room.id);
        void this.opts.rooms
          .discard(room.id, CloseCode.Gone, 'wall deleted')
          .finally(() => this.remoteDeletes.delete(room.id));
        return;
      default: {
        const never: never = msg.kind;
        throw new Error(`unhandled wire kind ${String(never)}`);
      }
    }
  }

  /** Stops listening; the connections belong to the caller. */
  close(): void {
    this.opts.sub.off('messageBuffer', this.onMessage);
    for (const link of this.links.values()) link.detach();
    this.links.clear();
  }
}
