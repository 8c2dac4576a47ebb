/**
 * Two "processes" in one: two RoomManagers, each with its own Redis connections and RedisRoomSync,
 * over one shared store and the real Redis (TEST_REDIS_URL; skipped with a message when absent).
 * The multi-process version of these checks is test/integration/scale.test.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { Redis } from 'ioredis';
import { CloseCode, addNote, initBoard, listNotes, newBoardId, newKey, type BoardId, type Role } from '@maillage/shared';
import { describeWithServices, probeRedis } from '../../../test/helpers/processes.ts';
import { createLogger } from '../logger.ts';
import { SqliteStore } from '../store/SqliteStore.ts';
import type { BoardStore } from '../store/index.ts';
import { RoomManager } from '../sync/RoomManager.ts';
import type { Peer } from '../sync/Peer.ts';
import { RedisLock } from './RedisLock.ts';
import { RedisRoomSync } from './RedisRoomSync.ts';

const probe = await probeRedis();
const log = createLogger('silent');

class FakePeer implements Peer {
  readonly id = newKey().slice(0, 8);
  readonly role: Role = 'participant';
  readonly ownerId = null;
  readonly frames: Uint8Array[] = [];
  send(frame: Uint8Array): void {
    this.frames.push(frame);
  }
  close(_code: number, _reason: string): void {}
}

interface Node {
  rooms: RoomManager;
  sync: RedisRoomSync;
  close(): Promise<void>;
}

describeWithServices('RedisRoomSync', [probe], () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-scale-'));
  const prefix = `maillage-test-${newKey().slice(0, 8)}:`;
  let store: SqliteStore;
  const nodes: Node[] = [];

  async function node(nodeStore: BoardStore = store, compactAfter = 1000): Promise<Node> {
    const pub = new Redis(probe.url);
    const sub = new Redis(probe.url);
    await pub.ping();
    const rooms = new RoomManager(nodeStore, log, { idleMs: 50, compactAfter, lock: new RedisLock(pub, { prefix, log }) });
    const sync = new RedisRoomSync({ pub, sub, store: nodeStore, rooms, log, prefix });
    rooms.use(sync);
    const n: Node = {
      rooms,
      sync,
      async close() {
        await rooms.closeAll();
        sync.close();
        await Promise.all([pub.quit(), sub.quit()]);
      },
    };
    nodes.push(n);
    return n;
  }

  async function newWall(): Promise<BoardId> {
    const doc = new Y.Doc();
    initBoard(doc, { title: 'Échelle', template: 'relationship-mapping' });
    const id = newBoardId();
    await store.createBoard({ id, hostKey: newKey(), reviewKey: newKey(), createdAt: Date.now(), settings: {} }, Y.encodeStateAsUpdate(doc));
    return id;
  }

  beforeAll(async () => {
    store = new SqliteStore(path.join(dir, 'scale.sqlite'));
    await store.init();
  });
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((n) => n.close()));
  });
  afterAll(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a change on one process reaches the other and is stored once', async () => {
    const [a, b] = [await node(), await node()];
    const id = await newWall();
    const ra = (await a.rooms.get(id))!;
    const rb = (await b.rooms.get(id))!;
    const peerB = new FakePeer();
    rb.addPeer(peerB);
    const before = await store.countUpdates(id);
    const sent = peerB.frames.length;
    const noteId = addNote(ra.doc, { text: 'Relais', domainId: 'mentoring' }, new FakePeer());
    await expect.poll(() => listNotes(rb.doc).map((n) => n.id)).toContain(noteId);
    expect(peerB.frames.length).toBeGreaterThan(sent); // fanned out to B's own peers
    await Promise.all([ra.flush(), rb.flush()]);
    expect(await store.countUpdates(id)).toBe(before + 1);
  });

  it('awareness (cursors) crosses processes both ways, removals too', async () => {
    const [a, b] = [await node(), await node()];
    const id = await newWall();
    const ra = (await a.rooms.get(id))!;
    const rb = (await b.rooms.get(id))!;
    const peerA = new FakePeer();
    ra.addPeer(peerA);
    const client = new awarenessProtocol.Awareness(new Y.Doc());
    client.setLocalState({ cursor: { x: 10, y: 20 }, user: { color: '#f00' } });
    awarenessProtocol.applyAwarenessUpdate(ra.awareness, awarenessProtocol.encodeAwarenessUpdate(client, [client.clientID]), peerA);
    await expect.poll(() => rb.awareness.getStates().get(client.clientID)).toEqual({ cursor: { x: 10, y: 20 }, user: { color: '#f00' } });
    ra.removePeer(peerA);
    await expect.poll(() => rb.awareness.getStates().has(client.clientID)).toBe(false);
    client.destroy();
  });

  it('a process loading a wall catches up on updates published before it subscribed and not yet stored', async () => {
    // A's writes are held back, as if its database were slow: only the sync request can help B.
    let releaseWrites!: () => void;
    const held = new Promise<void>((r) => (releaseWrites = r));
    const slowStore = new Proxy(store, {
      get(target, prop, receiver) {
        if (prop === 'appendUpdates') {
          return async (...args: Parameters<BoardStore['appendUpdates']>) => {
            await held;
            return target.appendUpdates(...args);
          };
        }
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === 'function' ? v.bind(target) : v;
      },
    }) as SqliteStore;
    const a = await node(slowStore);
    const id = await newWall();
    const ra = (await a.rooms.get(id))!;
    const noteId = addNote(ra.doc, { text: 'Pas encore écrite', domainId: 'other' }, new FakePeer());
    const b = await node();
    const rb = (await b.rooms.get(id))!;
    await expect.poll(() => listNotes(rb.doc).map((n) => n.id)).toContain(noteId);
    releaseWrites();
    await ra.flush();
  });

  it('deleting a wall on one process drops it on the others', async () => {
    const [a, b] = [await node(), await node()];
    const id = await newWall();
    await a.rooms.get(id);
    const rb = (await b.rooms.get(id))!;
    const peer = new FakePeer();
    let closed = 0;
    peer.close = (code: number) => void (closed = code);
    rb.addPeer(peer);
    await a.rooms.discard(id, CloseCode.Gone, 'wall deleted');
    await store.deleteBoard(id);
    await expect.poll(() => closed).toBe(CloseCode.Gone);
    expect(b.rooms.peek(id)).toBeUndefined();
  });

  it('compaction under the lock merges every process\'s rows and loses nothing', async () => {
    const [a, b] = [await node(store, 5), await node(store, 5)];
    const id = await newWall();
    const ra = (await a.rooms.get(id))!;
    const rb = (await b.rooms.get(id))!;
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      ids.push(addNote(i % 2 ? ra.doc : rb.doc, { text: `n${i}`, domainId: 'other' }, new FakePeer()));
      await new Promise((r) => setImmediate(r));
      await Promise.all([ra.flush(), rb.flush()]);
    }
    await a.rooms.closeAll();
    await b.rooms.closeAll();
    const { updates } = await store.loadUpdates(id);
    expect(updates.length).toBeLessThan(6);
    const doc = new Y.Doc();
    updates.forEach((u) => Y.applyUpdate(doc, u));
    expect(listNotes(doc).map((n) => n.id).sort()).toEqual(ids.sort());
  });
});
