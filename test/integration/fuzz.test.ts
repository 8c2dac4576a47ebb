/**
 * Hostile input (docs/security.md, docs/spec.md R45) at every network entry point of a real
 * server, in rounds: random and mutated y-websocket frames (truncated, huge varints, garbage
 * updates, awareness), path-like and huge wall ids, bad JSON and random bodies on the REST API,
 * socket.io events with wrong payload types. Meanwhile healthy clients keep syncing, on the
 * attacked wall and on another one; after every round the server answers /healthz; at the end no
 * connection, room or counter is left behind and the heap has not grown round after round. The
 * write rules themselves are fuzzed as pure functions in fuzz-rules.test.ts.
 *
 * The server runs in this process, so a crash or an unhandled rejection fails the run.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import { io as ioClient, type Socket } from 'socket.io-client';
import { addNote, encodeAwareness, encodeSyncStep1, encodeSyncStep2, encodeUpdate, initBoard, listNotes, ownerIdFromSecret, roots } from '@maillage/shared';
import { createBoard, startServer, type TestServer } from '../helpers/server.ts';
import { connectClient, sleep, waitFor, type YClient } from '../helpers/yclient.ts';

const VALID_NOTE = { text: 'ok', author: 'P', email: '', org: '', domainId: 'other', x: 1, y: 2, color: '#fff59d', createdAt: 5 };

/** A template wall with a note by two owners and a host, the state the frame seeds start from. */
const BASE_STATE = (() => {
  const doc = new Y.Doc();
  initBoard(doc, { title: 'Fuzz', template: 'relationship-mapping', now: 1 });
  for (const [id, ownerId] of [['nA', ownerIdFromSecret('fuzz-owner-a-secret-0001')], ['nB', ownerIdFromSecret('fuzz-owner-b-secret-0002')], ['nHost', '']] as const) {
    addNote(doc, { id, text: `note ${id}`, domainId: 'mentoring', ownerId, author: id });
  }
  return Y.encodeStateAsUpdate(doc);
})();

/* ------------------------------------------------------------------ 2. the network */

type IoSocket = Socket;

/** Sends frames on a fresh raw websocket; resolves when the server closes it, or after `idleMs`. */
function sendRaw(url: string, frames: (Uint8Array | string)[], idleMs = 40): Promise<number | null> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    let done = false;
    const finish = (code: number | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.terminate();
      resolve(code);
    };
    let timer = setTimeout(() => finish(null), 2000);
    ws.on('error', () => finish(-1));
    ws.on('unexpected-response', (_req, res) => finish(res.statusCode ?? -1));
    ws.on('close', (code) => finish(code));
    ws.on('open', () => {
      for (const f of frames) ws.send(f);
      clearTimeout(timer);
      timer = setTimeout(() => finish(null), idleMs);
    });
  });
}

function varUint(n: number): number[] {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, n);
  return Array.from(encoding.toUint8Array(e));
}

/** Valid frames of every kind, as seeds for mutation. */
function validFrames(): Uint8Array[] {
  const d = new Y.Doc();
  Y.applyUpdate(d, BASE_STATE);
  const sv = Y.encodeStateVector(d);
  d.transact(() => {
    const m = new Y.Map<unknown>();
    roots(d).notes.set('fz', m);
    for (const [k, v] of Object.entries({ ...VALID_NOTE, ownerId: '' })) m.set(k, v);
  });
  const aw = new awarenessProtocol.Awareness(new Y.Doc());
  aw.setLocalState({ user: { name: 'fuzz', color: '#000000' } });
  return [
    encodeSyncStep1(d),
    encodeSyncStep2(d, sv),
    encodeUpdate(Y.encodeStateAsUpdate(d, sv)),
    encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(aw, [aw.clientID])),
    Uint8Array.of(3),
    Uint8Array.of(2, 0, 3, 97, 98, 99),
  ];
}

const frameArb = (seeds: Uint8Array[]): fc.Arbitrary<Uint8Array | string> =>
  fc.oneof(
    fc.uint8Array({ maxLength: 64 }),
    // A seed, mutated: flipped bytes, truncated, extended.
    fc.tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.nat()).map(
      ([seed, flips, cut]) => {
        const b = Uint8Array.from(seed);
        for (const [at, v] of flips) b[at % b.length] = v;
        return cut % 3 === 0 ? b.slice(0, cut % (b.length + 1)) : b;
      },
    ),
    // Huge varints where lengths, steps and clocks go.
    fc.tuple(fc.constantFrom(0, 1, 2, 3, 0x7f, 0xffffffff), fc.constantFrom(0, 1, 2, 0xffffffff, Number.MAX_SAFE_INTEGER)).map(
      ([type, n]) => Uint8Array.from([...varUint(type), ...varUint(n), ...varUint(n), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]),
    ),
    // Well-framed update or awareness messages whose payload is garbage.
    fc.uint8Array({ minLength: 1, maxLength: 48 }).map((g) => encodeUpdate(g)),
    fc.uint8Array({ minLength: 1, maxLength: 48 }).map((g) => encodeAwareness(g)),
    fc.string({ maxLength: 20 }).map((s) => encodeAwareness(Uint8Array.from([1, 7, 1, ...varUint(s.length + 2), 34, ...Buffer.from(s), 34]))),
    // Text frames.
    fc.string({ maxLength: 30 }),
  );

const hostileId = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('..', '../..', '..%2F..%2Fetc%2Fpasswd', '%2e%2e%2f', '%00', 'AAAAAAAAAAAAAAAAAAAAAA', 'AAAAAAAAAAAAAAAAAAAAA/', 'con', '%', '%%', '%E0%A4%A'),
  fc.integer({ min: 1, max: 12 }).map((k) => 'A'.repeat(k * 1000)),
  fc.string({ maxLength: 30 }).map((s) => encodeURIComponent(s)),
);

const anyJson = fc.jsonValue({ maxDepth: 3, noUnicodeString: false }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);

function gcFn(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

describe('R45 every entry point under hostile input', () => {
  let srv: TestServer;
  const healthy: YClient[] = [];
  beforeAll(async () => {
    srv = await startServer();
  });
  afterAll(async () => {
    for (const c of healthy) c.destroy();
    await srv?.close();
  });

  it('R45 the server never crashes, keeps serving other walls, leaves nothing behind and does not grow round after round', async () => {
    const target = await createBoard(srv.http);
    const other = await createBoard(srv.http);
    // Healthy clients on the attacked wall and on another: they must keep syncing throughout.
    const tWriter = connectClient(srv.ws, target.id, { key: target.hostKey });
    const tWatcher = connectClient(srv.ws, target.id);
    const oWriter = connectClient(srv.ws, other.id, { key: other.hostKey });
    const oWatcher = connectClient(srv.ws, other.id);
    healthy.push(tWriter, tWatcher, oWriter, oWatcher);
    await Promise.all(healthy.map((c) => c.synced));
    const stillSyncing = async (round: number) => {
      for (const [w, r] of [[tWriter, tWatcher], [oWriter, oWatcher]] as const) {
        const id = addNote(w.doc, { text: `round ${round}`, domainId: 'other' });
        await waitFor(r.doc, () => listNotes(r.doc).some((n) => n.id === id), 5000, `sync in round ${round}`);
      }
      expect(await (await fetch(`${srv.http}/healthz`)).json()).toEqual({ ok: true });
    };

    const seeds = validFrames();
    const gc = gcFn();
    const heap: number[] = [];
    const ROUNDS = 5;
    const closes = new Map<string, number>();
    for (let round = 0; round < ROUNDS; round++) {
      // y-websocket frames on the attacked wall, a few per connection.
      await fc.assert(
        fc.asyncProperty(fc.array(frameArb(seeds), { minLength: 1, maxLength: 4 }), async (frames) => {
          const code = await sendRaw(`${srv.ws}/${target.id}`, frames);
          closes.set(String(code), (closes.get(String(code)) ?? 0) + 1);
        }),
        { numRuns: 60 },
      );
      // Wall ids in websocket URLs.
      await fc.assert(
        fc.asyncProperty(hostileId, async (id) => {
          const code = await sendRaw(`${srv.ws}/${id}`, [encodeSyncStep1(new Y.Doc())], 20);
          // 4404 for any id that is not a wall; an unparseable URL may be refused at the HTTP level.
          expect([4404, 400, 404, 431, -1, null]).toContain(code);
        }),
        { numRuns: 15 },
      );
      // REST: ids in paths, random bodies, bad JSON.
      await fc.assert(
        fc.asyncProperty(
          hostileId,
          fc.constantFrom('GET', 'DELETE', 'POST'),
          fc.constantFrom('', '/links', '/snapshots', '/export.csv', '/export.json', '/clusters', '/restore'),
          fc.oneof(anyJson.map((j) => JSON.stringify(j)), fc.string({ maxLength: 60 }), fc.constantFrom('{"title": ', '{"__proto__": {"x": 1}}', '[]', 'null', '"\\u0000"')),
          async (id, method, suffix, body) => {
            const res = await fetch(`${srv.http}/api/boards/${id}${suffix}`, {
              method,
              headers: { 'content-type': 'application/json', authorization: `Bearer ${id.slice(0, 50)}` },
              ...(method === 'POST' ? { body } : {}),
            }).catch(() => null);
            if (res) {
              expect(res.status, `${method} ${suffix}`).toBeLessThan(500);
              if (res.headers.get('content-type')?.includes('json')) await res.json();
              else await res.arrayBuffer();
            }
          },
        ),
        { numRuns: 25 },
      );
      await fc.assert(
        fc.asyncProperty(fc.constantFrom('/api/boards', '/api/boards/import'), fc.oneof(anyJson.map((j) => JSON.stringify(j)), fc.string({ maxLength: 80 })), async (path, body) => {
          const res = await fetch(`${srv.http}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
          expect([201, 400, 413, 422]).toContain(res.status);
          await res.arrayBuffer();
        }),
        { numRuns: 20 },
      );
      // socket.io: every event, payloads of the wrong type, with and without an ack.
      const sock: IoSocket = ioClient(srv.http, { transports: ['websocket'], reconnection: false, forceNew: true });
      await new Promise<void>((r) => sock.once('connect', () => r()));
      const events = ['board:join', 'host:lock', 'host:private', 'host:reveal', 'host:timer', 'host:follow', 'host:viewport', 'presence:cursor', 'host:vote', 'host:settings', 'host:rotateKey', 'vote:cast', 'private:add', 'private:update', 'private:delete', 'cluster:run', 'snapshot:save', 'spotlight:set', 'spotlight:get', 'nope', 'constructor', '__proto__'];
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...events), fc.oneof(anyJson, hostileId.map((boardId) => ({ boardId, key: boardId, name: boardId }))), fc.boolean(), async (event, payload, withAck) => {
          if (!sock.connected) return;
          if (withAck) await sock.timeout(500).emitWithAck(event, payload).catch(() => undefined);
          else sock.emit(event, payload);
        }),
        { numRuns: 40 },
      );
      // And the same socket, joined to the attacked wall, sending the same kind of noise.
      if (sock.connected) {
        await sock.timeout(1000).emitWithAck('board:join', { boardId: target.id }).catch(() => undefined);
        for (const event of events) sock.emit(event, { x: Number.NaN, boardId: '../', noteId: 'A'.repeat(70) }, () => undefined);
      }
      sock.close();

      await stillSyncing(round);
      gc();
      gc();
      heap.push(process.memoryUsage().heapUsed);
    }

    // The refusals were the expected ones: malformed (4400), rate-limited (4529), refused writes (put back, no close),
    // or left open after valid frames (null) — never a server error (1011).
    expect(closes.get('1011') ?? 0).toBe(0);
    expect((closes.get('4400') ?? 0) + (closes.get('1009') ?? 0)).toBeGreaterThan(0);

    // Nothing left behind: only the four healthy connections, no extra counters.
    await expect.poll(() => srv.server.sync.connectionCount, { timeout: 5000 }).toBe(4);
    await expect.poll(() => srv.server.limits.connections.count('127.0.0.1'), { timeout: 5000 }).toBe(4);
    await expect.poll(() => srv.server.io.of('/').sockets.size, { timeout: 5000 }).toBe(0);
    await sleep(500); // roomIdleMs is 200: walls the fuzz created and left are unloaded
    expect(srv.server.rooms.loadedCount).toBeLessThanOrEqual(2 + 1);

    // The heap after the last rounds is not larger than after the first (garbage collected).
    const first = Math.min(...heap.slice(0, 2));
    const last = heap.at(-1) as number;
    if (process.env.FUZZ_VERBOSE) console.log(`heap by round: ${heap.map((h) => Math.round(h / 1e6)).join(', ')} MB; closes ${JSON.stringify(Object.fromEntries(closes))}`);
    expect(last, `heap by round: ${heap.map((h) => Math.round(h / 1e6)).join(', ')} MB`).toBeLessThan(first * 1.3 + 20e6);
  });
});
