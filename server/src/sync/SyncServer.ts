/**
 * Websocket transport for the y-websocket protocol at /yjs/<boardId>. It authenticates the
 * connection (role from `?k=`), hands frames to the protocol handler, and turns every failure
 * into a close code from @maillage/shared so that one bad client never affects another.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import * as Y from 'yjs';
import {
  CloseCode,
  LIMITS,
  MessageType,
  ProtocolError,
  SyncStep,
  decodeMessage,
  isBoardId,
  ownerIdFromSecret,
  randomToken,
  OWNER_SECRET_PATTERN,
  type BoardId,
  type Role,
} from '@maillage/shared';
import type { BoardStore } from '../store/index.ts';
import type { Logger } from '../logger.ts';
import { resolveRole } from '../auth/keys.ts';
import type { ConnectionGuard } from '../limits/index.ts';
import { handleMessage } from './protocol.ts';
import type { Peer } from './Peer.ts';
import type { RoomManager } from './RoomManager.ts';
import type { Room } from './Room.ts';

export const SYNC_PATH = '/yjs';
const PEERS_NOTIFY_MS = 250;
/** Frames queued while a wall loads; a client that floods that window is cut off. */
const MAX_EARLY_FRAMES = 256;
/** Frames waiting for the store (see WsPeer.send); a peer that far behind is dropped and resyncs. */
const MAX_OUTBOX_FRAMES = 10_000;
/**
 * Bytes `ws` may hold unsent for one connection before it is closed as not reading (R215). A whole
 * wall at the note limit is ~2.2 MB; a slow phone that takes it, and the updates after, stays far
 * below. Measured before: +27 MB a second from one connection that asks and never reads.
 */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

export interface SyncServerOptions {
  rooms: RoomManager;
  store: BoardStore;
  log: Logger;
  /** Returns false when the upgrade's Origin is not acceptable. */
  checkOrigin?: (origin: string | undefined, req: IncomingMessage) => boolean;
  maxPayload?: number;
  /** Milliseconds between liveness pings; a peer that misses one is dropped. */
  pingIntervalMs?: number;
  /** Connection and message limits (limits/Limits.ts); none when unset. */
  limits?: { admit(req: IncomingMessage): ConnectionGuard | null };
}

class WsPeer implements Peer {
  readonly id = randomToken(10);
  alive = true;
  constructor(
    readonly ws: WebSocket,
    readonly role: Role,
    readonly ownerId: string | null,
    readonly guard: ConnectionGuard | null = null,
    private readonly room: Pick<Room, 'flush'> | null = null,
  ) {}
  private outbox: Uint8Array[] = [];
  private saving = false;
  /**
   * Frames leave only once the room has stored every update it holds (docs/security.md, "the
   * write-behind window"). Otherwise a crash could leave client B holding participant A's note
   * that the store never got; B's resync would then carry A's note, which the write rules must
   * refuse as a forgery — and each client holding the other's lost note would be refused forever.
   * With SQLite this costs a few microtasks; a failed write is logged and retried by the room, and
   * frames go out anyway.
   */
  send(frame: Uint8Array): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    if (!this.room) return this.sendNow(frame);
    if (this.outbox.push(frame) > MAX_OUTBOX_FRAMES) return this.ws.terminate();
    if (!this.saving) this.afterSave();
  }
  /**
   * Sends what was queued once a flush requested after it has completed. Frames queued while a
   * flush is in flight (a database round trip) wait for the next one, which covers their updates.
   */
  private afterSave(): void {
    if (!this.room) return;
    this.saving = true;
    const n = this.outbox.length;
    const drain = () => {
      for (const f of this.outbox.splice(0, n)) this.sendNow(f);
      if (this.outbox.length) return this.afterSave();
      this.saving = false;
      if (this.ending) this.close(...this.ending);
    };
    void this.room.flush().then(drain, drain);
  }
  private sendNow(frame: Uint8Array): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      // The other end does not read (R215): holding on would let one connection fill the
      // server's memory. 4529 is a code the stock client retries on; it resyncs once it reads.
      this.outbox = [];
      this.ws.close(CloseCode.RateLimited, 'too much unread data');
      return;
    }
    this.ws.send(frame, { binary: true }, (err) => {
      if (err) this.ws.terminate();
    });
  }
  /** Set once the connection is being closed: nothing more it sends is applied. */
  ending: [code: number, reason: string] | null = null;
  close(code: number, reason: string): void {
    this.ending ??= [code, reason];
    // After what is queued (e.g. the reason a write was refused), so the client gets it first.
    if (this.outbox.length) return;
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code, reason);
  }
}

export class SyncServer {
  /**
   * Told (at most every PEERS_NOTIFY_MS per wall) when people join or leave, so the session layer
   * can push the participant count without 500 joins causing 500 broadcasts.
   */
  onPeersChanged: ((boardId: BoardId) => void) | null = null;
  private readonly peerNotify = new Map<string, NodeJS.Timeout>();
  private readonly wss: WebSocketServer;
  private readonly pingTimer: NodeJS.Timeout;
  private readonly peers = new Set<WsPeer>();

  constructor(private readonly opts: SyncServerOptions) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxPayload ?? LIMITS.wsMessageBytes });
    this.pingTimer = setInterval(() => this.checkLiveness(), opts.pingIntervalMs ?? 30_000);
    this.pingTimer.unref();
  }

  get connectionCount(): number {
    return this.peers.size;
  }

  /** Handles an HTTP upgrade if it is for us; returns false to let others (socket.io) have it. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return false; // not ours; server.ts answers 404
    }
    if (url.pathname !== SYNC_PATH && !url.pathname.startsWith(`${SYNC_PATH}/`)) return false;
    if (this.opts.checkOrigin && !this.opts.checkOrigin(req.headers.origin, req)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return true;
    }
    // A malformed escape (`/yjs/%`) would throw out of the 'upgrade' event and take the process down.
    let boardId: string;
    try {
      boardId = decodeURIComponent(url.pathname.slice(SYNC_PATH.length + 1));
    } catch {
      boardId = '';
    }
    const key = url.searchParams.get('k');
    const secret = url.searchParams.get('o');
    // Without a device secret (a stock client), the connection is its own owner: it can edit
    // what it wrote while connected, and nobody else's notes. Never null for a writer.
    const ownerId = secret && OWNER_SECRET_PATTERN.test(secret) ? ownerIdFromSecret(secret) : `c-${randomToken(16)}`;
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      // Counted once upgraded (a failed upgrade never calls back, so could never release).
      const guard = this.opts.limits ? this.opts.limits.admit(req) : null;
      if (this.opts.limits && !guard) return ws.close(CloseCode.RateLimited, 'too many connections from your network');
      if (guard) ws.once('close', guard.release);
      // Nothing a connection does may end the process: a failure here closes this socket only.
      this.accept(ws, boardId, key, ownerId, guard).catch((err: unknown) => {
        this.opts.log.error({ err, board: boardId }, 'connection setup failed');
        ws.close(1011, 'server error');
      });
    });
    return true;
  }

  private async accept(ws: WebSocket, boardId: string, key: string | null, ownerId: string | null, guard: ConnectionGuard | null): Promise<void> {
    // Frames that arrive while the wall loads are queued, not dropped: the client sends its
    // sync step 1 immediately after the socket opens.
    const early: RawData[] = [];
    const queue = (d: RawData) => {
      if (early.length < MAX_EARLY_FRAMES) early.push(d);
      else ws.close(CloseCode.RateLimited, 'too many messages');
    };
    ws.on('message', queue);
    ws.on('error', () => ws.terminate());

    if (!isBoardId(boardId)) return ws.close(CloseCode.NotFound, 'no such wall');
    let room: Room | null;
    let role: Role | null;
    try {
      const board = await this.opts.store.getBoard(boardId as BoardId);
      if (!board) return ws.close(CloseCode.NotFound, 'no such wall');
      role = resolveRole(board, key);
      if (!role) return ws.close(CloseCode.Unauthorized, 'invalid key');
      room = await this.opts.rooms.get(boardId as BoardId);
    } catch (err) {
      this.opts.log.error({ err, board: boardId }, 'could not open wall');
      return ws.close(1011, 'server error');
    }
    if (!room) return ws.close(CloseCode.NotFound, 'no such wall');
    if (ws.readyState !== WebSocket.OPEN) return this.opts.rooms.release(room);

    const peer = new WsPeer(ws, role, ownerId, guard, room);
    const liveRoom = room;
    ws.off('message', queue);
    ws.on('message', (data, isBinary) => this.onFrame(liveRoom, peer, data, isBinary));
    ws.on('pong', () => {
      peer.alive = true;
    });
    ws.on('close', () => {
      this.peers.delete(peer);
      try {
        liveRoom.removePeer(peer);
        this.opts.rooms.release(liveRoom);
        this.peersChanged(liveRoom.id);
      } catch (err) {
        this.opts.log.error({ err, board: liveRoom.id }, 'removing a peer failed');
      }
    });
    this.peers.add(peer);
    liveRoom.addPeer(peer);
    for (const d of early) this.onFrame(liveRoom, peer, d, true);
    this.peersChanged(liveRoom.id);
  }

  private peersChanged(id: BoardId): void {
    if (!this.onPeersChanged || this.peerNotify.has(id)) return;
    const t = setTimeout(() => {
      this.peerNotify.delete(id);
      try {
        this.onPeersChanged?.(id);
      } catch (err) {
        this.opts.log.error({ err, board: id }, 'peers-changed hook failed');
      }
    }, PEERS_NOTIFY_MS);
    t.unref();
    this.peerNotify.set(id, t);
  }

  private onFrame(room: Room, peer: WsPeer, data: RawData, isBinary: boolean): void {
    if (!isBinary) return peer.close(CloseCode.BadMessage, 'binary frames only');
    // A connection being closed (refused write, limit) gets nothing more applied.
    if (peer.ending || peer.ws.readyState !== WebSocket.OPEN) return;
    const limited = peer.guard?.frame();
    if (limited) return this.rateLimited(room, peer, limited);
    const frame = toUint8(data);
    try {
      const msg = decodeMessage(frame);
      if (msg.type === MessageType.Sync && msg.step === SyncStep.Step1) assertStateVector(msg.payload);
      const over = peer.guard?.message(msg);
      if (over) return this.rateLimited(room, peer, over);
      const res = handleMessage(room.targetFor(peer), msg, peer);
      const ids = peer.guard?.awarenessIds(room.peers.get(peer)?.size ?? 0);
      if (ids) return this.rateLimited(room, peer, ids);
      for (const r of res.replies) peer.send(r);
      if (res.refusals?.length) {
        // The refused part was put back in the same transaction (nobody else saw it) and the
        // sender was told; the connection stays open, and what it wrote legitimately is kept.
        const reasons = Array.from(new Set(res.refusals.map((r) => r.reason)));
        this.opts.log.info({ board: room.id, peer: peer.id, role: peer.role, reasons, records: res.refusals.length }, 'write refused (put back)');
        this.opts.rooms.refused(room, peer, res.refusals);
      }
    } catch (err) {
      if (err instanceof ProtocolError) {
        this.opts.log.warn({ board: room.id, peer: peer.id, reason: err.message }, 'bad frame, closing');
        peer.close(CloseCode.BadMessage, 'malformed message');
      } else {
        this.opts.log.error({ board: room.id, peer: peer.id, err }, 'frame handling failed');
        peer.close(1011, 'server error');
      }
    }
  }

  /** Over a limit: close this connection only (4429; the client reconnects later and resyncs). */
  private rateLimited(room: Room, peer: WsPeer, reason: string): void {
    if (peer.ending) return;
    this.opts.log.warn({ board: room.id, peer: peer.id, reason }, 'rate limited, closing');
    peer.close(CloseCode.RateLimited, reason.slice(0, 100));
  }

  private checkLiveness(): void {
    for (const peer of this.peers) {
      if (!peer.alive) {
        peer.ws.terminate();
        continue;
      }
      peer.alive = false;
      peer.ws.ping();
    }
  }

  /** Closes every connection with `code` (clients reconnect elsewhere on ShuttingDown). */
  close(code: number = CloseCode.ShuttingDown, reason = 'server shutting down'): void {
    clearInterval(this.pingTimer);
    for (const t of this.peerNotify.values()) clearTimeout(t);
    this.peerNotify.clear();
    this.onPeersChanged = null;
    for (const peer of this.peers) peer.close(code, reason);
    this.wss.close();
  }
}

/** A state vector that does not decode would otherwise throw out of the handshake as a server error (1011). */
function assertStateVector(sv: Uint8Array): void {
  try {
    Y.decodeStateVector(sv);
  } catch (e) {
    throw new ProtocolError(`malformed state vector: ${(e as Error).message}`);
  }
}

function toUint8(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
