/**
 * Deleting a wall (docs/spec.md R31): its notes, snapshots and stored updates leave no byte of
 * their text or emails in the database files, connected clients are told, and its links stop
 * working. SQLite is checked at the byte level (main file, WAL and shared-memory file);
 * PostgreSQL, when reachable, at the row level (its files are not ours to read).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { addNote, CloseCode, randomToken } from '@maillage/shared';
import { createBoard, startServer, type TestServer } from '../helpers/server.ts';
import { connectClient, sleep } from '../helpers/yclient.ts';
import { joinSession } from '../helpers/session.ts';
import { createTempSchema, describeWithServices, probePostgres } from '../helpers/processes.ts';

/** Distinctive strings that cannot occur by chance in the files. */
function markers() {
  const tag = randomToken(10).replace(/[^A-Za-z0-9]/g, 'x');
  return {
    text: `Atelier confidentiel ${tag} pour les élèves`,
    email: `personne.${tag.toLowerCase()}@secret.example`,
    org: `Organisme ${tag}`,
    snapshotName: `Instantané ${tag}`,
  };
}

function dbFiles(dataDir: string): string[] {
  return fs
    .readdirSync(dataDir)
    .filter((f) => f.startsWith('maillage.sqlite'))
    .map((f) => path.join(dataDir, f));
}

/** Which of `needles` occur (as UTF-8 bytes) anywhere in the SQLite files. */
function foundInFiles(dataDir: string, needles: string[]): string[] {
  const blobs = dbFiles(dataDir).map((f) => fs.readFileSync(f));
  return needles.filter((n) => blobs.some((b) => b.includes(Buffer.from(n, 'utf8'))));
}

async function api(base: string, method: string, p: string, key?: string, body?: unknown): Promise<Response> {
  return fetch(base + p, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
}

/** A wall with the markers in a note, in a snapshot, and in many small stored updates. */
async function fillWall(srv: TestServer, m: ReturnType<typeof markers>) {
  const b = await createBoard(srv.http, { title: m.org });
  const host = connectClient(srv.ws, b.id, { key: b.hostKey });
  await host.synced;
  addNote(host.doc, { text: m.text, domainId: 'mentoring', author: 'Camille', email: m.email, org: m.org });
  for (let i = 0; i < 5; i++) addNote(host.doc, { text: `${m.text} n° ${i}`, domainId: 'other', email: m.email });
  await sleep(100);
  expect((await api(srv.http, 'POST', `/api/boards/${b.id}/snapshots`, b.hostKey, { name: m.snapshotName })).status).toBe(201);
  await srv.server.rooms.peek(b.id as never)?.flush();
  return { b, host };
}

describe('deleting a wall (SQLite)', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startServer();
  });
  afterAll(async () => {
    await srv?.close();
  });

  it('R31 leaves no byte of its text, emails or snapshots in the database files; clients are told; links answer 404', async () => {
    const keep = markers();
    const gone = markers();
    const kept = await fillWall(srv, keep);
    const { b, host } = await fillWall(srv, gone);
    const session = await joinSession(srv.http, b.id, { key: b.reviewKey });
    const told = new Promise<string>((r) => session.on('board:deleted', (e) => r(e.boardId)));
    const closed = new Promise<number>((r) => host.provider.once('connection-close', (e: CloseEvent | null) => r(e?.code ?? 0)));
    // The scan works: before deletion, both walls' strings are in the files.
    expect(foundInFiles(srv.dataDir, [gone.text, gone.email, keep.text, keep.email])).toHaveLength(4);

    expect((await api(srv.http, 'DELETE', `/api/boards/${b.id}`)).status).toBe(401);
    expect((await api(srv.http, 'DELETE', `/api/boards/${b.id}`, b.reviewKey)).status).toBe(403);
    expect((await api(srv.http, 'DELETE', `/api/boards/${b.id}`, b.hostKey)).status).toBe(204);
    expect(await closed).toBe(CloseCode.Gone);
    expect(await told).toBe(b.id);

    expect(foundInFiles(srv.dataDir, [gone.text, gone.email, gone.org, gone.snapshotName, b.hostKey, b.reviewKey])).toEqual([]);
    // The other wall is untouched.
    expect(foundInFiles(srv.dataDir, [keep.text, keep.email])).toHaveLength(2);
    expect(await srv.server.store.listSnapshots(b.id as never)).toEqual([]);
    expect((await srv.server.store.loadUpdates(b.id as never)).updates).toEqual([]);

    // Every link of the wall stops working.
    for (const [method, p, key] of [
      ['GET', `/api/boards/${b.id}`, undefined],
      ['GET', `/api/boards/${b.id}/snapshots`, b.hostKey],
      ['GET', `/api/boards/${b.id}/export.csv`, b.hostKey],
      ['GET', `/api/boards/${b.id}/export.json`, b.hostKey],
      ['GET', `/api/boards/${b.id}/export.pdf`, b.hostKey],
      ['DELETE', `/api/boards/${b.id}`, b.hostKey],
    ] as const) {
      expect([404, 410], `${method} ${p}`).toContain((await api(srv.http, method, p, key)).status);
    }
    const late = connectClient(srv.ws, b.id);
    const lateCode = await new Promise<number>((r) => late.provider.once('connection-close', (e: CloseEvent | null) => r(e?.code ?? 0)));
    expect([CloseCode.NotFound, CloseCode.Gone]).toContain(lateCode);
    late.destroy();

    // Writes still in flight from the deleted wall's clients cannot bring it back.
    await sleep(300);
    expect(foundInFiles(srv.dataDir, [gone.text, gone.email])).toEqual([]);
    host.destroy();
    kept.host.destroy();
    session.disconnect();
  });
});

const pgProbe = await probePostgres();
describeWithServices('deleting a wall (PostgreSQL)', [pgProbe], () => {
  let srv: TestServer;
  let schema: Awaited<ReturnType<typeof createTempSchema>>;
  beforeAll(async () => {
    schema = await createTempSchema(pgProbe.url, 'del');
    srv = await startServer({ databaseUrl: schema.url });
  });
  afterAll(async () => {
    await srv?.close();
    await schema?.drop();
  });

  it('R31 removes every row of the wall, its updates and its snapshots', async () => {
    const m = markers();
    const { b, host } = await fillWall(srv, m);
    const client = new pg.Client({ connectionString: schema.url });
    await client.connect();
    try {
      const count = async () => {
        const r = await client.query<{ n: string }>(
          `SELECT (SELECT count(*) FROM boards WHERE id = $1) + (SELECT count(*) FROM updates WHERE board_id = $1)
                + (SELECT count(*) FROM snapshots WHERE board_id = $1) AS n`,
          [b.id],
        );
        return Number(r.rows[0]?.n);
      };
      expect(await count()).toBeGreaterThan(2);
      expect((await api(srv.http, 'DELETE', `/api/boards/${b.id}`, b.hostKey)).status).toBe(204);
      expect(await count()).toBe(0);
      // Nothing with the markers anywhere in the wall tables (deleted rows are invisible to SQL;
      // VACUUM has pruned them from the pages, see docs/deployment.md "Erasure").
      const left = await client.query(
        `SELECT 1 FROM snapshots WHERE name = $1 UNION ALL SELECT 1 FROM boards WHERE host_key = $2`,
        [m.snapshotName, b.hostKey],
      );
      expect(left.rowCount).toBe(0);
      expect((await api(srv.http, 'GET', `/api/boards/${b.id}`)).status).toBe(404);
    } finally {
      await client.end();
      host.destroy();
    }
  });
});
