/**
 * Limits enforced by the server (docs/security.md "Limits", docs/spec.md R41–R44): over a limit a
 * client gets a clear error, its request or connection is refused, and other clients — on the
 * same wall, from other addresses — are untouched. Each suite sets low limits explicitly; other
 * addresses are simulated with X-Forwarded-For, which the server believes from loopback only
 * (TRUST_PROXY's default).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as encoding from 'lib0/encoding';
import { io as ioClient, type Socket } from 'socket.io-client';
import {
  CloseCode,
  LIMITS,
  addNote,
  encodeAwareness,
  encodeSyncStep1,
  listNotes,
  ownerIdFromSecret,
  roots,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '@maillage/shared';
import type { Config } from '@maillage/server';
import { createBoard, startServer, type TestServer } from '../helpers/server.ts';
import { connectClient, sleep, waitFor } from '../helpers/yclient.ts';
import { joinSession, call } from '../helpers/session.ts';
import { describeWithServices, probeRedis } from '../helpers/processes.ts';

type IoSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const GENEROUS: Config['limits'] = { wallsPerIpPerHour: 10_000, connectionsPerIp: 10_000, messagesPerSecond: 1000, messageBurst: 1000 };
let nextAddress = 1;
/** A fresh documentation address (RFC 5737) per call, so suites never share a counter. */
const address = (): string => `198.51.100.${nextAddress++}`;

function post(base: string, path: string, body: unknown, from?: string): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(from ? { 'x-forwarded-for': from } : {}) },
    body: JSON.stringify(body),
  });
}

/** A raw websocket from `from` (X-Forwarded-For); resolves its close code and reason. */
function raw(url: string, from?: string) {
  const ws = new WebSocket(url, from ? { headers: { 'x-forwarded-for': from } } : {});
  const closed = new Promise<{ code: number; reason: string }>((r) => ws.on('close', (code, reason) => r({ code, reason: reason.toString() })));
  const opened = new Promise<void>((r, j) => {
    ws.on('open', () => r());
    ws.on('error', j);
  });
  ws.on('error', () => undefined);
  return { ws, closed, opened };
}

/** A socket.io client from `from`; resolves once connected or with the connect_error. */
function ioFrom(base: string, from?: string): { socket: IoSocket; ready: Promise<Error | null> } {
  const socket: IoSocket = ioClient(base, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    ...(from ? { extraHeaders: { 'x-forwarded-for': from } } : {}),
  });
  const ready = new Promise<Error | null>((resolve) => {
    socket.once('connect', () => resolve(null));
    socket.once('connect_error', (e) => resolve(e));
  });
  return { socket, ready };
}

describe('R41 walls per address per hour', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startServer({ limits: { ...GENEROUS, wallsPerIpPerHour: 3 } });
  });
  afterAll(async () => {
    await srv?.close();
  });

  it('R41 the 4th wall from one address gets 429 rate_limited with Retry-After; other addresses still create', async () => {
    const a = address();
    for (let i = 0; i < 3; i++) expect((await post(srv.http, '/api/boards', {}, a)).status).toBe(201);
    const over = await post(srv.http, '/api/boards', { title: 'encore' }, a);
    expect(over.status).toBe(429);
    const retry = Number(over.headers.get('retry-after'));
    expect(retry).toBeGreaterThan(3000);
    expect(retry).toBeLessThanOrEqual(3600);
    const body = (await over.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('rate_limited');
    expect(body.error.message).toMatch(/walls/);
    // An import creates a wall too, so it counts against the same limit.
    expect((await post(srv.http, '/api/boards/import', {}, a)).status).toBe(429);
    // Someone else, and the rest of the API, are untouched.
    expect((await post(srv.http, '/api/boards', {}, address())).status).toBe(201);
    const created = (await (await post(srv.http, '/api/boards', {}, address())).json()) as { id: string };
    expect((await fetch(`${srv.http}/api/boards/${created.id}`, { headers: { 'x-forwarded-for': a } })).status).toBe(200);
  });

  it('R41 X-Forwarded-For is not believed from an untrusted peer', async () => {
    const strict = await startServer({ limits: { ...GENEROUS, wallsPerIpPerHour: 2 }, trustProxy: false });
    try {
      // Each request claims another address, but the server keys them all by the socket's.
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await post(strict.http, '/api/boards', {}, address())).status);
      expect(statuses).toEqual([201, 201, 429]);
    } finally {
      await strict.close();
    }
  });
});

const redisProbe = await probeRedis();
describeWithServices('R41 walls per address per hour, shared through Redis', [redisProbe], () => {
  it('R41 two processes share one count', async () => {
    const limits = { ...GENEROUS, wallsPerIpPerHour: 3 };
    const [one, two] = await Promise.all([startServer({ limits, redisUrl: redisProbe.url }), startServer({ limits, redisUrl: redisProbe.url })]);
    try {
      const who = `203.0.113.${Math.floor(Math.random() * 200) + 20}`;
      // Counters live an hour in Redis: clear this address's, in case an earlier run used it.
      const { Redis } = await import('ioredis');
      const r = new Redis(redisProbe.url);
      await r.del(`maillage:rl:walls:${who}`);
      try {
        expect((await post(one.http, '/api/boards', {}, who)).status).toBe(201);
        expect((await post(two.http, '/api/boards', {}, who)).status).toBe(201);
        expect((await post(one.http, '/api/boards', {}, who)).status).toBe(201);
        expect((await post(two.http, '/api/boards', {}, who)).status).toBe(429);
        expect(Number(await r.get(`maillage:rl:walls:${who}`))).toBeGreaterThanOrEqual(4);
      } finally {
        await r.del(`maillage:rl:walls:${who}`);
        await r.quit();
      }
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });
});

describe('R42 connections per address', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startServer({ limits: { ...GENEROUS, connectionsPerIp: 3 } });
  });
  afterAll(async () => {
    await srv?.close();
  });

  it('R42 past the limit a websocket closes 4529 and a socket.io handshake fails rate_limited; others connect; closing frees a slot', async () => {
    const b = await createBoard(srv.http);
    const a = address();
    const y1 = raw(`${srv.ws}/${b.id}`, a);
    const y2 = raw(`${srv.ws}/${b.id}`, a);
    await Promise.all([y1.opened, y2.opened]);
    const s1 = ioFrom(srv.http, a);
    expect(await s1.ready).toBeNull();
    expect(srv.server.limits.connections.count(a)).toBe(3);

    // Over: a clear reason to that client only.
    const y3 = raw(`${srv.ws}/${b.id}`, a);
    const closed = await y3.closed;
    expect(closed.code).toBe(CloseCode.RateLimited);
    expect(closed.reason).toMatch(/too many connections/);
    const s2 = ioFrom(srv.http, a);
    const err = (await s2.ready) as Error & { data?: { error?: { code?: string } } };
    expect(err?.message).toBe('rate_limited');
    expect(err?.data?.error?.code).toBe('rate_limited');
    s2.socket.close();

    // Another address, and the connections already open, are untouched.
    const other = connectClient(srv.ws, b.id);
    await other.synced;
    const s3 = ioFrom(srv.http, address());
    expect(await s3.ready).toBeNull();
    expect(y1.ws.readyState).toBe(WebSocket.OPEN);
    expect(s1.socket.connected).toBe(true);

    // Closing one frees its slot.
    y1.ws.close();
    await y1.closed;
    await expect.poll(() => srv.server.limits.connections.count(a)).toBe(2);
    const y4 = raw(`${srv.ws}/${b.id}`, a);
    await y4.opened;

    for (const s of [s1, s3]) s.socket.close();
    for (const w of [y2, y4]) w.ws.close();
    other.destroy();
    // Nothing leaks: every slot is given back.
    await expect.poll(() => srv.server.limits.connections.addresses, { timeout: 5000 }).toBe(0);
  });
});

describe('R43 messages per connection', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startServer({ limits: { ...GENEROUS, messagesPerSecond: 20, messageBurst: 40 } });
  });
  afterAll(async () => {
    await srv?.close();
  });

  it('R43 a websocket flooding frames is closed 4529; a client on the same wall keeps syncing', async () => {
    const b = await createBoard(srv.http);
    const host = connectClient(srv.ws, b.id, { key: b.hostKey });
    const watcher = connectClient(srv.ws, b.id);
    await Promise.all([host.synced, watcher.synced]);
    const flood = raw(`${srv.ws}/${b.id}`);
    await flood.opened;
    const step1 = encodeSyncStep1(new Y.Doc());
    for (let i = 0; i < 200; i++) flood.ws.send(step1);
    const closed = await flood.closed;
    expect(closed.code).toBe(CloseCode.RateLimited);
    expect(closed.reason).toMatch(/messages a second/);
    // The wall goes on for everyone else.
    const id = addNote(host.doc, { text: 'après le déluge', domainId: 'other' });
    await waitFor(watcher.doc, () => listNotes(watcher.doc).some((n) => n.id === id), 5000, 'note after flood');
    // A normal pace is fine: 15 frames a second for two seconds.
    const calm = raw(`${srv.ws}/${b.id}`);
    await calm.opened;
    for (let i = 0; i < 30; i++) {
      calm.ws.send(step1);
      await sleep(66);
    }
    expect(calm.ws.readyState).toBe(WebSocket.OPEN);
    calm.ws.close();
    host.destroy();
    watcher.destroy();
  });

  it('R43 socket.io events over the rate are acknowledged rate_limited; a socket that keeps flooding is cut; others unaffected', async () => {
    const b = await createBoard(srv.http);
    const flooder = await joinSession(srv.http, b.id, {});
    const calm = await joinSession(srv.http, b.id, { key: b.hostKey });
    const acks = await Promise.all(Array.from({ length: 60 }, () => call(flooder, 'host:lock', { locked: true })));
    const codes = acks.map((a) => (a.ok ? 'ok' : a.error.code));
    // About the burst (40, one spent on board:join) reaches the handler (forbidden: not a host);
    // the rest are refused.
    expect(codes.filter((c) => c === 'forbidden').length).toBeGreaterThanOrEqual(39);
    expect(codes.filter((c) => c === 'rate_limited').length).toBeGreaterThanOrEqual(10);
    expect(flooder.connected).toBe(true);
    // Fire-and-forget events (cursors) past a whole burst while limited: disconnected.
    const gone = new Promise<string>((r) => flooder.once('disconnect', (reason) => r(reason)));
    for (let i = 0; i < 300; i++) flooder.emit('presence:cursor', [i, i]);
    expect(await gone).toBe('io server disconnect');
    // The host's socket on the same wall still works.
    expect((await call(calm, 'host:lock', { locked: false })).ok).toBe(true);
    calm.disconnect();
  });

  it('R43 awareness: an oversized state, or too many awareness ids on one connection, closes 4529 and reaches nobody', async () => {
    const b = await createBoard(srv.http);
    const watcher = connectClient(srv.ws, b.id);
    await watcher.synced;
    const seen = new Set<number>();
    watcher.provider.awareness.on('change', ({ added }: { added: number[] }) => added.forEach((id) => seen.add(id)));

    const big = raw(`${srv.ws}/${b.id}`);
    await big.opened;
    const a = new awarenessProtocol.Awareness(new Y.Doc());
    a.setLocalState({ user: { name: 'x'.repeat(4096), color: '#000000' } });
    big.ws.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(a, [a.clientID])));
    expect((await big.closed).code).toBe(CloseCode.RateLimited);

    const many = raw(`${srv.ws}/${b.id}`);
    await many.opened;
    // One update introducing 20 client ids (a y-websocket client has one).
    const fakes = Array.from({ length: 20 }, (_, i) => 900_000 + i);
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, fakes.length);
    for (const id of fakes) {
      encoding.writeVarUint(e, id);
      encoding.writeVarUint(e, 1);
      encoding.writeVarString(e, JSON.stringify({ user: { name: 'fake', color: '#000000' } }));
    }
    many.ws.send(encodeAwareness(encoding.toUint8Array(e)));
    expect((await many.closed).code).toBe(CloseCode.RateLimited);
    await sleep(300); // two awareness ticks
    expect(seen.has(a.clientID)).toBe(false);
    expect(fakes.filter((id) => watcher.provider.awareness.getStates().has(id))).toEqual([]);
    watcher.destroy();
  });
});

describe('R44 sizes and counts', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startServer({ limits: GENEROUS });
  });
  afterAll(async () => {
    await srv?.close();
  });

  it('R44 a socket.io message over 64 KiB disconnects only its socket', async () => {
    const b = await createBoard(srv.http);
    const big = await joinSession(srv.http, b.id, {});
    const other = await joinSession(srv.http, b.id, { key: b.hostKey });
    const gone = new Promise<string>((r) => big.once('disconnect', (reason) => r(reason)));
    big.emit('private:add', { text: 'x'.repeat(70 * 1024), domainId: 'other' } as never, () => undefined);
    expect(await gone).toBe('transport close');
    expect((await call(other, 'host:lock', { locked: false })).ok).toBe(true);
    other.disconnect();
  });

  it(`R44 a participant cannot add a note past ${LIMITS.notesPerBoard} on a wall (the write is put back and the sender told)`, async () => {
    const b = await createBoard(srv.http);
    const host = connectClient(srv.ws, b.id, { key: b.hostKey });
    await host.synced;
    // Fill the wall in batches well under the frame limit.
    const ownerId = 'host-filled';
    for (let done = 0; done < LIMITS.notesPerBoard; ) {
      const n = Math.min(250, LIMITS.notesPerBoard - done);
      host.doc.transact(() => {
        const { notes } = roots(host.doc);
        for (let i = 0; i < n; i++) {
          const m = new Y.Map<unknown>();
          notes.set(`fill-${done + i}`, m);
          for (const [k, v] of Object.entries({ text: `n${done + i}`, author: '', email: '', org: '', domainId: 'other', x: 0, y: 0, color: '#fff59d', createdAt: 1, ownerId })) m.set(k, v);
        }
      });
      done += n;
    }
    await expect.poll(() => srv.server.rooms.peek(b.id as never)?.doc.getMap('notes').size, { timeout: 30_000 }).toBe(LIMITS.notesPerBoard);

    const secret = 'limits-participant-secret-01';
    const p = connectClient(srv.ws, b.id, { ownerSecret: secret });
    await p.synced;
    // Written straight to the document: the shared addNote helper would refuse it locally first.
    p.doc.transact(() => {
      const m = new Y.Map<unknown>();
      roots(p.doc).notes.set('one-too-many', m);
      for (const [k, v] of Object.entries({ text: 'de trop', author: '', email: '', org: '', domainId: 'other', x: 0, y: 0, color: '#fff59d', createdAt: 2, ownerId: ownerIdFromSecret(secret) })) m.set(k, v);
    });
    await expect.poll(() => p.denials.at(-1) ?? '', { timeout: 10_000 }).toMatch(/^limit: a wall holds at most/);
    await expect.poll(() => roots(p.doc).notes.has('one-too-many'), { timeout: 10_000 }).toBe(false);
    expect(p.closes).toEqual([]);
    expect(srv.server.rooms.peek(b.id as never)?.doc.getMap('notes').has('one-too-many')).toBe(false);
    p.destroy();
    host.destroy();
  });
});
