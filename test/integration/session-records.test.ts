/**
 * Session state stored per record and pushed per change (docs/spec.md R52), and caps per wall,
 * person, address and connection (R53), with a real server and real socket.io clients.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SESSION_LIMITS, addNote, ownerIdFromSecret, type BoardId } from '@maillage/shared';
import { createBoard, startServer, type TestServer } from '../helpers/server.ts';
import { createTempSchema, describeWithServices, probePostgres } from '../helpers/processes.ts';
import { connectClient, sleep } from '../helpers/yclient.ts';
import { io as ioClient } from 'socket.io-client';
import { call, joinSession, type SessionClient } from '../helpers/session.ts';

const secret = (i: number | string): string => `device-secret-for-test-${String(i).padStart(6, '0')}`;

/** Bytes of every event a socket receives, by event name. */
function meter(s: SessionClient): { bytes: Map<string, number>; events: [string, unknown][] } {
  const bytes = new Map<string, number>();
  const events: [string, unknown][] = [];
  s.onAny((event: string, ...args: unknown[]) => {
    bytes.set(event, (bytes.get(event) ?? 0) + Buffer.byteLength(JSON.stringify(args)));
    events.push([event, args[0]]);
  });
  return { bytes, events };
}

async function until(pred: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await sleep(20);
  }
}

/** The server of the backend being tested (suites run one after the other). */
let srv: TestServer;
const probe = await probePostgres();

/** The same tests on each store: SQLite (embedded) and PostgreSQL (TEST_DATABASE_URL, a throw-away schema). */
for (const backend of ['SQLite', 'PostgreSQL'] as const) {
  describeWithServices(`session records on ${backend}`, backend === 'PostgreSQL' ? [probe] : [], () => {
    let temp: Awaited<ReturnType<typeof createTempSchema>> | null = null;
    beforeAll(async () => {
      if (backend === 'PostgreSQL') temp = await createTempSchema(probe.url, 'session');
      srv = await startServer(temp ? { databaseUrl: temp.url } : {});
    });
    afterAll(async () => {
      await srv?.close();
      await temp?.drop();
    });

    describe('R52 session state is stored per record', () => {
      it('R52 a lock, a private note and a dot each write one record; the settings blob is never rewritten', async () => {
        const b = await createBoard(srv.http);
        const host = await joinSession(srv.http, b.id, { key: b.hostKey });
        const a = await joinSession(srv.http, b.id, { ownerSecret: secret('a') });
        const aDoc = connectClient(srv.ws, b.id, { ownerSecret: secret('a') });
        await aDoc.synced;
        const noteId = addNote(aDoc.doc, { text: 'à voter', domainId: 'other', ownerId: ownerIdFromSecret(secret('a')) });
        await sleep(100);
        const store = srv.server.store;
        const writes = vi.spyOn(store, 'writeSessionRecords');
        const blob = vi.spyOn(store, 'updateBoard');
        try {
          expect((await call(host, 'host:lock', { locked: true })).ok).toBe(true);
          expect(writes.mock.calls.map((c) => c[1])).toEqual([{ put: [{ kind: 'setting', key: 'locked', owner: null, value: true }] }]);
          writes.mockClear();
          await call(host, 'host:lock', { locked: false });
          await call(host, 'host:private', { enabled: true });
          writes.mockClear();
          const added = await call(a, 'private:add', { text: 'une idée', domainId: 'other' });
          expect(added.ok).toBe(true);
          expect(writes).toHaveBeenCalledTimes(1);
          expect(writes.mock.calls[0]?.[1].put).toHaveLength(1);
          expect(writes.mock.calls[0]?.[1].put?.[0]).toMatchObject({ kind: 'private', owner: ownerIdFromSecret(secret('a')) });
          await call(host, 'host:vote', { action: 'open', dots: 3 });
          writes.mockClear();
          expect((await call(a, 'vote:cast', { noteId, add: true })).ok).toBe(true);
          expect(writes.mock.calls.map((c) => c[1])).toEqual([
            { put: [{ kind: 'ballot', key: ownerIdFromSecret(secret('a')), owner: ownerIdFromSecret(secret('a')), value: [noteId] }] },
          ]);
          expect(blob).not.toHaveBeenCalled();
        } finally {
          writes.mockRestore();
          blob.mockRestore();
        }
        expect((await store.getBoard(b.id as BoardId))?.settings).toMatchObject({ locked: false, privateWriting: true });
        for (const s of [host, a]) s.disconnect();
        aDoc.destroy();
      });

      it('R52 a private note goes to its author and the hosts as one note; other participants get nothing; ballots never leave the server', async () => {
        const b = await createBoard(srv.http);
        const host = await joinSession(srv.http, b.id, { key: b.hostKey });
        const a = await joinSession(srv.http, b.id, { ownerSecret: secret('a') });
        const other = await joinSession(srv.http, b.id, { ownerSecret: secret('o') });
        const aDoc = connectClient(srv.ws, b.id, { ownerSecret: secret('a') });
        await aDoc.synced;
        const noteId = addNote(aDoc.doc, { text: 'à voter', domainId: 'other', ownerId: ownerIdFromSecret(secret('a')) });
        await sleep(100);
        await call(host, 'host:private', { enabled: true });
        await call(host, 'host:vote', { action: 'open', dots: 3 });
        const hostM = meter(host);
        const otherM = meter(other);
        const N = 30;
        for (let i = 0; i < N; i++) {
          expect((await call(a, 'private:add', { text: `idée privée ${i} ${'x'.repeat(200)}`, domainId: 'other' })).ok).toBe(true);
        }
        await until(() => hostM.events.filter(([e]) => e === 'private:note').length === N, 5000, 'host deltas');
        // Each push to the host is one note: the bytes grow linearly, not with the square of the count.
        const perNote = (hostM.bytes.get('private:note') ?? 0) / N;
        expect(perNote).toBeLessThan(600);
        expect(hostM.bytes.get('private:notes') ?? 0).toBe(0);
        // The author's own socket sees its notes; the other participant sees counts only.
        await until(() => a.privateNotes.at(-1)?.length === N, 5000, 'author list');
        expect(otherM.events.filter(([e]) => e.startsWith('private:'))).toEqual([]);
        expect(JSON.stringify(otherM.events)).not.toContain('idée privée');
        await until(() => other.states.at(-1)?.privateCount === N, 5000, 'private count');
        // Votes: everyone sees counts; no ballot (voter's owner id) is ever pushed.
        await call(a, 'vote:cast', { noteId, add: true });
        await until(() => other.states.at(-1)?.vote?.counts[noteId] === 1, 5000, 'vote count');
        expect(JSON.stringify(otherM.events)).not.toContain(ownerIdFromSecret(secret('a')));
        for (const s of [host, a, other]) s.disconnect();
        aDoc.destroy();
      });

      it('R52 an old wall keeps its settings blob until first read, then moves it into records without losing the lock', async () => {
        const b = await createBoard(srv.http);
        const id = b.id as BoardId;
        const aOwner = ownerIdFromSecret(secret('a'));
        // What the previous version stored: one settings blob.
        await srv.server.store.updateBoard(id, {
          settings: {
            locked: true,
            privateWriting: true,
            vote: { id: 'v1', open: true, dotsPerParticipant: 2, ballots: { [aOwner]: ['n1'] } },
            privateNotes: [{ id: 'p1', text: 'ancienne idée', domainId: 'other', ownerId: aOwner, createdAt: 1, author: '', email: '', org: '' }],
            glossary: [{ fr: ['vélo'], en: ['bike'] }],
          },
        });
        await srv.restart();
        // Before any session read, the document channel already sees the lock (records absent: the blob stands).
        const p = connectClient(srv.ws, b.id, { ownerSecret: secret('a') });
        await p.synced;
        addNote(p.doc, { text: 'pendant le verrou', domainId: 'other', ownerId: aOwner });
        await until(() => p.denials.length > 0, 5000, 'refusal');
        expect(p.denials[0]).toMatch(/^locked/);
        const host = await joinSession(srv.http, b.id, { key: b.hostKey });
        expect(host.states.at(-1)).toMatchObject({ locked: true, privateWriting: true, privateCount: 1, vote: { id: 'v1', counts: { n1: 1 } } });
        // The list follows the join's answer.
        await until(() => host.privateNotes.length > 0, 5000, 'private list on join');
        expect(host.privateNotes.at(-1)?.map((n) => n.text)).toEqual(['ancienne idée']);
        const stored = await srv.server.store.getBoard(id);
        expect(stored?.settings).toMatchObject({ locked: true, privateWriting: true });
        expect(stored?.settings).not.toHaveProperty('privateNotes');
        const kinds = (await srv.server.store.listSessionRecords(id)).map((r) => `${r.kind}:${r.key}`);
        expect(kinds).toEqual(expect.arrayContaining(['setting:locked', 'private:p1', `ballot:${aOwner}`, 'glossary:0000']));
        expect((await srv.server.sessions.get(id)).glossary).toEqual([{ fr: ['vélo'], en: ['bike'] }]);
        host.disconnect();
        p.destroy();
      });

      it('R31 R52 deleting a wall removes its session records', async () => {
        const b = await createBoard(srv.http);
        const host = await joinSession(srv.http, b.id, { key: b.hostKey });
        const a = await joinSession(srv.http, b.id, { ownerSecret: secret('a') });
        await call(host, 'host:private', { enabled: true });
        const marker = `PRIVATE-MARKER-${Date.now()}`;
        await call(a, 'private:add', { text: marker, domainId: 'other' });
        expect(await srv.server.store.countSessionRecords(b.id as BoardId, { kind: 'private' })).toBe(1);
        const dbFiles = () => fs.readdirSync(srv.dataDir).filter((f) => f.startsWith('maillage.sqlite')).map((f) => path.join(srv.dataDir, f));
        const holdMarker = () => dbFiles().some((f) => fs.readFileSync(f).includes(Buffer.from(marker)));
        if (backend === 'SQLite') expect(holdMarker()).toBe(true);
        const res = await fetch(`${srv.http}/api/boards/${b.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${b.hostKey}` } });
        expect(res.status).toBeLessThan(300);
        expect(await srv.server.store.listSessionRecords(b.id as BoardId)).toEqual([]);
        // SQLite: not one byte of the private note is left in the database or its WAL (R31).
        if (backend === 'SQLite') expect(holdMarker()).toBe(false);
        host.disconnect();
        a.disconnect();
      });
    });

    describe('R53 caps count per person, per connection and per address, not per invented identity', () => {
      it('R53 one connection changing identities, then new connections from the same address, are capped; the host receives one note per push', async () => {
        const b = await createBoard(srv.http);
        const host = await joinSession(srv.http, b.id, { key: b.hostKey });
        await call(host, 'host:private', { enabled: true });
        const hostM = meter(host);
        const s = await joinSession(srv.http, b.id, { ownerSecret: secret(1) });
        const add = (c: SessionClient, i: number) => call(c, 'private:add', { text: `n${i} ${'y'.repeat(300)}`, domainId: 'other' });
        const perOwner = SESSION_LIMITS.privateNotesPerOwner;
        for (let i = 0; i < perOwner; i++) expect((await add(s, i)).ok).toBe(true);
        expect(await add(s, 999)).toMatchObject({ ok: false, error: { code: 'limit_reached' } });
        // A fresh identity on the same connection: allowed up to the connection's cap.
        const rejoin = (c: SessionClient, ownerSecret: string) =>
          new Promise<{ ok: boolean }>((r) => c.emit('board:join', { boardId: b.id, ownerSecret }, r as never));
        let added = perOwner;
        let identity = 2;
        let refused: unknown = null;
        while (!refused) {
          expect((await rejoin(s, secret(identity++))).ok).toBe(true);
          for (let i = 0; i < perOwner; i++) {
            const res = await add(s, added);
            if (!res.ok) {
              refused = res;
              break;
            }
            added++;
          }
        }
        expect(added).toBe(SESSION_LIMITS.privateNotesPerConnection);
        expect(refused).toMatchObject({ ok: false, error: { code: 'limit_reached' } });
        // New connections with new identities from the same address: the address's cap holds.
        const again = await joinSession(srv.http, b.id, { ownerSecret: secret(500) });
        expect(await add(again, 0)).toMatchObject({ ok: false, error: { code: 'limit_reached' } });
        expect(SESSION_LIMITS.privateNotesPerAddress).toBeLessThanOrEqual(SESSION_LIMITS.privateNotesPerConnection);
        // What the host received: one note per push, so its traffic is linear in the notes added.
        await until(() => hostM.events.filter(([e]) => e === 'private:note').length === added, 5000, 'host deltas');
        const total = [...hostM.bytes.values()].reduce((x, y) => x + y, 0);
        expect(total).toBeLessThan(added * 2000);
        for (const c of [host, s, again]) c.disconnect();
      });

      it('R53 no single push over SESSION_LIMITS.pushBytes is sent (logged by event name and size only)', async () => {
        const b = await createBoard(srv.http);
        const s = await joinSession(srv.http, b.id, { ownerSecret: secret('push') });
        const got: unknown[] = [];
        s.on('private:notes', (n) => got.push(n));
        await sleep(100);
        got.length = 0;
        const warn = vi.spyOn(srv.server.log, 'warn');
        const note = { id: 'p', ownerId: 'o', text: 'é'.repeat(500), domainId: 'other', createdAt: 1, author: '', email: '', org: '', x: 0, y: 0, color: '#ffffff' };
        const huge = Array.from({ length: Math.ceil(SESSION_LIMITS.pushBytes / 900) + 10 }, (_, i) => ({ ...note, id: `p${i}` }));
        try {
          expect(srv.server.sessions.push({ to: [`board:${b.id}`] }, 'private:notes', huge)).toBe(false);
          expect(srv.server.sessions.push({ to: [`board:${b.id}`] }, 'private:notes', huge.slice(0, 2))).toBe(true);
          await until(() => got.length === 1, 5000, 'small push');
          expect((got[0] as unknown[]).length).toBe(2);
          expect(JSON.stringify(warn.mock.calls)).toContain('private:notes');
          expect(JSON.stringify(warn.mock.calls)).not.toContain('éé');
        } finally {
          warn.mockRestore();
        }
        s.disconnect();
      });

      it('R53 a private note larger than the per-note size is refused', async () => {
        const b = await createBoard(srv.http);
        const host = await joinSession(srv.http, b.id, { key: b.hostKey });
        await call(host, 'host:private', { enabled: true });
        const s = await joinSession(srv.http, b.id, { ownerSecret: secret('big') });
        // Within every field limit, but 3-byte characters everywhere: about 8 KiB serialized.
        const coauthors = Array.from({ length: 10 }, (_, i) => ({ author: `${i}${'€'.repeat(110)}`, email: `${i}${'e'.repeat(60)}@example.org`, org: '€'.repeat(110) }));
        const res = await call(s, 'private:add', { text: '€'.repeat(500), domainId: 'other', coauthors } as never);
        expect(res).toMatchObject({ ok: false, error: { code: 'limit_reached' } });
        host.disconnect();
        s.disconnect();
      });
    });
  });
}

describe('R53 the per-address cap uses the same client address as REST (TRUST_PROXY)', () => {
  /** A socket.io client that says it comes through a proxy for `forwardedFor`. */
  async function joinVia(base: string, boardId: string, forwardedFor: string, ownerSecret: string): Promise<SessionClient> {
    const socket = ioClient(base, { path: '/socket.io', transports: ['websocket'], forceNew: true, extraHeaders: { 'x-forwarded-for': forwardedFor } }) as SessionClient;
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const res = await new Promise<{ ok: boolean }>((r) => socket.emit('board:join', { boardId, ownerSecret }, r as never));
    if (!res.ok) throw new Error('join failed');
    return socket;
  }
  const add = (c: SessionClient, i: number) => call(c, 'private:add', { text: `n${i}`, domainId: 'other' });

  /** Fills address X's cap from two identities; returns whether a third connection "from Y" may add. */
  async function otherAddressMayAdd(trustProxy: boolean): Promise<boolean> {
    const s = await startServer({ trustProxy });
    try {
      const b = await createBoard(s.http);
      const host = await joinSession(s.http, b.id, { key: b.hostKey });
      await call(host, 'host:private', { enabled: true });
      const perOwner = SESSION_LIMITS.privateNotesPerOwner;
      const clients: SessionClient[] = [host];
      for (let k = 0; k * perOwner < SESSION_LIMITS.privateNotesPerAddress; k++) {
        const c = await joinVia(s.http, b.id, '203.0.113.1', secret(`x${k}`));
        clients.push(c);
        for (let i = 0; i < perOwner; i++) expect((await add(c, i)).ok).toBe(true);
      }
      const sameAddress = await joinVia(s.http, b.id, '203.0.113.1', secret('x-last'));
      const otherAddress = await joinVia(s.http, b.id, '198.51.100.7', secret('y'));
      clients.push(sameAddress, otherAddress);
      expect(await add(sameAddress, 0)).toMatchObject({ ok: false, error: { code: 'limit_reached' } });
      const res = await add(otherAddress, 0);
      for (const c of clients) c.disconnect();
      return res.ok;
    } finally {
      await s.close();
    }
  }

  it('R53 behind a trusted proxy each forwarded address has its own cap; an untrusted X-Forwarded-For is ignored', async () => {
    expect(await otherAddressMayAdd(true)).toBe(true);
    expect(await otherAddressMayAdd(false)).toBe(false);
  });
});
