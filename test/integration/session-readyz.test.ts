/**
 * /readyz reflects storage health (docs/spec.md R56): it answers 503 with a JSON error when the
 * store cannot take a write, with real failing stores — SQLite on a full tmpfs (mounted here; the
 * test is skipped with a message when mounting is not permitted) and PostgreSQL with writes
 * revoked from the server's role (reads still work, so a plain `SELECT 1` would say ready).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { randomToken } from '@maillage/shared';
import { createBoard, startServer, tempDir, type TestServer } from '../helpers/server.ts';
import { createTempSchema, describeWithServices, probePostgres } from '../helpers/processes.ts';

function tryMount(dir: string): string | null {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', dir], { stdio: 'pipe' });
    return null;
  } catch (err) {
    return (err as Error).message.split('\n')[0] ?? 'mount failed';
  }
}

/** Writes zeros until the file system is full; returns the filler's path. */
function fill(dir: string): string {
  const file = path.join(dir, 'filler');
  const fd = fs.openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
    // Leave no partial block: fill the last bytes one by one.
    try {
      for (;;) fs.writeSync(fd, Buffer.alloc(512));
    } catch {
      /* full */
    }
  } finally {
    fs.closeSync(fd);
  }
  return file;
}

const mountDir = tempDir('maillage-readyz-');
const mountError = tryMount(mountDir);
if (mountError) console.warn(`[skipped] R56 SQLite on a full disk: cannot mount a tmpfs here (${mountError})`);

describe.skipIf(Boolean(mountError))('R56 /readyz with SQLite on a full disk', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startServer({ dataDir: mountDir });
  });
  afterAll(async () => {
    await srv?.stop();
    try {
      execFileSync('umount', [mountDir], { stdio: 'pipe' });
    } finally {
      fs.rmSync(mountDir, { recursive: true, force: true });
    }
  });

  it('R56 answers 503 with a JSON error while the disk is full, 200 again once space is back; /healthz stays 200', async () => {
    await createBoard(srv.http);
    expect((await fetch(`${srv.http}/readyz`)).status).toBe(200);
    const filler = fill(mountDir);
    const res = await fetch(`${srv.http}/readyz`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { ok: boolean; error: { code: string; message: string; details: { check: string } } };
    expect(body).toMatchObject({ ok: false, error: { code: 'internal', details: { check: 'store' } } });
    expect(body.error.message).toMatch(/storage/);
    expect((await fetch(`${srv.http}/healthz`)).status).toBe(200);
    fs.rmSync(filler);
    expect((await fetch(`${srv.http}/readyz`)).status).toBe(200);
  });
});

const probe = await probePostgres();

describeWithServices('R56 /readyz with PostgreSQL refusing writes', [probe], () => {
  let srv: TestServer;
  let temp: Awaited<ReturnType<typeof createTempSchema>>;
  const role = `maillage_ro_${randomToken(8).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`;
  const admin = () => new pg.Client({ connectionString: probe.url });
  async function sql(text: string): Promise<void> {
    const c = admin();
    await c.connect();
    try {
      await c.query(text);
    } finally {
      await c.end();
    }
  }

  beforeAll(async () => {
    temp = await createTempSchema(probe.url, 'readyz');
    // The schema's tables are made by a first server as the superuser, then used by a role of its own.
    const first = await startServer({ databaseUrl: temp.url });
    await first.close();
    await sql(`CREATE ROLE "${role}" LOGIN`);
    await sql(`GRANT USAGE, CREATE ON SCHEMA "${temp.schema}" TO "${role}"`);
    await sql(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "${temp.schema}" TO "${role}"`);
    await sql(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA "${temp.schema}" TO "${role}"`);
    const url = new URL(temp.url);
    url.username = role;
    srv = await startServer({ databaseUrl: url.toString() });
  });
  afterAll(async () => {
    await srv?.close();
    await temp?.drop();
    await sql(`DROP OWNED BY "${role}"`).catch(() => undefined);
    await sql(`DROP ROLE IF EXISTS "${role}"`).catch(() => undefined);
  });

  it('R56 answers 503 once the database refuses writes (reads still work), 200 once they are granted again', async () => {
    expect((await fetch(`${srv.http}/readyz`)).status).toBe(200);
    await sql(`REVOKE INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "${temp.schema}" FROM "${role}"`);
    await expect(srv.server.store.ping()).resolves.toBeUndefined();
    const res = await fetch(`${srv.http}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'internal', details: { check: 'store' } } });
    await sql(`GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "${temp.schema}" TO "${role}"`);
    expect((await fetch(`${srv.http}/readyz`)).status).toBe(200);
  });
});
