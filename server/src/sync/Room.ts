/**
 * A live wall: its Yjs document, its awareness, the peers connected to it, and the write-behind
 * buffer that persists its updates.
 *
 * Fan-out encodes each update once and sends the same bytes to every other peer. Persistence is
 * write-behind by one event-loop turn: updates received in the same turn are appended in one
 * transaction on the next `setImmediate`. A crash can therefore lose at most the updates of the
 * last turn, which the clients still hold and re-send when they resync (docs/spec.md R7).
 */
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { CloseCode, encodeAwareness, encodeSyncStep1, encodeUpdate, migrateDoc, type BoardId } from '@maillage/shared';
import { RedactedMirror } from './RedactedMirror.ts';
import { prepareForJudging } from '../auth/judge.ts';
import type { BoardStore } from '../store/index.ts';
import type { Logger } from '../logger.ts';
import type { Peer } from './Peer.ts';
import type { SyncTarget } from './protocol.ts';
import type { TakenContact } from '../auth/judge.ts';

/** Awareness changes are forwarded to peers at most this often (ms). */
export const AWARENESS_TICK_MS = 100;

/** Origin of updates that arrived from another server process; those are persisted over there. */
export const REMOTE_ORIGIN = Symbol('remote');
/** Origin of changes the server makes itself (migrations, restores, tidy). */
export const SERVER_ORIGIN = Symbol('server');

/** Mutual exclusion for a wall's maintenance work (compaction, snapshots) across processes. */
export interface WallLock {
  /** Runs `task` unless another process holds the wall's lock; resolves false when it skipped. */
  tryWith(boardId: BoardId, task: () => Promise<void>): Promise<boolean>;
}

export interface RoomOptions {
  compactAfter: number;
  /**
   * Set when several processes share the store (scale/RedisLock.ts). Compaction then runs under
   * the lock and merges the whole stored log first, since other processes append to it too.
   */
  lock?: WallLock;
}

export class Room {
  readonly id: BoardId;
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  /** Session state that the write rules need on every update (kept in sync by the session layer). */
  policy = { locked: false, privateWriting: false, reviewEmails: false };
  /**
   * Review connections without the right to emails sync with this email-free copy instead of the
   * document (created on the first such connection).
   */
  private mirror: RedactedMirror | null = null;
  private readonly redactedPeers = new Set<Peer>();
  /** Each peer with the awareness client ids it controls, so they can be removed when it leaves. */
  readonly peers = new Map<Peer, Set<number>>();

  private pending: Uint8Array[] = [];
  private flushScheduled = false;
  private flushing: Promise<void> = Promise.resolve();
  private queuedFlush: Promise<void> | null = null;
  private storedCount: number;
  private lastSeq: number;
  private destroyed = false;
  /** Set by remote updates: the sender may die before persisting them, so unload writes them. */
  private remoteUnsaved = false;

  private constructor(
    id: BoardId,
    doc: Y.Doc,
    private readonly store: BoardStore,
    private readonly log: Logger,
    private readonly opts: RoomOptions,
    stored: { count: number; lastSeq: number },
  ) {
    this.id = id;
    this.doc = doc;
    this.storedCount = stored.count;
    this.lastSeq = stored.lastSeq;
    this.awareness = new awarenessProtocol.Awareness(doc);
    // The server is not a participant: it has no awareness state of its own.
    this.awareness.setLocalState(null);
    doc.on('update', this.onDocUpdate);
    // Deleting is erasing (issue 13): a deleted note's text stays in the stored update log until
    // the log is compacted into the garbage-collected state, so a deletion asks for that soon.
    doc.getMap('notes').observe(this.onNotesChanged);
    this.awareness.on('update', this.onAwarenessUpdate);
  }

  /** Loads a wall's stored updates and runs pending schema migrations. */
  static async load(id: BoardId, store: BoardStore, log: Logger, opts: RoomOptions): Promise<Room> {
    const { updates, lastSeq } = await store.loadUpdates(id);
    const doc = new Y.Doc({ gc: true });
    doc.transact(() => {
      for (const u of updates) Y.applyUpdate(doc, u);
    }, SERVER_ORIGIN);
    // Typed roots, known deletions and record counts: built once here, not on the first update.
    prepareForJudging(doc);
    const room = new Room(id, doc, store, log, opts, { count: updates.length, lastSeq });
    const ran = migrateDoc(doc, SERVER_ORIGIN);
    if (ran.length) log.info({ board: id, migrations: ran }, 'migrated wall');
    return room;
  }

  get size(): number {
    return this.peers.size;
  }

  /** Whether this peer gets the email-free mirror rather than the document. */
  private redacts(peer: Peer): boolean {
    // With a contact store the document holds no email at all (issue 13): nothing to redact.
    return peer.role === 'review' && !this.policy.reviewEmails && !this.contactSink;
  }

  /** The document and policy a peer's messages are handled against. */
  targetFor(peer: Peer): SyncTarget {
    const doc = this.redactedPeers.has(peer) && this.mirror ? this.mirror.doc : this.doc;
    const target: SyncTarget = { doc, awareness: this.awareness, policy: this.policy, awarenessTakenByOther: this.awarenessTakenByOther };
    if (this.contactSink) target.takeContacts = this.queueContacts;
    return target;
  }

  /**
   * Where emails taken out of the document go (the contact store, issue 13); null keeps them in
   * the document (no contact store configured). Set by the RoomManager.
   */
  contactSink: ((contacts: TakenContact[]) => Promise<void>) | null = null;
  /** Contact writes in flight: a flush waits for them, so no update without its email is stored first. */
  private contactWrites: Promise<void> = Promise.resolve();
  /** Queues contact details for the store; the next flush stores them before any update. */
  queueContacts = (contacts: TakenContact[]): void => {
    const sink = this.contactSink;
    if (!sink) return;
    this.contactWrites = this.contactWrites
      .then(() => sink(contacts))
      .catch((err: unknown) => this.log.error({ board: this.id, err, count: contacts.length }, 'storing contact details failed'));
  };

  /** Which connection set each awareness client id (kept with `peers`, read on every awareness message). */
  private readonly awarenessOwner = new Map<number, Peer>();
  private awarenessTakenByOther = (peer: Peer, clientId: number): boolean => {
    const owner = this.awarenessOwner.get(clientId);
    return owner !== undefined && owner !== peer;
  };

  private ensureMirror(): RedactedMirror {
    if (!this.mirror) {
      this.mirror = new RedactedMirror(this.doc);
      this.mirror.doc.on('update', (update: Uint8Array) => {
        const frame = encodeUpdate(update);
        for (const p of this.redactedPeers) p.send(frame);
      });
    }
    return this.mirror;
  }

  /**
   * Called when the review permission changes: review peers must switch documents, so they are
   * asked to resync (our client drops its copy and reconnects).
   */
  reviewPermissionChanged(): void {
    for (const peer of Array.from(this.peers.keys())) {
      if (peer.role === 'review') peer.close(CloseCode.Resync, 'review permissions changed');
    }
  }

  /** Registers a peer and starts the sync handshake (our step 1, then current awareness). */
  addPeer(peer: Peer): void {
    this.peers.set(peer, new Set());
    if (this.redacts(peer)) {
      this.redactedPeers.add(peer);
      peer.send(encodeSyncStep1(this.ensureMirror().doc));
    } else peer.send(encodeSyncStep1(this.doc));
    const states = this.awareness.getStates();
    if (states.size > 0) {
      peer.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, Array.from(states.keys()))));
    }
  }

  removePeer(peer: Peer): void {
    const ids = this.peers.get(peer);
    if (!ids) return;
    this.peers.delete(peer);
    this.redactedPeers.delete(peer);
    for (const id of ids) if (this.awarenessOwner.get(id) === peer) this.awarenessOwner.delete(id);
    if (ids.size) awarenessProtocol.removeAwarenessStates(this.awareness, Array.from(ids), null);
    if (this.mirror && this.redactedPeers.size === 0) {
      this.mirror.destroy();
      this.mirror = null;
    }
  }

  /** Applies an update that came from another process (already persisted there). */
  applyRemoteUpdate(update: Uint8Array): void {
    this.remoteUnsaved = true;
    Y.applyUpdate(this.doc, update, REMOTE_ORIGIN);
  }

  private broadcast(frame: Uint8Array, except?: unknown, skipRedacted = false): void {
    for (const peer of this.peers.keys()) {
      if (peer !== except && !(skipRedacted && this.redactedPeers.has(peer))) peer.send(frame);
    }
  }

  private onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    // Redacted peers get the mirror's own update instead (see ensureMirror).
    this.broadcast(encodeUpdate(update), origin, true);
    if (origin !== REMOTE_ORIGIN) this.enqueue(update);
  };

  private onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const changed = added.concat(updated, removed);
    const controlled = this.peers.get(origin as Peer);
    if (controlled) {
      for (const id of added) {
        controlled.add(id);
        this.awarenessOwner.set(id, origin as Peer);
      }
      for (const id of removed) {
        controlled.delete(id);
        if (this.awarenessOwner.get(id) === origin) this.awarenessOwner.delete(id);
      }
    }
    // Batched per tick: with hundreds of people, each one's join or 15-second renewal would
    // otherwise be one message to everyone. One combined update per tick caps what a client
    // receives, whatever the number of people (docs/benchmarks.md, awareness).
    for (const id of changed) this.awarenessDirty.add(id);
    if (this.awarenessTimer) return;
    this.awarenessTimer = setTimeout(this.flushAwareness, AWARENESS_TICK_MS);
    this.awarenessTimer.unref?.();
  };

  private awarenessDirty = new Set<number>();
  private awarenessTimer: NodeJS.Timeout | null = null;
  private flushAwareness = (): void => {
    this.awarenessTimer = null;
    if (!this.awarenessDirty.size || this.destroyed) return;
    const ids = Array.from(this.awarenessDirty);
    this.awarenessDirty.clear();
    try {
      this.broadcast(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids)));
    } catch (err) {
      // A timer callback that throws would end the process; presence is worth a log line only.
      this.log.error({ board: this.id, err }, 'awareness fan-out failed');
    }
  };

  /** Milliseconds between a deletion and the compaction that erases it from the stored log. */
  static ERASE_DELAY_MS = 1000;
  private eraseTimer: NodeJS.Timeout | null = null;
  private onNotesChanged = (event: Y.YMapEvent<unknown>): void => {
    if (event.transaction.origin === REMOTE_ORIGIN) return; // the process that stored it erases it
    for (const change of event.changes.keys.values()) {
      if (change.action === 'delete' || change.action === 'update') return this.eraseSoon();
    }
  };

  /** Compacts the stored log shortly (once per burst of deletions), so deleted text leaves it. */
  eraseSoon(): void {
    if (this.eraseTimer || this.destroyed) return;
    this.eraseTimer = setTimeout(() => {
      this.eraseTimer = null;
      if (this.destroyed) return;
      this.flush()
        .then(() => (this.pending.length || this.destroyed ? undefined : this.compactNow()))
        .catch((err: unknown) => this.log.error({ board: this.id, err }, 'erasing compaction failed'));
    }, Room.ERASE_DELAY_MS);
    this.eraseTimer.unref?.();
  }

  private enqueue(update: Uint8Array): void {
    this.pending.push(update);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush().catch((err: unknown) => this.log.error({ board: this.id, err }, 'flush failed'));
    });
  }

  /**
   * Writes every pending update; resolves when they (and earlier flushes) are stored. Calls made
   * before a queued flush starts share it (it writes whatever is pending when it runs): every
   * recipient of a fan-out waits for the store, and 1,000 of them must not queue 1,000 flushes.
   */
  flush(): Promise<void> {
    if (this.queuedFlush) return this.queuedFlush;
    this.flushing = this.queuedFlush = this.flushing.then(async () => {
      this.queuedFlush = null;
      if (!this.pending.length || this.destroyed) return;
      // The emails these updates removed from the document are stored before the updates are.
      await this.contactWrites;
      const batch = this.pending;
      this.pending = [];
      try {
        this.lastSeq = await this.store.appendUpdates(this.id, batch);
        this.storedCount += batch.length;
      } catch (err) {
        // Keep the batch: it is retried with the next flush rather than lost.
        this.pending = batch.concat(this.pending);
        this.log.error({ board: this.id, err }, 'persisting updates failed');
        return;
      }
      if (this.storedCount > this.opts.compactAfter && !this.pending.length) await this.compactNow();
    });
    return this.flushing;
  }

  /**
   * Replaces the stored log with one update. Only valid when nothing is pending, because the
   * state we write must cover exactly the rows up to `lastSeq`.
   */
  /** Replaces the stored log with the current state now (after a flush): erases what was deleted. */
  async compactSoon(): Promise<void> {
    await this.flush();
    if (!this.pending.length && !this.destroyed) await this.compactNow();
  }

  private async compactNow(): Promise<void> {
    if (this.opts.lock) {
      try {
        await this.opts.lock.tryWith(this.id, () => this.compactShared());
      } catch (err) {
        this.log.error({ board: this.id, err }, 'compaction failed');
      }
      return;
    }
    const state = Y.encodeStateAsUpdate(this.doc);
    const upTo = this.lastSeq;
    try {
      await this.store.compact(this.id, state, upTo);
      this.storedCount = 1;
      this.log.debug({ board: this.id, bytes: state.byteLength }, 'compacted wall');
    } catch (err) {
      this.log.error({ board: this.id, err }, 'compaction failed');
    }
  }

  /**
   * Compaction when other processes write the same log: our own `lastSeq` says nothing about
   * their rows, so read the log, merge it into the document (which also catches up anything we
   * missed), and replace exactly the rows read. The store serialises each wall's writers, so
   * the rows read are a gap-free prefix of the log.
   */
  private async compactShared(): Promise<void> {
    const { updates, lastSeq } = await this.store.loadUpdates(this.id);
    if (this.destroyed || lastSeq === 0) return;
    // REMOTE_ORIGIN: these rows are stored already; peers still receive whatever is new to them.
    this.doc.transact(() => {
      for (const u of updates) Y.applyUpdate(this.doc, u);
    }, REMOTE_ORIGIN);
    const state = Y.encodeStateAsUpdate(this.doc);
    await this.store.compact(this.id, state, lastSeq);
    this.storedCount = 1;
    this.remoteUnsaved = false;
    this.log.debug({ board: this.id, bytes: state.byteLength, rows: updates.length }, 'compacted shared wall');
  }

  /** Flushes, compacts if worthwhile, and releases memory. Peers, if any, are closed. */
  async destroy(closeCode?: number, reason = ''): Promise<void> {
    await this.flush();
    if ((this.storedCount > 1 || this.remoteUnsaved) && !this.destroyed) await this.compactNow();
    this.destroyed = true;
    if (this.awarenessTimer) clearTimeout(this.awarenessTimer);
    if (this.eraseTimer) clearTimeout(this.eraseTimer);
    this.doc.getMap('notes').unobserve(this.onNotesChanged);
    for (const peer of Array.from(this.peers.keys())) {
      if (closeCode !== undefined) peer.close(closeCode, reason);
      this.removePeer(peer);
    }
    this.mirror?.destroy();
    this.mirror = null;
    this.doc.off('update', this.onDocUpdate);
    this.awareness.off('update', this.onAwarenessUpdate);
    this.awareness.destroy();
    this.doc.destroy();
  }

  /** Drops the room without writing anything (the wall was deleted). */
  discard(closeCode: number, reason: string): void {
    this.destroyed = true;
    if (this.awarenessTimer) clearTimeout(this.awarenessTimer);
    if (this.eraseTimer) clearTimeout(this.eraseTimer);
    this.pending = [];
    for (const peer of Array.from(this.peers.keys())) {
      peer.close(closeCode, reason);
      this.peers.delete(peer);
    }
    this.redactedPeers.clear();
    this.mirror?.destroy();
    this.mirror = null;
    this.awareness.destroy();
    this.doc.destroy();
  }
}
