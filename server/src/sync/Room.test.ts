import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addNote, decodeMessage, encodeAwareness, initBoard, listNotes, newBoardId, type BoardId } from '@maillage/shared';
import { SqliteStore } from '../store/SqliteStore.ts';
import { createLogger } from '../logger.ts';
import { Room } from './Room.ts';
import { handleMessage } from './protocol.ts';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { Peer } from './Peer.ts';

const log = createLogger('silent');
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

async function freshStore() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-room-'));
  dirs.push(dir);
  const store = SqliteStore.inDataDir(dir);
  await store.init();
  const id = newBoardId() as BoardId;
  const doc = new Y.Doc();
  initBoard(doc, { title: 't', template: 'relationship-mapping' });
  await store.createBoard({ id, hostKey: 'h', reviewKey: 'r', createdAt: 1, settings: {} }, Y.encodeStateAsUpdate(doc));
  return { store, id, dir };
}

const recorder = (): Peer & { frames: Uint8Array[] } => {
  const frames: Uint8Array[] = [];
  return { id: 'p', role: 'host', ownerId: null, frames, send: (f) => frames.push(f), close: () => {} };
};

describe('Room persistence', () => {
  it('appends each turn of updates, then reloads them', async () => {
    const { store, id } = await freshStore();
    const room = await Room.load(id, store, log, { compactAfter: 1000 });
    addNote(room.doc, { text: 'a', domainId: 'other' });
    addNote(room.doc, { text: 'b', domainId: 'other' });
    await new Promise((r) => setImmediate(r));
    await room.flush();
    expect(await store.countUpdates(id)).toBe(3);
    const again = await Room.load(id, store, log, { compactAfter: 1000 });
    expect(listNotes(again.doc).map((n) => n.text).sort()).toEqual(['a', 'b']); // same millisecond: order is by random id
    await store.close();
  });

  it('compacts the log into one update once it passes the threshold, losing nothing', async () => {
    const { store, id } = await freshStore();
    const room = await Room.load(id, store, log, { compactAfter: 5 });
    for (let i = 0; i < 8; i++) {
      addNote(room.doc, { text: `n${i}`, domainId: 'other' });
      await new Promise((r) => setImmediate(r));
      await room.flush();
    }
    expect(await store.countUpdates(id)).toBeLessThan(5);
    const again = await Room.load(id, store, log, { compactAfter: 5 });
    expect(listNotes(again.doc)).toHaveLength(8);
    await store.close();
  });

  it('destroy flushes pending updates and compacts to a single row', async () => {
    const { store, id } = await freshStore();
    const room = await Room.load(id, store, log, { compactAfter: 1000 });
    addNote(room.doc, { text: 'late', domainId: 'other' });
    await room.destroy();
    expect(await store.countUpdates(id)).toBe(1);
    const again = await Room.load(id, store, log, { compactAfter: 1000 });
    expect(listNotes(again.doc).map((n) => n.text)).toEqual(['late']);
    await store.close();
  });

  it('fans an update out to every other peer once, not back to its sender', async () => {
    const { store, id } = await freshStore();
    const room = await Room.load(id, store, log, { compactAfter: 1000 });
    const a = recorder();
    const b = recorder();
    room.addPeer(a);
    room.addPeer(b);
    const [a0, b0] = [a.frames.length, b.frames.length];
    const src = new Y.Doc();
    Y.applyUpdate(src, Y.encodeStateAsUpdate(room.doc));
    src.getMap('notes').set('x', new Y.Map());
    Y.applyUpdate(room.doc, Y.encodeStateAsUpdate(src, Y.encodeStateVector(room.doc)), a);
    expect(a.frames.length).toBe(a0);
    expect(b.frames.length).toBe(b0 + 1);
    await room.destroy();
    await store.close();
  });

  it('R75 deleting a note erases its text from the stored update log shortly after', async () => {
    const { store, id } = await freshStore();
    const room = await Room.load(id, store, log, { compactAfter: 1000 });
    const secret = 'texte-a-effacer-7f3a';
    const noteId = addNote(room.doc, { text: secret, domainId: 'other', email: 'efface@example.org' });
    addNote(room.doc, { text: 'reste', domainId: 'other' });
    await room.flush();
    const stored = async () => Buffer.concat((await store.loadUpdates(id)).updates.map((u) => Buffer.from(u)));
    expect((await stored()).includes(secret)).toBe(true);
    room.doc.getMap('notes').delete(noteId);
    // Polled from the erase delay on: the compaction after it may finish later than a fixed
    // 300 ms margin when the worker is busy.
    await new Promise((r) => setTimeout(r, Room.ERASE_DELAY_MS));
    await expect.poll(async () => (await stored()).includes(secret), { timeout: 5000 }).toBe(false);
    const after = await stored();
    expect(after.includes(secret)).toBe(false);
    expect(after.includes('efface@example.org')).toBe(false);
    expect(after.includes('reste')).toBe(true);
    await room.destroy();
  });

  it('R69 an awareness client id belongs to the connection that set it until that connection leaves', async () => {
    const { store, id } = await freshStore();
    const room = await Room.load(id, store, log, { compactAfter: 1000 });
    const alice = { ...recorder(), id: 'alice', role: 'participant' as const };
    const mallory = { ...recorder(), id: 'mallory', role: 'participant' as const };
    room.addPeer(alice);
    room.addPeer(mallory);
    const state = (clientId: number, name: string, clock: number) => {
      const d = new Y.Doc();
      d.clientID = clientId; // Awareness takes its client id from the document
      const a = new awarenessProtocol.Awareness(d);
      for (let i = 0; i < clock; i++) a.setLocalState({ user: { name } });
      return decodeMessage(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(a, [clientId])));
    };
    handleMessage(room.targetFor(alice), state(4242, 'Alice', 1), alice);
    handleMessage(room.targetFor(mallory), state(4242, 'Mallory', 3), mallory);
    expect(room.awareness.getStates().get(4242)).toEqual({ user: { name: 'Alice' } });
    room.removePeer(alice);
    handleMessage(room.targetFor(mallory), state(4242, 'Mallory', 5), mallory);
    expect(room.awareness.getStates().get(4242)).toEqual({ user: { name: 'Mallory' } });
    await room.destroy();
  });
});

