/**
 * No input ends the process (docs/spec.md R60). A throw — an Error, a non-Error, a rejected
 * promise — injected inside each REST handler, the websocket upgrade, the snapshot timer, the
 * clustering job and the server's own callbacks closes at most that request or connection: it
 * is answered 500 `{ error: { code: 'internal' } }` (or the socket is closed), logged without its
 * message (which could quote personal data), and the server keeps answering /healthz while an
 * honest y-websocket client on another wall keeps syncing.
 */
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import WebSocket from 'ws';
import { addNote, listNotes } from '@maillage/shared';
import { createBoard, startServer, type TestServer } from '../helpers/server.ts';
import { connectClient, sleep, waitFor, type YClient } from '../helpers/yclient.ts';

const SECRET = 'Zoé Secrète zoe@example.org';

let srv: TestServer;
let writer: YClient;
let reader: YClient;
let wall: { id: string; hostKey: string; reviewKey: string };
let errors: MockInstance;
let round = 0;

beforeAll(async () => {
  srv = await startServer({ snapshotIntervalMs: 100 });
  const live = await createBoard(srv.http);
  writer = connectClient(srv.ws, live.id, { key: live.hostKey });
  reader = connectClient(srv.ws, live.id, { key: live.hostKey });
  await Promise.all([writer.synced, reader.synced]);
  wall = await createBoard(srv.http);
  errors = vi.spyOn(srv.server.log, 'error');
});
afterAll(async () => {
  writer?.destroy();
  reader?.destroy();
  await srv?.close();
});

/** The server still serves: probes answer and a live client's change reaches another client. */
async function stillServing(): Promise<void> {
  const health = await fetch(`${srv.http}/healthz`);
  expect(health.status).toBe(200);
  const text = `still syncing ${++round}`;
  addNote(writer.doc, { text, domainId: 'other' });
  await waitFor(reader.doc, () => listNotes(reader.doc).some((n) => n.text === text), 5000, text);
}

type Throw = 'error' | 'non-error' | 'rejection';
const THROWS: Throw[] = ['error', 'non-error', 'rejection'];
const SYNC_THROWS: Throw[] = ['error', 'non-error'];

/** An implementation that fails the given way, carrying personal data in its message. */
function failing(kind: Throw): () => never {
  return () => {
    if (kind === 'error') throw new TypeError(`boom: ${SECRET}`);
    if (kind === 'non-error') throw `boom: ${SECRET}`;
    return Promise.reject(new Error(`boom: ${SECRET}`)) as never;
  };
}

async function call(method: string, path: string, opts: { key?: string; body?: unknown } = {}): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${srv.http}${path}`, {
    method,
    headers: { ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}), ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    return { status: res.status, body: text };
  }
}

function loggedPrivately(): void {
  // Errors expanded as pino's serializer would print them (message and stack).
  const lines = errors.mock.calls.map((c) => JSON.stringify(c, (_k, v: unknown) => (v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : v)));
  const leaks = lines.filter((l) => /Zoé|zoe@example\.org|boom/.test(l));
  expect(leaks.map((l) => l.slice(0, 300))).toEqual([]);
}

describe('an exception inside a handler closes at most its request (R60)', () => {
  const s = () => srv.server;
  // `sync`: a synchronous method, which cannot reject.
  const routes: { name: string; spy: () => [object, string]; method: string; path: () => string; key?: () => string; body?: unknown; sync?: boolean }[] = [
    { name: 'POST /api/boards', spy: () => [s().boards, 'create'], method: 'POST', path: () => '/api/boards', body: {} },
    { name: 'GET /api/boards/:id', spy: () => [s().boards, 'summary'], method: 'GET', path: () => `/api/boards/${wall.id}` },
    { name: 'GET /api/boards/:id/links', spy: () => [s().boards, 'authorize'], method: 'GET', path: () => `/api/boards/${wall.id}/links`, key: () => wall.hostKey },
    { name: 'DELETE /api/boards/:id', spy: () => [s().boards, 'delete'], method: 'DELETE', path: () => `/api/boards/${wall.id}`, key: () => wall.hostKey },
    { name: 'POST /api/boards/import', spy: () => [s().exports, 'import'], method: 'POST', path: () => '/api/boards/import', body: { format: 'maillage-wall' } },
    { name: 'GET export.json', spy: () => [s().exports, 'wall'], method: 'GET', path: () => `/api/boards/${wall.id}/export.json`, key: () => wall.hostKey },
    { name: 'GET export.csv', spy: () => [s().exports, 'csv'], method: 'GET', path: () => `/api/boards/${wall.id}/export.csv`, key: () => wall.hostKey },
    { name: 'GET export.pdf', spy: () => [s().exports, 'pdf'], method: 'GET', path: () => `/api/boards/${wall.id}/export.pdf`, key: () => wall.hostKey },
    { name: 'POST snapshots', spy: () => [s().snapshots, 'save'], method: 'POST', path: () => `/api/boards/${wall.id}/snapshots`, key: () => wall.hostKey, body: { name: 'x' } },
    { name: 'GET snapshots', spy: () => [s().snapshots, 'list'], method: 'GET', path: () => `/api/boards/${wall.id}/snapshots`, key: () => wall.hostKey },
    { name: 'GET snapshots/:sid', spy: () => [s().snapshots, 'view'], method: 'GET', path: () => `/api/boards/${wall.id}/snapshots/AAAAAAAAAAAA`, key: () => wall.hostKey },
    { name: 'POST snapshots/:sid/restore', spy: () => [s().snapshots, 'restore'], method: 'POST', path: () => `/api/boards/${wall.id}/snapshots/AAAAAAAAAAAA/restore`, key: () => wall.hostKey },
    { name: 'POST clusters', spy: () => [s().clusters, 'start'], method: 'POST', path: () => `/api/boards/${wall.id}/clusters`, key: () => wall.hostKey },
    { name: 'GET clusters', spy: () => [s().clusters, 'isRunning'], method: 'GET', path: () => `/api/boards/${wall.id}/clusters`, key: () => wall.hostKey, sync: true },
  ];

  for (const r of routes) {
    it(`R60 R62 ${r.name}: a throw answers 500, is logged without its message, and nothing else stops`, async () => {
      for (const kind of r.sync ? SYNC_THROWS : THROWS) {
        const [target, method] = r.spy();
        const spy = vi.spyOn(target as Record<string, () => unknown>, method).mockImplementation(failing(kind));
        try {
          const res = await call(r.method, r.path(), { key: r.key?.(), body: r.body });
          expect(res.status, `${r.name} (${kind})`).toBe(500);
          expect(res.body).toEqual({ error: { code: 'internal', message: 'internal error' } });
          expect(spy).toHaveBeenCalled();
        } finally {
          spy.mockRestore();
        }
      }
      loggedPrivately();
      await stillServing();
    });
  }

  it('R60 the clustering job: a failing engine or progress callback ends that job only', async () => {
    const pool = (s().clusters as unknown as { pool: { run: (...a: unknown[]) => Promise<unknown> } }).pool;
    const b = await createBoard(srv.http);
    const c = connectClient(srv.ws, b.id, { key: b.hostKey });
    await c.synced;
    addNote(c.doc, { text: 'Mentorat entre pairs', domainId: 'other' });
    addNote(c.doc, { text: 'Tutorat par les pairs', domainId: 'other' });
    await sleep(100);
    c.destroy();
    for (const kind of THROWS) {
      const spy = vi.spyOn(pool, 'run').mockImplementation(failing(kind));
      try {
        const res = await call('POST', `/api/boards/${b.id}/clusters?wait=1`, { key: b.hostKey });
        expect(res.status).toBe(500);
      } finally {
        spy.mockRestore();
      }
    }
    // A progress callback that throws (e.g. a broken socket.io room) does not stop the job.
    const real = pool.run.bind(pool);
    const spy = vi.spyOn(pool, 'run').mockImplementation((notes, opts, onProgress) =>
      real(notes, opts, () => (onProgress as (p: unknown) => void)({ get phase(): string { throw new Error(`boom: ${SECRET}`); }, fraction: 0 })),
    );
    try {
      const res = await call('POST', `/api/boards/${b.id}/clusters?wait=1`, { key: b.hostKey });
      expect(res.status).toBe(200);
    } finally {
      spy.mockRestore();
    }
    loggedPrivately();
    await stillServing();
  });

  it('R60 the websocket upgrade: a throw closes that socket only', async () => {
    // handleUpgrade is synchronous: it throws, it cannot reject.
    for (const kind of SYNC_THROWS) {
      const spy = vi.spyOn(s().sync, 'handleUpgrade').mockImplementation(failing(kind));
      try {
        const ws = new WebSocket(`${srv.ws}/${wall.id}`);
        const outcome = await new Promise<string>((resolve) => {
          ws.once('open', () => resolve('open'));
          ws.once('error', () => resolve('refused'));
          ws.once('unexpected-response', (_req, res) => resolve(`http ${res.statusCode}`));
        });
        ws.terminate();
        expect(outcome).toBe('http 500');
      } finally {
        spy.mockRestore();
      }
    }
    loggedPrivately();
    await stillServing();
  });

  it('R60 the snapshot timer: a failing store is logged and the next round runs', async () => {
    const spy = vi.spyOn(s().store, 'listSnapshots').mockImplementation(failing('error'));
    try {
      addNote(writer.doc, { text: 'marks the wall dirty', domainId: 'other' });
      await vi.waitFor(() => expect(spy).toHaveBeenCalled(), { timeout: 5000 });
      await sleep(250); // more rounds
    } finally {
      spy.mockRestore();
    }
    loggedPrivately();
    await stillServing();
  });

  it("R60 the server's callbacks: a failing connection-count announcement or deletion notice ends nothing", async () => {
    const announce = vi.spyOn(s().sessions, 'announceCount').mockImplementation(failing('rejection'));
    const to = vi.spyOn(s().io, 'to').mockImplementation(failing('error'));
    try {
      const c = connectClient(srv.ws, wall.id, { key: wall.hostKey });
      await c.synced;
      c.destroy();
      const doomed = await createBoard(srv.http);
      const res = await call('DELETE', `/api/boards/${doomed.id}`, { key: doomed.hostKey });
      expect(res.status).toBe(204);
      // Announcements are batched by the sync layer (a few hundred ms).
      await vi.waitFor(() => expect(announce).toHaveBeenCalled(), { timeout: 5000 });
    } finally {
      announce.mockRestore();
      to.mockRestore();
    }
    loggedPrivately();
    await stillServing();
  });
});
