/**
 * No input ends the process (docs/spec.md R70): an exception thrown from inside each handler of
 * the document channel (connection setup, frame handling, awareness fan-out, persistence, peer
 * removal, the peers-changed hook) closes at most the connection that caused it, is logged, and
 * the wall keeps serving everyone else. The server runs in this process: a crash, an uncaught
 * exception or an unhandled rejection fails the run.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Room } from '@maillage/server';
import { addNote, listNotes } from '@maillage/shared';
import { createBoard, startServer, type TestServer } from '../helpers/server.ts';
import { connectClient, sleep, waitFor, type YClient } from '../helpers/yclient.ts';

let srv: TestServer;
const clients: YClient[] = [];
beforeAll(async () => {
  srv = await startServer();
});
afterEach(() => {
  vi.restoreAllMocks();
  for (const c of clients.splice(0)) c.destroy();
});
afterAll(async () => {
  await srv?.close();
});

const boom = () => {
  throw new Error('injected failure');
};

/** Two honest clients on a wall; returns them once synced. */
async function wallWithClients(): Promise<{ id: string; a: YClient; b: YClient }> {
  const w = await createBoard(srv.http);
  const a = connectClient(srv.ws, w.id, { ownerSecret: 'robust-sync-secret-a-0001' });
  const b = connectClient(srv.ws, w.id, { ownerSecret: 'robust-sync-secret-b-0002' });
  clients.push(a, b);
  await Promise.all([a.synced, b.synced]);
  return { id: w.id, a, b };
}

/** The wall still serves: a note by `from` reaches `to`, and the server answers /healthz. */
async function stillServes(from: YClient, to: YClient, text: string): Promise<void> {
  addNote(from.doc, { text, domainId: 'other' });
  await waitFor(to.doc, () => listNotes(to.doc).some((n) => n.text === text), 5000, `"${text}" relayed`);
  expect((await fetch(`${srv.http}/healthz`)).status).toBe(200);
}

describe('R70 a throw inside a document-channel handler closes at most its connection', () => {
  it('R70 connection setup (Room.addPeer) throws: that socket is closed 1011, the others keep syncing', async () => {
    const { id, a, b } = await wallWithClients();
    vi.spyOn(Room.prototype, 'addPeer').mockImplementationOnce(boom);
    const victim = connectClient(srv.ws, id);
    clients.push(victim);
    await expect.poll(() => victim.closes[0], { timeout: 5000 }).toBe(1011);
    await stillServes(a, b, 'après addPeer');
  });

  it('R70 frame handling (Room.targetFor) throws: the sender is closed 1011, the others keep syncing', async () => {
    const { id, a, b } = await wallWithClients();
    const victim = connectClient(srv.ws, id);
    clients.push(victim);
    await victim.synced;
    vi.spyOn(Room.prototype, 'targetFor').mockImplementationOnce(boom);
    addNote(victim.doc, { text: 'déclencheur', domainId: 'other' });
    await expect.poll(() => victim.closes[0], { timeout: 5000 }).toBe(1011);
    await stillServes(a, b, 'après targetFor');
    // The victim reconnects by itself (1011 is transient) and its note arrives after all.
    await waitFor(a.doc, () => listNotes(a.doc).some((n) => n.text === 'déclencheur'), 10_000, 'victim note after reconnect');
  });

  it('R70 peer removal and the peers-changed hook throw: logged, the wall keeps serving', async () => {
    const { id, a, b } = await wallWithClients();
    vi.spyOn(Room.prototype, 'removePeer').mockImplementationOnce(boom);
    const hook = srv.server.sync.onPeersChanged;
    srv.server.sync.onPeersChanged = boom;
    const leaving = connectClient(srv.ws, id);
    await leaving.synced;
    leaving.destroy();
    await sleep(400); // past the 250 ms peers-changed batching
    srv.server.sync.onPeersChanged = hook;
    await stillServes(a, b, 'après removePeer');
  });

  it('R70 persistence fails once: logged and retried, nothing lost, the wall keeps serving', async () => {
    const { id, a, b } = await wallWithClients();
    const store = srv.server.store;
    const append = vi.spyOn(store, 'appendUpdates').mockRejectedValueOnce(new Error('disk says no'));
    await stillServes(a, b, 'malgré le disque');
    await expect.poll(() => append.mock.calls.length, { timeout: 5000 }).toBeGreaterThan(1);
    await sleep(100);
    const { updates } = await store.loadUpdates(id as never);
    expect(updates.length).toBeGreaterThan(0);
  });

  it('R70 the write-refusal hook throws: logged, the sender keeps its connection', async () => {
    const { a, b } = await wallWithClients();
    const rooms = srv.server.rooms;
    const hook = rooms.onRefused;
    rooms.onRefused = boom;
    // An edit of someone else's note is put back, and the hook that hears of it throws.
    const text = 'note de B';
    addNote(b.doc, { text, domainId: 'other' });
    await waitFor(a.doc, () => listNotes(a.doc).some((n) => n.text === text), 5000, 'B note at A');
    const note = listNotes(a.doc).find((n) => n.text === text);
    a.doc.getMap('notes').delete(note?.id as string);
    await expect.poll(() => listNotes(a.doc).some((n) => n.text === text), { timeout: 5000 }).toBe(true);
    rooms.onRefused = hook;
    expect(a.closes).toEqual([]);
    await stillServes(a, b, 'après le refus');
  });
});
