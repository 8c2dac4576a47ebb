/**
 * A server whose stdout nobody reads (docs/spec.md R61): logging must never block the process.
 * With synchronous log writes the first line past the pipe's buffer stops the event loop for good
 * — no request is answered, and SIGTERM's hard deadline can never fire. Here a real server
 * process logs at trace level into a pipe that is never read, under a busy session, and must keep
 * serving and then exit within its own shutdown deadline.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { addNote, listNotes } from '@maillage/shared';
import { REPO_ROOT } from '../helpers/processes.ts';
import { tempDir } from '../helpers/server.ts';
import { connectClient, sleep, waitFor, type YClient } from '../helpers/yclient.ts';

const SHUTDOWN_TIMEOUT_MS = 3000;
const cleanup: (() => void)[] = [];
afterAll(() => {
  for (const c of cleanup) c();
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function answers(url: string, ms: number): Promise<number> {
  const res = await fetch(url, { signal: AbortSignal.timeout(ms) });
  return res.status;
}

describe('shutdown with a blocked stdout (R61)', () => {
  it('R61 a server whose stdout pipe is never read keeps serving under trace logging and exits within its deadline on SIGTERM', async () => {
    const port = await freePort();
    const dataDir = tempDir('maillage-blocked-stdout-');
    const base = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        DATABASE_URL: '',
        REDIS_URL: '',
        LOG_LEVEL: 'trace',
        ROOM_IDLE_MS: '0',
        // Every refused creation logs a warning: an easy way to write a lot of log lines.
        LIMIT_WALLS_PER_IP_PER_HOUR: '1',
        SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
      },
      // stdout is a pipe nobody ever reads; stderr is kept for the failure message.
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
    );
    const clients: YClient[] = [];
    cleanup.push(() => {
      for (const c of clients) c.destroy();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      child.stdout?.destroy();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    // Ready?
    const readyBy = Date.now() + 30_000;
    for (;;) {
      if (Date.now() > readyBy) throw new Error(`server not ready:\n${stderr}`);
      if (await answers(`${base}/readyz`, 1000).then((s) => s === 200, () => false)) break;
      await sleep(100);
    }

    // A busy session: two clients writing, and hundreds of refused wall creations, each logged.
    const created = await fetch(`${base}/api/boards`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(created.status).toBe(201);
    const b = (await created.json()) as { id: string; hostKey: string };
    const ws = `ws://127.0.0.1:${port}/yjs`;
    const writer = connectClient(ws, b.id, { key: b.hostKey });
    const reader = connectClient(ws, b.id, { key: b.hostKey });
    clients.push(writer, reader);
    await Promise.all([writer.synced, reader.synced]);
    let refused = 0;
    for (let round = 0; round < 40; round++) {
      addNote(writer.doc, { text: `note ${round}`, domainId: 'other' });
      const batch = await Promise.all(
        Array.from({ length: 50 }, () =>
          fetch(`${base}/api/boards`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then((r) => r.status),
        ),
      );
      refused += batch.filter((s) => s === 429).length;
    }
    // ~2,000 warnings of ~200 bytes: several times what a pipe and its reader's buffer hold.
    expect(refused).toBeGreaterThan(1900);

    // Still serving: probes, the API and live sync.
    expect(await answers(`${base}/healthz`, 2000)).toBe(200);
    addNote(writer.doc, { text: 'after the flood', domainId: 'other' });
    await waitFor(reader.doc, () => listNotes(reader.doc).some((n) => n.text === 'after the flood'), 5000, 'sync after the log flood');

    const t0 = Date.now();
    child.kill('SIGTERM');
    const done = await Promise.race([exited, sleep(SHUTDOWN_TIMEOUT_MS + 5000).then(() => null)]);
    if (!done) throw new Error(`still running ${SHUTDOWN_TIMEOUT_MS + 5000} ms after SIGTERM\n${stderr}`);
    expect(done.signal).toBeNull();
    expect(done.at - t0).toBeLessThan(SHUTDOWN_TIMEOUT_MS + 1000);
  });
});

/**
 * A client that stops reading (a frozen tab, a phone that lost its radio without a FIN) never
 * answers the close handshake. socket.io's close waits for the HTTP server to close, and that
 * waits for every socket, upgraded ones included; ws drops a silent peer only after 30 s. So
 * shutdown used to wait for the slowest client (an in-process close() hung past 20 s in a CI run).
 * Now it waits a short grace, then cuts what is left — after the walls are saved.
 */
describe('shutdown with clients that never answer (R240)', () => {
  it('R240 close() completes within seconds while a y-websocket peer and a raw HTTP client never read, and the wall is saved', async () => {
    const { startServer, createBoard } = await import('../helpers/server.ts');
    const srv = await startServer();
    cleanup.push(() => void srv.close().catch(() => undefined));
    const b = await createBoard(srv.http);
    const writer = connectClient(srv.ws, b.id, { key: b.hostKey });
    await writer.synced;
    addNote(writer.doc, { text: 'gardée à l’arrêt', domainId: 'other' });
    addNote(writer.doc, { text: 'et celle-ci', domainId: 'other' });

    // A peer that upgrades to the sync channel, then never reads again.
    const frozen: net.Socket[] = [];
    const upgrade = (path: string) =>
      new Promise<void>((resolve, reject) => {
        const s = net.connect(srv.port, '127.0.0.1', () => {
          s.write(
            `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
              'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
          );
        });
        s.once('error', reject);
        s.once('data', (chunk: Buffer) => {
          if (!chunk.toString('latin1').startsWith('HTTP/1.1 101')) reject(new Error(`no upgrade: ${chunk.toString('latin1').slice(0, 40)}`));
          s.pause(); // from now on, nothing is read: the close frame is never answered
          resolve();
        });
        frozen.push(s);
      });
    await upgrade(`/yjs/${b.id}?k=${b.hostKey}`);
    // And an HTTP client that sent half a request and went silent.
    const half = net.connect(srv.port, '127.0.0.1', () => half.write('GET /api/boards/x HTTP/1.1\r\nHost: 127.0.0.1\r\n'));
    half.on('error', () => undefined);
    frozen.push(half);
    cleanup.push(() => frozen.forEach((s) => s.destroy()));
    await waitFor(writer.doc, () => listNotes(writer.doc).length === 2, 5000, 'the notes are written');
    await sleep(200); // the notes reach the server

    const closed = srv.server.close().then(() => 'closed');
    const result = await Promise.race([closed, sleep(15_000).then(() => 'still closing after 15 s')]);
    writer.destroy();
    expect(result).toBe('closed');

    // The walls were saved before the stragglers were cut.
    await srv.restart();
    const again = connectClient(srv.ws, b.id, { key: b.hostKey });
    await again.synced;
    expect(listNotes(again.doc).map((n) => n.text).sort()).toEqual(['et celle-ci', 'gardée à l’arrêt']);
    again.destroy();
    await srv.close();
  }, 60_000);
});
