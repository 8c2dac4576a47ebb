/**
 * Every socket.io handler is guarded (docs/spec.md R55). A throw — an Error, a non-Error, a
 * rejected promise — injected inside each session handler answers `{ ok: false, error: internal }`
 * (handlers with an acknowledgement) or closes that one socket (handlers without), is logged by
 * error name and stack frames only (never its message, which here carries personal data), and the
 * process and the wall keep serving: another socket on the same wall still gets the session state,
 * and /healthz answers.
 */
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { createBoard, startServer, type TestServer } from '../helpers/server.ts';
import { sleep } from '../helpers/yclient.ts';
import { call, joinSession, type SessionClient } from '../helpers/session.ts';
import { CursorRelay } from '../../server/src/session/presence.ts';

const SECRET = 'Zoé Secrète zoe@example.org';
const OWNER = 'owner-secret-of-the-host-00001';

let srv: TestServer;
let wall: Awaited<ReturnType<typeof createBoard>>;
let watcher: SessionClient;
let errors: MockInstance;
let round = 0;

beforeAll(async () => {
  srv = await startServer();
  wall = await createBoard(srv.http);
  watcher = await joinSession(srv.http, wall.id, { ownerSecret: 'watcher-secret-000000000001' });
  errors = vi.spyOn(srv.server.log, 'error');
});
afterAll(async () => {
  watcher?.disconnect();
  await srv?.close();
});

type Throw = 'error' | 'non-error' | 'rejection';
const THROWS: Throw[] = ['error', 'non-error', 'rejection'];
const SYNC_THROWS: Throw[] = ['error', 'non-error'];

function failing(kind: Throw): () => never {
  return () => {
    if (kind === 'error') throw new TypeError(`boom: ${SECRET}`);
    if (kind === 'non-error') throw `boom: ${SECRET}`;
    return Promise.reject(new Error(`boom: ${SECRET}`)) as never;
  };
}

/** The wall and the process still serve: a host change reaches the other socket; probes answer. */
async function stillServing(): Promise<void> {
  expect((await fetch(`${srv.http}/healthz`)).status).toBe(200);
  const host = await joinSession(srv.http, wall.id, { key: wall.hostKey });
  const seconds = 60 + ++round;
  const seen = watcher.states.length;
  expect((await call(host, 'host:timer', { action: 'start', seconds })).ok).toBe(true);
  const until = Date.now() + 5000;
  while (!watcher.states.slice(seen).some((s) => s.timerDurationMs === seconds * 1000)) {
    if (Date.now() > until) throw new Error('the wall stopped pushing state');
    await sleep(20);
  }
  host.disconnect();
}

function expectLoggedWithoutMessage(): void {
  expect(errors).toHaveBeenCalled();
  const logged = JSON.stringify(errors.mock.calls);
  expect(logged).not.toContain('Zoé');
  expect(logged).not.toContain('zoe@example.org');
  errors.mockClear();
}

interface Acked {
  event: Parameters<typeof call>[1];
  req: unknown;
  /** The service method the handler calls, made to fail. */
  spy: () => MockInstance;
  role: 'host' | 'participant';
}

const acked: Acked[] = [
  { event: 'host:lock', req: { locked: true }, spy: () => vi.spyOn(srv.server.sessions, 'setSettings'), role: 'host' },
  { event: 'host:private', req: { enabled: true }, spy: () => vi.spyOn(srv.server.sessions, 'setSettings'), role: 'host' },
  { event: 'host:reveal', req: {}, spy: () => vi.spyOn(srv.server.sessions.privates, 'reveal'), role: 'host' },
  { event: 'host:timer', req: { action: 'start', seconds: 30 }, spy: () => vi.spyOn(srv.server.sessions, 'setSettings'), role: 'host' },
  { event: 'host:follow', req: { enabled: true }, spy: () => vi.spyOn(srv.server.sessions, 'setSettings'), role: 'host' },
  { event: 'host:vote', req: { action: 'open', dots: 3 }, spy: () => vi.spyOn(srv.server.sessions, 'vote'), role: 'host' },
  { event: 'host:settings', req: { reviewShowsEmails: true }, spy: () => vi.spyOn(srv.server.sessions, 'setSettings'), role: 'host' },
  { event: 'host:rotateKey', req: { which: 'review' }, spy: () => vi.spyOn(srv.server.boards, 'rotateKey'), role: 'host' },
  { event: 'host:cluster', req: {}, spy: () => vi.spyOn(srv.server.clusters, 'start'), role: 'host' },
  { event: 'host:clusterReject', req: { clusterId: 'c1' }, spy: () => vi.spyOn(srv.server.clusters, 'reject'), role: 'host' },
  { event: 'host:glossary', req: { entries: [] }, spy: () => vi.spyOn(srv.server.sessions, 'update'), role: 'host' },
  { event: 'host:endSession', req: {}, spy: () => vi.spyOn(srv.server.sessions, 'update'), role: 'host' },
  { event: 'vote:cast', req: { noteId: 'n1', add: true }, spy: () => vi.spyOn(srv.server.sessions, 'castVote'), role: 'participant' },
  { event: 'private:add', req: { text: 'idée', domainId: 'other' }, spy: () => vi.spyOn(srv.server.sessions.privates, 'add'), role: 'participant' },
  { event: 'private:update', req: { id: 'p1', patch: { text: 'x' } }, spy: () => vi.spyOn(srv.server.sessions.privates, 'update'), role: 'participant' },
  { event: 'private:delete', req: { id: 'p1' }, spy: () => vi.spyOn(srv.server.sessions.privates, 'remove'), role: 'participant' },
];

describe('R55 a throw inside a socket.io command is answered, logged without its message, and ends nothing else', () => {
  for (const c of acked) {
    for (const kind of THROWS) {
      it(`R55 ${c.event} (${kind})`, async () => {
        const s = await joinSession(srv.http, wall.id, c.role === 'host' ? { key: wall.hostKey, ownerSecret: OWNER } : { ownerSecret: OWNER });
        const spy = c.spy().mockImplementation(failing(kind));
        try {
          const res = await call(s, c.event, c.req as never);
          expect(res).toMatchObject({ ok: false, error: { code: 'internal' } });
          expect(JSON.stringify(res)).not.toContain('Zoé');
          expect(spy).toHaveBeenCalled();
        } finally {
          spy.mockRestore();
        }
        expectLoggedWithoutMessage();
        // The same socket still works once the fault is gone.
        expect(s.connected).toBe(true);
        s.disconnect();
        await stillServing();
      });
    }
  }

  for (const kind of THROWS) {
    it(`R55 board:join (${kind})`, async () => {
      const spy = vi.spyOn(srv.server.boards, 'authorize').mockImplementation(failing(kind));
      try {
        await expect(joinSession(srv.http, wall.id, { key: wall.hostKey })).rejects.toThrow(/join failed: internal/);
      } finally {
        spy.mockRestore();
      }
      expectLoggedWithoutMessage();
      await stillServing();
    });
  }
});

describe('R55 a throw inside a socket.io handler without acknowledgement closes that socket only', () => {
  async function closes(s: SessionClient, trigger: () => void): Promise<void> {
    const closed = new Promise<string>((r) => s.once('disconnect', (reason) => r(reason)));
    trigger();
    expect(await closed).toBe('io server disconnect');
  }

  for (const kind of SYNC_THROWS) {
    it(`R55 host:viewport (${kind})`, async () => {
      const s = await joinSession(srv.http, wall.id, { key: wall.hostKey });
      const spy = vi.spyOn(srv.server.sessions, 'relayViewport').mockImplementation(failing(kind));
      try {
        await closes(s, () => s.emit('host:viewport', { x: 1, y: 2, width: 3, height: 4 }));
      } finally {
        spy.mockRestore();
      }
      expectLoggedWithoutMessage();
      expect(watcher.connected).toBe(true);
      await stillServing();
    });

    it(`R55 presence:cursor (${kind})`, async () => {
      const s = await joinSession(srv.http, wall.id, { ownerSecret: OWNER, name: SECRET });
      const spy = vi.spyOn(CursorRelay.prototype as unknown as { mark: () => void }, 'mark').mockImplementation(failing(kind));
      try {
        await closes(s, () => s.emit('presence:cursor', [10, 20]));
      } finally {
        spy.mockRestore();
      }
      expectLoggedWithoutMessage();
      expect(watcher.connected).toBe(true);
      await stillServing();
    });

    it(`R55 disconnect (${kind})`, async () => {
      const s = await joinSession(srv.http, wall.id, { ownerSecret: OWNER });
      const spy = vi.spyOn(CursorRelay.prototype, 'leave').mockImplementation(failing(kind));
      try {
        s.disconnect();
        await sleep(200);
      } finally {
        spy.mockRestore();
      }
      expectLoggedWithoutMessage();
      expect(watcher.connected).toBe(true);
      await stillServing();
    });
  }
});
