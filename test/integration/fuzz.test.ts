/**
 * Hostile input (docs/security.md, docs/spec.md R45). Property-based and fuzz tests with
 * fast-check, bounded so the file runs in well under a minute:
 *
 *  1. the write rules, as pure functions over a server document: whatever Yjs operations a
 *     participant makes — forged owners, edits of others' notes, domains, metadata, stray root
 *     types, nested types, and random mutations of the resulting bytes — once the server has
 *     judged the update (auth/judge.ts) nobody else's note, no domain and no metadata has changed,
 *     no note is owned by someone else, and no stray root holds content; honest edits of one's
 *     own notes are never refused;
 *  2. every network entry point of a real server, in rounds: random and mutated y-websocket
 *     frames (truncated, huge varints, garbage updates, awareness), path-like and huge wall ids,
 *     bad JSON and random bodies on the REST API, socket.io events with wrong payload types.
 *     Meanwhile healthy clients keep syncing, on the attacked wall and on another one; after
 *     every round the server answers /healthz; at the end no connection, room or counter is
 *     left behind and the heap has not grown round after round.
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
import {
  addNote,
  encodeAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  initBoard,
  listNotes,
  ownerIdFromSecret,
  roots,
  type Role,
} from '@maillage/shared';
import { judgeAndApply, type JudgeContext } from '../../server/src/auth/judge.ts';
import { createBoard, startServer, type TestServer } from '../helpers/server.ts';
import { connectClient, sleep, waitFor, type YClient } from '../helpers/yclient.ts';

/* ------------------------------------------------------------------ 1. the write rules */

const A = ownerIdFromSecret('fuzz-owner-a-secret-0001');
const B = ownerIdFromSecret('fuzz-owner-b-secret-0002');
const P = ownerIdFromSecret('fuzz-participant-secret-03');
const OTHERS = { nA: A, nB: B, nHost: '' } as const;
const NOTE_IDS = ['nA', 'nB', 'nHost', 'nP'] as const;
const FIELDS = ['text', 'author', 'email', 'org', 'domainId', 'x', 'y', 'color', 'createdAt', 'ownerId', 'id', 'zzExtra'] as const;

/** The server's document: a template wall with one note by A, B, a host, and the participant P. */
function serverDoc(): Y.Doc {
  const doc = new Y.Doc();
  initBoard(doc, { title: 'Fuzz', template: 'relationship-mapping', now: 1 });
  for (const [id, ownerId] of [...Object.entries(OTHERS), ['nP', P]] as [string, string][]) {
    addNote(doc, { id, text: `note ${id}`, domainId: 'mentoring', ownerId, author: id, email: `${id}@example.org` });
  }
  return doc;
}
const BASE = serverDoc();
const BASE_STATE = Y.encodeStateAsUpdate(BASE);
const clone = (): Y.Doc => {
  const d = new Y.Doc();
  Y.applyUpdate(d, BASE_STATE);
  return d;
};

const jsonValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant('x'.repeat(600)),
  fc.constantFrom(A, B, P, '', 'mentoring', 'nope', '#fff59d', 'a@b.ca'),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2, noNullPrototype: true }),
);

type Op =
  | { kind: 'addNote'; id: string; owner: string; fields: Record<string, unknown> }
  | { kind: 'setField'; note: string; field: string; value: unknown }
  | { kind: 'nested'; note: string; field: string }
  | { kind: 'deleteNote'; note: string }
  | { kind: 'replaceNote'; note: string }
  | { kind: 'domain'; action: 'title' | 'delete' | 'add' | 'order'; id: string; value: unknown }
  | { kind: 'meta'; key: string; value: unknown }
  | { kind: 'stray'; root: string; value: unknown };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('addNote' as const),
    id: fc.oneof(fc.constantFrom('new1', 'new2', 'nA', 'nP'), fc.string({ minLength: 1, maxLength: 70 })),
    owner: fc.constantFrom(P, P, P, A, B, '', 'forged'),
    fields: fc.dictionary(fc.constantFrom(...FIELDS), jsonValue, { maxKeys: 4, noNullPrototype: true }),
  }),
  fc.record({ kind: fc.constant('setField' as const), note: fc.constantFrom(...NOTE_IDS), field: fc.constantFrom(...FIELDS), value: jsonValue }),
  fc.record({ kind: fc.constant('nested' as const), note: fc.constantFrom(...NOTE_IDS), field: fc.constantFrom(...FIELDS) }),
  fc.record({ kind: fc.constant('deleteNote' as const), note: fc.constantFrom(...NOTE_IDS) }),
  fc.record({ kind: fc.constant('replaceNote' as const), note: fc.constantFrom(...NOTE_IDS) }),
  fc.record({
    kind: fc.constant('domain' as const),
    action: fc.constantFrom('title', 'delete', 'add', 'order'),
    id: fc.constantFrom('mentoring', 'other', 'zzNewDomain'),
    value: jsonValue,
  }),
  fc.record({ kind: fc.constant('meta' as const), key: fc.constantFrom('title', 'schemaVersion', 'template', 'zz'), value: jsonValue }),
  fc.record({ kind: fc.constant('stray' as const), root: fc.constantFrom('zzRoot', 'notes2', 'meta '), value: jsonValue }),
);

/** Mostly honest ops with a hostile one now and then: updates that pass, and near misses. */
const mixedOpArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 1, arbitrary: opArb },
  {
    weight: 2,
    arbitrary: fc.oneof(
      fc.record({ kind: fc.constant('addNote' as const), id: fc.constantFrom('mine1', 'mine2'), owner: fc.constant(P), fields: fc.constant({}) }),
      fc.record({ kind: fc.constant('setField' as const), note: fc.constant('nP'), field: fc.constantFrom('text', 'x', 'color'), value: fc.constantFrom('texte', 5, '#ffcc80') }),
    ),
  },
);

const VALID_NOTE = { text: 'ok', author: 'P', email: '', org: '', domainId: 'other', x: 1, y: 2, color: '#fff59d', createdAt: 5 };

/** Applies `op` to the participant's copy, as a client could with raw Yjs calls. */
function apply(doc: Y.Doc, op: Op): void {
  const { notes, domains, meta } = roots(doc);
  switch (op.kind) {
    case 'addNote': {
      const m = new Y.Map<unknown>();
      notes.set(op.id, m);
      for (const [k, v] of Object.entries({ ...VALID_NOTE, ...op.fields, ownerId: op.owner })) m.set(k, v);
      return;
    }
    case 'setField':
      notes.get(op.note)?.set(op.field, op.value);
      return;
    case 'nested':
      notes.get(op.note)?.set(op.field, new Y.Map());
      return;
    case 'deleteNote':
      notes.delete(op.note);
      return;
    case 'replaceNote':
      if (notes.has(op.note)) notes.set(op.note, new Y.Map());
      return;
    case 'domain':
      if (op.action === 'delete') domains.delete(op.id);
      else if (op.action === 'add') domains.set(op.id, new Y.Map());
      else domains.get(op.id)?.set(op.action, op.value);
      return;
    case 'meta':
      meta.set(op.key, op.value);
      return;
    case 'stray':
      doc.getMap(op.root).set('k', op.value);
      return;
    default: {
      const never: never = op;
      throw new Error(`unknown op ${JSON.stringify(never)}`);
    }
  }
}

/** Runs ops (in one or several transactions) and returns the update the client would send. */
function updateFrom(ops: Op[], oneTransaction: boolean): Uint8Array {
  const doc = clone();
  const sv = Y.encodeStateVector(doc);
  if (oneTransaction) doc.transact(() => ops.forEach((op) => apply(doc, op)));
  else for (const op of ops) doc.transact(() => apply(doc, op));
  return Y.encodeStateAsUpdate(doc, sv);
}

const snapshotOf = (doc: Y.Doc) => ({
  meta: roots(doc).meta.toJSON(),
  domains: roots(doc).domains.toJSON(),
  notes: roots(doc).notes.toJSON() as Record<string, Record<string, unknown>>,
});
const BEFORE = snapshotOf(BASE);

/** The server's document after judging `update` from `who` (a fresh copy of BASE each time). */
function judged(update: Uint8Array, who: JudgeContext): { doc: Y.Doc; refusals: number } {
  const doc = clone();
  const res = judgeAndApply(doc, update, who, 'fuzz');
  return { doc, refusals: res.refusals.length };
}

/**
 * What must hold once the server has judged any update from participant P: others' notes,
 * domains and metadata untouched, every new note P's and valid, P's note nobody else's, no stray
 * root holding content.
 */
function assertParticipantInvariants(after: Y.Doc): void {
  const now = snapshotOf(after);
  expect(now.meta).toEqual(BEFORE.meta);
  expect(now.domains).toEqual(BEFORE.domains);
  for (const id of Object.keys(OTHERS)) expect(now.notes[id], id).toEqual(BEFORE.notes[id]);
  for (const [id, note] of Object.entries(now.notes)) {
    if (!(id in BEFORE.notes)) expect(note.ownerId, `new note ${id}`).toBe(P);
  }
  if (now.notes.nP) expect(now.notes.nP.ownerId).toBe(P);
  for (const [name, type] of after.share) {
    if (['notes', 'meta', 'domains', 'clusters', 'relations'].includes(name)) continue;
    const t = type as unknown as { _start: { deleted: boolean; right: unknown } | null; _map: Map<string, { deleted: boolean }> };
    let visible = 0;
    for (let it = t._start; it; it = it.right as typeof it) if (!it.deleted) visible++;
    for (const it of t._map.values()) if (!it.deleted) visible++;
    expect(visible, `root ${name} written`).toBe(0);
  }
}

const ctx = (role: Role, ownerId: string | null = null): JudgeContext => ({ role, ownerId, locked: false, privateWriting: false });

describe('R45 write rules under random updates', () => {
  it('R45 R51 whatever a participant sends, once judged nobody else\'s note, no domain, no metadata and no stray root has changed', () => {
    let refused = 0;
    let clean = 0;
    fc.assert(
      fc.property(fc.array(mixedOpArb, { minLength: 1, maxLength: 4 }), fc.boolean(), (ops, oneTx) => {
        const { doc, refusals } = judged(updateFrom(ops, oneTx), ctx('participant', P));
        if (refusals) refused++;
        else clean++;
        assertParticipantInvariants(doc);
      }),
      { numRuns: 600 },
    );
    // The generator exercises both sides (otherwise one of them is untested).
    expect(refused).toBeGreaterThan(20);
    expect(clean).toBeGreaterThan(20);
  });

  it('R45 R50 honest edits of one\'s own notes are accepted, several edits of one field included', () => {
    const honest: fc.Arbitrary<Op> = fc.oneof(
      fc.record({
        kind: fc.constant('addNote' as const),
        id: fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/).filter((s) => !(s in BEFORE.notes)),
        owner: fc.constant(P),
        fields: fc.record({ text: fc.string({ maxLength: 500 }), x: fc.integer({ min: -1000, max: 1000 }) }),
      }),
      fc.record({ kind: fc.constant('setField' as const), note: fc.constant('nP'), field: fc.constant('text'), value: fc.string({ maxLength: 500 }) }),
      fc.record({ kind: fc.constant('setField' as const), note: fc.constant('nP'), field: fc.constantFrom('x', 'y'), value: fc.integer({ min: -1e6, max: 1e6 }) }),
      fc.record({ kind: fc.constant('setField' as const), note: fc.constant('nP'), field: fc.constant('domainId'), value: fc.constantFrom('other', 'mentoring') }),
    );
    fc.assert(
      fc.property(fc.uniqueArray(honest, { minLength: 1, maxLength: 6, selector: (op) => (op.kind === 'addNote' ? op.id : JSON.stringify(op)) }), fc.boolean(), (ops, oneTx) => {
        expect(judged(updateFrom(ops, oneTx), ctx('participant', P)).refusals).toBe(0);
      }),
      { numRuns: 200 },
    );
    expect(judged(updateFrom([{ kind: 'deleteNote', note: 'nP' }], true), ctx('participant', P)).refusals).toBe(0);
  });

  it('R45 a review link changes nothing, and a host\'s invalid values are put back', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 4 }), (ops) => {
        const { doc } = judged(updateFrom(ops, true), ctx('review'));
        const now = snapshotOf(doc);
        expect(now.meta).toEqual(BEFORE.meta);
        expect(now.domains).toEqual(BEFORE.domains);
        expect(now.notes).toEqual(BEFORE.notes);
      }),
      { numRuns: 200 },
    );
    for (const op of [{ kind: 'setField', note: 'nA', field: 'text', value: 'x'.repeat(501) }, { kind: 'nested', note: 'nA', field: 'text' }] as Op[]) {
      const { doc, refusals } = judged(updateFrom([op], true), ctx('host'));
      expect(refusals).toBeGreaterThan(0);
      expect(snapshotOf(doc).notes.nA).toEqual(BEFORE.notes.nA);
    }
  });

  it('R45 mutated, truncated and extended update bytes: judged without throwing, and the invariants hold', () => {
    let judgedCount = 0;
    fc.assert(
      fc.property(
        fc.array(opArb, { minLength: 1, maxLength: 4 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
        fc.constantFrom('flip', 'truncate', 'extend'),
        (ops, edits, how) => {
          const bytes = Uint8Array.from(updateFrom(ops, true));
          let mutated: Uint8Array = bytes;
          if (how === 'flip') for (const [at, v] of edits) mutated[at % bytes.length] = v;
          else if (how === 'truncate') mutated = bytes.slice(0, (edits[0]![0] % bytes.length) + 1);
          else mutated = Uint8Array.from([...bytes, ...edits.map(([, v]) => v)]);
          try {
            Y.decodeUpdate(mutated);
          } catch {
            return; // refused as malformed before the rules see it (protocol.ts assertDecodableUpdate)
          }
          judgedCount++;
          assertParticipantInvariants(judged(mutated, ctx('participant', P)).doc);
        },
      ),
      { numRuns: 600 },
    );
    expect(judgedCount).toBeGreaterThan(50);
  });
});

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
      const events = ['board:join', 'host:lock', 'host:private', 'host:reveal', 'host:timer', 'host:follow', 'host:viewport', 'presence:cursor', 'host:vote', 'host:settings', 'host:rotateKey', 'vote:cast', 'private:add', 'private:update', 'private:delete', 'cluster:run', 'snapshot:save', 'nope', 'constructor', '__proto__'];
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
