/**
 * Scale-out end to end (docs/deployment.md): two real server processes on different ports, one
 * PostgreSQL and one Redis. y-websocket clients on either process see each other's notes and
 * cursors, socket.io room events reach both, and after process A is SIGKILLed its client
 * reconnects to B with nothing lost or duplicated, on both ends and in PostgreSQL.
 *
 * Needs TEST_DATABASE_URL and TEST_REDIS_URL (or the local defaults); skipped with a message when
 * they are unreachable and unset, failed when set.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { io as ioClient, type Socket } from 'socket.io-client';
import {
  addNote,
  listNotes,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SessionState,
} from '@maillage/shared';
import pg from 'pg';
import { Redis } from 'ioredis';
import { createBoard, startServer } from '../helpers/server.ts';
import { connectClient, sleep, waitFor, type YClient } from '../helpers/yclient.ts';
import {
  createTempSchema,
  describeWithServices,
  killAllServers,
  probePostgres,
  probeRedis,
  spawnServer,
  type ServerProcess,
} from '../helpers/processes.ts';

const [pgProbe, redisProbe] = await Promise.all([probePostgres(), probeRedis()]);

type SessionSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Redis clients of Maillage servers (they name their connections maillage-pub, -sub, -io-sub). */
async function maillageRedisClients(redisUrl: string): Promise<number> {
  const r = new Redis(redisUrl);
  try {
    const list = (await r.client('LIST')) as string;
    return list.split('\n').filter((l) => / name=maillage-/.test(l)).length;
  } finally {
    await r.quit();
  }
}

describeWithServices('scale-out: graceful shutdown', [pgProbe, redisProbe], () => {
  it('flushes every wall to PostgreSQL and closes its Redis connections', async () => {
    const temp = await createTempSchema(pgProbe.url, 'close');
    try {
      const before = await maillageRedisClients(redisProbe.url);
      const srv = await startServer({ databaseUrl: temp.url, redisUrl: redisProbe.url });
      expect(srv.server.store.kind).toBe('postgres');
      expect(await maillageRedisClients(redisProbe.url)).toBe(before + 3);
      const b = await createBoard(srv.http);
      const c = connectClient(srv.ws, b.id, { key: b.hostKey });
      await c.synced;
      const ids = [1, 2, 3].map((i) => addNote(c.doc, { text: `avant l'arrêt ${i}`, domainId: 'other' }));
      await expect.poll(() => srv.server.rooms.peek(b.id as never)?.doc.getMap('notes').size).toBe(3);
      await srv.close(); // no pause: whatever is pending must be written by close()
      c.destroy();
      expect(await maillageRedisClients(redisProbe.url)).toBe(before);
      const db = new pg.Client({ connectionString: temp.url });
      await db.connect();
      try {
        const { rows } = await db.query<{ data: Buffer }>('SELECT data FROM updates WHERE board_id = $1 ORDER BY seq', [b.id]);
        const doc = new Y.Doc();
        for (const r of rows) Y.applyUpdate(doc, new Uint8Array(r.data));
        expect(listNotes(doc).map((n) => n.id).sort()).toEqual(ids.sort());
      } finally {
        await db.end();
      }
    } finally {
      await temp.drop();
    }
  });
});

describeWithServices('scale-out: two processes, one PostgreSQL, one Redis', [pgProbe, redisProbe], () => {
  let temp: Awaited<ReturnType<typeof createTempSchema>>;
  let env: Record<string, string>;
  let A: ServerProcess;
  let B: ServerProcess;
  const clients: YClient[] = [];
  const sockets: SessionSocket[] = [];

  beforeAll(async () => {
    temp = await createTempSchema(pgProbe.url, 'scale');
    env = { DATABASE_URL: temp.url, REDIS_URL: redisProbe.url, ROOM_IDLE_MS: '300' };
    [A, B] = await Promise.all([spawnServer({ name: 'A', env }), spawnServer({ name: 'B', env })]);
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    for (const c of clients) c.destroy();
    await killAllServers();
    await temp?.drop();
  });

  // Host keys: this suite is about transport across processes, not about the write rules.
  const client = (base: string, id: string, key: string): YClient => {
    const c = connectClient(base, id, { key });
    clients.push(c);
    return c;
  };

  it('both processes are ready (PostgreSQL and Redis reachable) and alive', async () => {
    for (const p of [A, B]) {
      expect(await (await fetch(`${p.http}/healthz`)).json()).toEqual({ ok: true });
      expect(await (await fetch(`${p.http}/readyz`)).json()).toEqual({ ok: true });
    }
    const listening = A.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'maillage listening');
    expect(listening).toMatchObject({ store: 'postgres', redis: true });
  });

  it('notes and cursors made on one process appear on the other', async () => {
    const b = await createBoard(A.http, { title: 'Webinaire national' });
    // The wall was created through A; B finds it in the shared database.
    expect((await fetch(`${B.http}/api/boards/${b.id}`)).status).toBe(200);
    const onA = client(A.ws, b.id, b.hostKey);
    const onB = client(B.ws, b.id, b.hostKey);
    await Promise.all([onA.synced, onB.synced]);

    const fromA = addNote(onA.doc, { text: 'Mentorat (A)', domainId: 'mentoring', author: 'Ana', email: 'ana@example.org' });
    await waitFor(onB.doc, () => listNotes(onB.doc).some((n) => n.id === fromA), 5000, 'A → B note');
    const fromB = addNote(onB.doc, { text: 'Stages (B)', domainId: 'other' });
    await waitFor(onA.doc, () => listNotes(onA.doc).some((n) => n.id === fromB), 5000, 'B → A note');

    onA.provider.awareness.setLocalStateField('cursor', { x: 120, y: 45 });
    onB.provider.awareness.setLocalStateField('cursor', { x: 7, y: 300 });
    await expect
      .poll(() => onB.provider.awareness.getStates().get(onA.doc.clientID)?.cursor, { timeout: 5000 })
      .toEqual({ x: 120, y: 45 });
    await expect
      .poll(() => onA.provider.awareness.getStates().get(onB.doc.clientID)?.cursor, { timeout: 5000 })
      .toEqual({ x: 7, y: 300 });
  });

  it('socket.io events emitted to a wall reach its clients on both processes', async () => {
    const b = await createBoard(B.http);
    const join = async (base: string, key?: string): Promise<{ socket: SessionSocket; states: SessionState[] }> => {
      const socket: SessionSocket = ioClient(base, { transports: ['websocket'], reconnection: false });
      sockets.push(socket);
      const states: SessionState[] = [];
      socket.on('session:state', (st) => states.push(st));
      const res = await socket.timeout(5000).emitWithAck('board:join', { boardId: b.id, ...(key ? { key } : {}) });
      expect(res.ok).toBe(true);
      return { socket, states };
    };
    const participantOnA = await join(A.http);
    const hostOnB = await join(B.http, b.hostKey);
    // The host's command runs on B; the wall's room broadcast reaches A through the Redis adapter.
    const res = await hostOnB.socket.timeout(5000).emitWithAck('host:lock', { locked: true });
    expect(res.ok).toBe(true);
    for (const who of [participantOnA, hostOnB]) {
      await expect.poll(() => who.states.find((st) => st.locked)?.boardId, { timeout: 5000 }).toBe(b.id);
    }
  });

  it('after SIGKILL of A, its client reconnects to B and nothing is lost or duplicated', async () => {
    const b = await createBoard(A.http);
    const writer = client(A.ws, b.id, b.hostKey);
    const watcher = client(B.ws, b.id, b.hostKey);
    await Promise.all([writer.synced, watcher.synced]);

    // The writer keeps adding notes before, during and after the crash.
    const written: string[] = [];
    let n = 0;
    const timer = setInterval(() => {
      written.push(addNote(writer.doc, { text: `idée ${n++}`, domainId: 'other', email: 'writer@example.org' }));
    }, 15);
    await waitFor(watcher.doc, () => listNotes(watcher.doc).length >= 8, 5000, 'notes flowing through B');
    expect(await A.kill('SIGKILL')).toBe('SIGKILL');
    await sleep(150);
    // Meanwhile someone on B writes too.
    const fromWatcher = addNote(watcher.doc, { text: 'pendant la panne', domainId: 'mentoring' });
    await sleep(100);
    clearInterval(timer);
    expect(written.length).toBeGreaterThan(12);

    // The browser would reconnect through the load balancer; here we point the same document at B.
    writer.provider.destroy();
    const again = new WebsocketProvider(B.ws, b.id, writer.doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params: { k: b.hostKey },
      disableBc: true,
      maxBackoffTime: 300,
    });
    try {
      const expected = [...written, fromWatcher].sort();
      const ids = (doc: Y.Doc) => listNotes(doc).map((note) => note.id).sort();
      await waitFor(watcher.doc, () => ids(watcher.doc).length === expected.length, 5000, 'writer notes on B');
      await waitFor(writer.doc, () => ids(writer.doc).length === expected.length, 5000, 'watcher note on writer');
      expect(ids(watcher.doc)).toEqual(expected);
      expect(ids(writer.doc)).toEqual(expected);
    } finally {
      again.destroy();
    }
    watcher.destroy();

    // Once nobody is on the wall, B unloads it (ROOM_IDLE_MS) and everything is in PostgreSQL,
    // including updates A published but may not have lived to write.
    // Read straight from the tables, not through the store under test.
    const db = new pg.Client({ connectionString: temp.url });
    await db.connect();
    try {
      await expect
        .poll(
          async () => {
            const { rows } = await db.query<{ data: Buffer }>('SELECT data FROM updates WHERE board_id = $1 ORDER BY seq', [b.id]);
            const doc = new Y.Doc();
            for (const r of rows) Y.applyUpdate(doc, new Uint8Array(r.data));
            return listNotes(doc).map((note) => note.id).sort();
          },
          { timeout: 10_000, interval: 200 },
        )
        .toEqual([...written, fromWatcher].sort());
    } finally {
      await db.end();
    }

    // A fresh process, after B has shut down gracefully, serves the same wall from PostgreSQL.
    expect(await B.kill('SIGTERM')).toBe(0);
    const C = await spawnServer({ name: 'C', env });
    const fresh = client(C.ws, b.id, b.hostKey);
    await fresh.synced;
    expect(listNotes(fresh.doc).map((note) => note.id).sort()).toEqual([...written, fromWatcher].sort());

    // Logs are JSON lines without errors, and carry no note text or email.
    for (const p of [A, B, C]) {
      for (const line of p.logs) {
        const entry = JSON.parse(line) as { level: number; msg: string };
        expect(entry.level, `${p.name}: ${line}`).toBeLessThan(50);
        expect(line).not.toMatch(/example\.org|idée|pendant la panne|Mentorat/);
      }
    }
  });
});
