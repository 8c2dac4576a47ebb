/**
 * Presence at scale (docs/spec.md R20): cursors are batched per tick and capped, and awareness
 * changes are forwarded in combined updates, so what one client receives does not grow with the
 * number of people.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { decodeMessage, encodeAwareness, MessageType, type CursorEntry } from '@maillage/shared';
import { createBoard, startServer, type TestServer } from '../helpers/server.ts';
import { joinSession } from '../helpers/session.ts';
import { connectClient, sleep } from '../helpers/yclient.ts';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv?.close();
});

describe('presence', () => {
  it('R20 cursors: one batch per tick, at most 50 entries, names but never emails', async () => {
    const b = await createBoard(srv.http);
    const observer = await joinSession(srv.http, b.id, {});
    const movers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => joinSession(srv.http, b.id, { ownerSecret: `mover-secret-${String(i).padStart(8, '0')}`, name: `P${i}`, color: '#112233' })),
    );
    const batches: CursorEntry[][] = [];
    observer.on('presence:cursors', (batch) => batches.push(batch));
    const start = Date.now();
    // Each of 60 people moves 10 times in one second: 600 cursor events.
    for (let step = 0; step < 10; step++) {
      for (const [i, m] of movers.entries()) m.emit('presence:cursor', [i * 10 + step, step]);
      await sleep(100);
    }
    await sleep(250);
    const seconds = (Date.now() - start) / 1000;
    const entries = batches.flat();
    expect(batches.length).toBeGreaterThan(3);
    expect(batches.length / seconds).toBeLessThanOrEqual(12); // ≈ 10 ticks a second
    expect(Math.max(...batches.map((x) => x.length))).toBeLessThanOrEqual(50);
    expect(entries.length).toBeLessThan(600);
    // Names travel with cursors. Which movers make a batch depends on timing (the 50 most recent
    // by millisecond, so on a slow machine the first movers of each round can miss every batch):
    // check every entry carries its own mover's name (mover i sends x = i * 10 + step) rather
    // than expecting one given mover.
    expect(entries.length).toBeGreaterThan(0);
    for (const [, x, , name] of entries) expect(name).toBe(`P${Math.floor((x as number) / 10)}`);
    expect(JSON.stringify(batches)).not.toContain('@');
    for (const m of movers) m.disconnect();
    observer.disconnect();
  });

  it('R20 awareness changes of many clients reach an observer in a few combined messages', async () => {
    const b = await createBoard(srv.http);
    const raw = new WebSocket(`${srv.ws}/${b.id}`);
    let awarenessMessages = 0;
    const seen = new Set<number>();
    raw.on('message', (data: Buffer) => {
      const msg = decodeMessage(new Uint8Array(data));
      if (msg.type !== MessageType.Awareness) return;
      awarenessMessages++;
      const a = new awarenessProtocol.Awareness(new Y.Doc());
      awarenessProtocol.applyAwarenessUpdate(a, msg.payload, null);
      a.getStates().forEach((_s, id) => seen.add(id));
    });
    await new Promise((r) => raw.on('open', r));
    const clients = Array.from({ length: 40 }, () => connectClient(srv.ws, b.id));
    await Promise.all(clients.map((c) => c.synced));
    awarenessMessages = 0;
    for (const c of clients) c.provider.awareness.setLocalStateField('user', { name: 'x', color: '#000000' });
    await sleep(600);
    expect(seen.size).toBeGreaterThanOrEqual(40);
    // 40 changes arrive in a handful of per-tick batches, not 40 messages.
    expect(awarenessMessages).toBeLessThanOrEqual(8);
    // An echoed (stale) state from a client does not trigger another broadcast.
    const before = awarenessMessages;
    const a0 = clients[0] as (typeof clients)[number];
    raw.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(a0.provider.awareness, [a0.provider.awareness.clientID])));
    await sleep(300);
    expect(awarenessMessages).toBe(before);
    for (const c of clients) c.destroy();
    raw.close();
  });
});
