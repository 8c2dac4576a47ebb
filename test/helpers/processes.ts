/**
 * Helpers for tests that need more than one process: probing the external services (PostgreSQL,
 * Redis) and spawning real server processes (`node --import tsx server/src/main.ts`), each
 * configured only through its environment, exactly as in production.
 *
 * Services. TEST_DATABASE_URL / TEST_REDIS_URL name them; unset, the local defaults are tried.
 * A suite whose services are unreachable is skipped with a message, unless the variable was set
 * explicitly (as .ci/run does): then it fails, so CI cannot go green by skipping.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'vitest';
import pg from 'pg';
import { Redis } from 'ioredis';
import { randomToken } from '@maillage/shared';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

export interface ServiceProbe {
  name: 'PostgreSQL' | 'Redis';
  variable: 'TEST_DATABASE_URL' | 'TEST_REDIS_URL';
  url: string;
  available: boolean;
  /** The variable was set: an unreachable service is a failure, not a skip. */
  required: boolean;
  error?: string;
}

export async function probePostgres(env: NodeJS.ProcessEnv = process.env): Promise<ServiceProbe> {
  const set = env.TEST_DATABASE_URL;
  const url = set || 'postgres://postgres@127.0.0.1:5432/test';
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  const probe: ServiceProbe = { name: 'PostgreSQL', variable: 'TEST_DATABASE_URL', url, available: false, required: Boolean(set) };
  try {
    await client.connect();
    await client.query('SELECT 1');
    probe.available = true;
  } catch (err) {
    probe.error = (err as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
  return probe;
}

export async function probeRedis(env: NodeJS.ProcessEnv = process.env): Promise<ServiceProbe> {
  const set = env.TEST_REDIS_URL;
  const url = set || 'redis://127.0.0.1:6379';
  const r = new Redis(url, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => undefined);
  const probe: ServiceProbe = { name: 'Redis', variable: 'TEST_REDIS_URL', url, available: false, required: Boolean(set) };
  try {
    await r.connect();
    await r.ping();
    probe.available = true;
  } catch (err) {
    probe.error = (err as Error).message;
  } finally {
    r.disconnect();
  }
  return probe;
}

/**
 * `describe` when every service answers; otherwise a skipped suite and a console line saying why,
 * or, when a required service is down, one failing test naming it.
 */
export function describeWithServices(name: string, probes: ServiceProbe[], fn: () => void): void {
  const missing = probes.filter((p) => !p.available);
  if (!missing.length) {
    describe(name, fn);
    return;
  }
  const why = missing.map((p) => `${p.name} unreachable at ${redactUrl(p.url)} (${p.error ?? 'no answer'})`).join('; ');
  const required = missing.filter((p) => p.required);
  if (required.length) {
    describe(name, () => {
      it(`needs ${required.map((p) => p.variable).join(' and ')}`, () => {
        throw new Error(`${why}; ${required.map((p) => p.variable).join(' and ')} is set, so this is a failure, not a skip`);
      });
    });
    return;
  }
  console.warn(`[skipped] ${name}: ${why}. Set ${missing.map((p) => p.variable).join(' / ')} to run it.`);
  describe.skip(name, fn);
}

function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

/** A throw-away schema in the test database, so concurrent runs and leftovers never collide. */
export async function createTempSchema(databaseUrl: string, label = 't'): Promise<{ schema: string; url: string; drop(): Promise<void> }> {
  const schema = `maillage_${label}_${randomToken(10).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA "${schema}"`);
  } finally {
    await admin.end();
  }
  return {
    schema,
    url: withSearchPath(databaseUrl, schema),
    async drop() {
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      try {
        await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await c.end();
      }
    },
  };
}

/** The same database URL with every connection's search_path set to `schema` (libpq `options`). */
export function withSearchPath(databaseUrl: string, schema: string): string {
  const u = new URL(databaseUrl);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

export interface ServerProcess {
  name: string;
  child: ChildProcess;
  port: number;
  http: string;
  ws: string;
  /** Every stdout/stderr line so far (JSON log lines), for assertions and failure messages. */
  logs: string[];
  /** Sends `signal` and resolves once the process has exited, with its exit code or signal. */
  kill(signal?: NodeJS.Signals): Promise<number | NodeJS.Signals | null>;
}

const running = new Set<ServerProcess>();

/**
 * Starts `node --import tsx server/src/main.ts` on a free port (PORT=0; the port is read from
 * the "maillage listening" log line) and waits until /readyz answers 200.
 * @throws when the process exits or is not ready within `timeoutMs`, with its last log lines.
 */
export async function spawnServer(opts: { name: string; env: Record<string, string>; timeoutMs?: number }): Promise<ServerProcess> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `maillage-${opts.name}-`));
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', DATA_DIR: dataDir, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => {
    child.once('exit', (code, signal) => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      resolve(signal ?? code);
    });
  });
  let onPort: (port: number) => void = () => undefined;
  const portSeen = new Promise<number>((r) => (onPort = r));
  const collect = (stream: NodeJS.ReadableStream) => {
    let buf = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        logs.push(line);
        if (line.includes('maillage listening')) {
          try {
            onPort((JSON.parse(line) as { port: number }).port);
          } catch {
            /* not JSON: keep waiting */
          }
        }
      }
    });
  };
  collect(child.stdout!);
  collect(child.stderr!);

  const proc: ServerProcess = {
    name: opts.name,
    child,
    port: 0,
    get http() {
      return `http://127.0.0.1:${proc.port}`;
    },
    get ws() {
      return `ws://127.0.0.1:${proc.port}/yjs`;
    },
    logs,
    async kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const res = await exited;
      running.delete(proc);
      return res;
    },
  };
  running.add(proc);

  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  let settled = false;
  const fail = (why: string) => {
    child.kill('SIGKILL');
    return new Error(`${opts.name}: ${why}\n${logs.slice(-20).join('\n')}`);
  };
  // Both reject only while starting; once ready, exits and the deadline are the test's business.
  const early = exited.then((code) => {
    if (!settled) throw fail(`exited before it was ready (${String(code)})`);
    return 0;
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(fail('not ready in time')), Math.max(0, deadline - Date.now()));
  });
  try {
    proc.port = await Promise.race([portSeen, early, timeout]);
    for (;;) {
      const ok = await Promise.race([fetch(`${proc.http}/readyz`).then((r) => r.ok, () => false), early, timeout]);
      if (ok) return proc;
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    settled = true;
    clearTimeout(timer);
  }
}

/** SIGKILLs every server this helper started and that is still running (afterAll safety net). */
export async function killAllServers(): Promise<void> {
  await Promise.all(Array.from(running).map((p) => p.kill('SIGKILL')));
}
