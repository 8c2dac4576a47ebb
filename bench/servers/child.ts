/**
 * One server under test, in a process of its own so that its CPU and memory can be read apart
 * from the load generator's. `node --import tsx bench/servers/child.ts <kind>` where kind is
 *   maillage   our server (createMaillageServer: SQLite in a temp folder, socket.io attached),
 *   reference  @y/websocket-server's setupWSConnection, the y-websocket reference server,
 *   floor      a bare `ws` relay: answers sync step 1 with an empty step 2 and forwards every
 *              update (and awareness) frame, byte for byte, to the wall's other sockets.
 * All three use the same `ws` 8 and listen on 127.0.0.1 at /yjs/<room>.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { DEFAULT_TEMPLATE, initBoard, randomToken } from '@maillage/shared';
import { serveParent, usage } from '../lib/ipc.ts';
import { isMain } from '../lib/cli.ts';
import { WebSocketServer, type WebSocketT } from '../lib/ws.ts';

export type ServerKind = 'maillage' | 'reference' | 'floor';

export interface ServerReady {
  kind: ServerKind;
  port: number;
  wsBase: string;
  pid: number;
}
export interface CreatedRoom {
  room: string;
  hostKey: string;
}

const kind = process.argv[2] as ServerKind;
const gc = (globalThis as { gc?: () => void }).gc;

function collect(): ReturnType<typeof usage> {
  if (gc) {
    gc();
    gc();
  }
  return usage();
}

const common = {
  stats: () => usage(),
  gcStats: () => collect(),
};

async function maillage(): Promise<void> {
  const { createMaillageServer, loadConfig, createLogger } = await import('@maillage/server');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-bench-'));
  process.on('exit', () => fs.rmSync(dataDir, { recursive: true, force: true }));
  const config = loadConfig(
    { ...process.env, DATABASE_URL: '', REDIS_URL: '', LOG_LEVEL: 'silent' },
    { port: 0, host: '127.0.0.1', dataDir, roomIdleMs: 60_000 },
  );
  const server = await createMaillageServer(config, { log: createLogger('silent') });
  const port = await server.listen();
  serveParent(
    {
      ...common,
      createRoom: async (): Promise<CreatedRoom> => {
        const b = await server.boards.create({ title: 'Bench' });
        return { room: b.id, hostKey: b.hostKey };
      },
      connections: () => server.sync.connectionCount,
    },
    { kind, port, wsBase: `ws://127.0.0.1:${port}/yjs`, pid: process.pid } satisfies ServerReady,
  );
}

async function reference(): Promise<void> {
  const { setupWSConnection, getYDoc } = await import('@y/websocket-server/utils');
  const wss = new WebSocketServer({ noServer: true });
  const server = http.createServer((_req, res) => res.end('okay'));
  let open = 0;
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith('/yjs/')) return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => {
      open++;
      ws.on('close', () => open--);
      setupWSConnection(ws, req, { docName: url.pathname.slice(5) });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  serveParent(
    {
      ...common,
      // The wall content the others start with: the template, as our server creates it.
      createRoom: (): CreatedRoom => {
        const room = randomToken(22);
        initBoard(getYDoc(room), { title: 'Bench', template: DEFAULT_TEMPLATE });
        return { room, hostKey: '' };
      },
      connections: () => open,
    },
    { kind, port, wsBase: `ws://127.0.0.1:${port}/yjs`, pid: process.pid } satisfies ServerReady,
  );
}

/** Sync step 2 carrying an empty update: what a server with nothing to add answers. */
const EMPTY_STEP2 = Buffer.from([0, 1, 2, 0, 0]);

async function floor(): Promise<void> {
  const wss = new WebSocketServer({ noServer: true });
  const rooms = new Map<string, Set<WebSocketT>>();
  const server = http.createServer((_req, res) => res.end('okay'));
  let open = 0;
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith('/yjs/')) return socket.destroy();
    const name = url.pathname.slice(5);
    wss.handleUpgrade(req, socket, head, (ws) => {
      let peers = rooms.get(name);
      if (!peers) rooms.set(name, (peers = new Set()));
      const room = peers;
      room.add(ws);
      open++;
      ws.on('close', () => {
        room.delete(ws);
        open--;
      });
      ws.on('message', (data: Buffer) => {
        // Types and steps are single-byte varints: [0, 0] sync step 1, [0, 1|2] step 2 / update,
        // [1] awareness. Step 1 gets the empty answer; changes go to everyone else unchanged.
        if (data[0] === 0 && data[1] === 0) return ws.send(EMPTY_STEP2);
        if (data[0] === 0 || data[0] === 1) {
          for (const other of room) if (other !== ws && other.readyState === 1) other.send(data);
        }
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  serveParent(
    {
      ...common,
      createRoom: (): CreatedRoom => ({ room: randomToken(22), hostKey: '' }),
      connections: () => open,
    },
    { kind, port, wsBase: `ws://127.0.0.1:${port}/yjs`, pid: process.pid } satisfies ServerReady,
  );
}

if (isMain(import.meta.url)) {
  const start = { maillage, reference, floor }[kind];
  if (!start) throw new Error(`unknown server kind ${kind}`);
  await start();
}
