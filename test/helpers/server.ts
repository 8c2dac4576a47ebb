/**
 * Starts a real Maillage server on a free port with a temporary DATA_DIR and tears it down
 * itself. `restart()` stops it and starts a new one on the same data folder (and port).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMaillageServer, loadConfig, createLogger, type Config, type MaillageServer } from '@maillage/server';

export interface TestServer {
  server: MaillageServer;
  port: number;
  http: string;
  ws: string;
  dataDir: string;
  restart(): Promise<void>;
  stop(): Promise<void>;
  /** Stops and removes the temporary data folder. */
  close(): Promise<void>;
}

export function tempDir(prefix = 'maillage-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function startServer(overrides: Partial<Config> = {}): Promise<TestServer> {
  const dataDir = overrides.dataDir ?? tempDir();
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  // Suites create many walls from 127.0.0.1; test/integration/limits.test.ts sets low limits itself.
  const env = { ...process.env, DATABASE_URL: '', REDIS_URL: '', LIMIT_WALLS_PER_IP_PER_HOUR: process.env.LIMIT_WALLS_PER_IP_PER_HOUR ?? '10000' };
  let config = loadConfig(env, { port: 0, host: '127.0.0.1', dataDir, roomIdleMs: 200, ...overrides });
  let server = await createMaillageServer(config, { log });
  let port = await server.listen();
  let stopped = false;
  const t: TestServer = {
    get server() {
      return server;
    },
    get port() {
      return port;
    },
    get http() {
      return `http://127.0.0.1:${port}`;
    },
    get ws() {
      return `ws://127.0.0.1:${port}/yjs`;
    },
    dataDir,
    async restart() {
      await server.close();
      config = { ...config, port };
      server = await createMaillageServer(config, { log });
      port = await server.listen();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.close();
    },
    async close() {
      await t.stop();
      if (!overrides.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}

export async function createBoard(base: string, body: Record<string, unknown> = {}): Promise<{
  id: string;
  hostKey: string;
  reviewKey: string;
  links: { participant: string; host: string; review: string };
}> {
  const res = await fetch(`${base}/api/boards`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`create board: ${res.status} ${await res.text()}`);
  return (await res.json()) as never;
}
