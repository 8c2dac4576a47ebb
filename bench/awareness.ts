/**
 * Presence at scale: bytes and messages per second that one client receives while `movers`
 * others move their cursors, with cursor positions in Yjs awareness (the stock approach) and
 * with a client-side throttle, with and without the fix for the stock provider re-sending every
 * remote awareness update it receives (yjs/yjs#732), and over the socket.io session with the
 * server batching cursors per tick (server/src/session/presence.ts). The observing client is a stock
 * y-websocket client whose socket counts frames and bytes; its cursor lag is measured from the
 * timestamp each mover puts in its cursor state.
 *
 *   npm run bench:awareness -- [--movers 500] [--hz 20] [--duration 10] [--workers 4] [--quick] [--no-doc]
 */
import path from 'node:path';
import fs from 'node:fs';
import { cliArgs, commandLine, isMain, numberArg } from './lib/cli.ts';
import { ChildProc, cpuShare, killAllChildren, spawnChild, type Usage } from './lib/ipc.ts';
import { appendToDoc, loadavg, REPO_ROOT, section, table } from './lib/report.ts';
import { fmt, now, sleep, summarize, type Summary } from './lib/stats.ts';
import { openClient, sendOnlyOwnAwareness, within } from './lib/yclient.ts';
import { WebSocket } from './lib/ws.ts';
import type { CreatedRoom, ServerReady } from './servers/child.ts';
import type { ConnectRequest, CursorRequest, SessionConnectRequest, SessionCursorRequest } from './clients/worker.ts';
import { io as ioClient, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@maillage/shared';

const SERVER_CHILD = path.join(REPO_ROOT, 'bench/servers/child.ts');
const WORKER = path.join(REPO_ROOT, 'bench/clients/worker.ts');

export interface Variant {
  name: string;
  /** Cursors in Yjs awareness over y-websocket, or over the socket.io session (server-batched). */
  transport: 'awareness' | 'socket.io';
  /** The server relaying awareness: ours (batches per tick) or the reference (relays every update). */
  server?: 'maillage' | 'reference';
  throttleMs: number;
  noEcho: boolean;
}

/** The lead's socket.io cursor relay (server/src/session/presence.ts), once it exists. */
export function socketIoCursorRelayExists(): boolean {
  const events = fs.readFileSync(path.join(REPO_ROOT, 'shared/src/protocol/events.ts'), 'utf8');
  return events.includes("'presence:cursor'") && events.includes("'presence:cursors'");
}

export const VARIANTS: Variant[] = [
  { name: 'reference server (relays every update): cursor in awareness, every move', transport: 'awareness', server: 'reference', throttleMs: 0, noEcho: false },
  { name: 'stock: cursor in awareness, every move', transport: 'awareness', throttleMs: 0, noEcho: false },
  { name: 'client throttle 100 ms', transport: 'awareness', throttleMs: 100, noEcho: false },
  { name: 'client throttle 100 ms + no re-send (#732 fix)', transport: 'awareness', throttleMs: 100, noEcho: true },
  ...(socketIoCursorRelayExists()
    ? [{ name: 'socket.io, ≤ 10 Hz, batched per 100 ms tick', transport: 'socket.io', throttleMs: 100, noEcho: true } as const]
    : []),
];

export interface AwarenessOptions {
  movers: number;
  hz: number;
  durationS: number;
  warmupS: number;
  workers: number;
  variants: Variant[];
  /** Seconds to let things settle after joining (default 1). */
  settleS?: number;
  log?: (line: string) => void;
}

export interface AwarenessRow {
  variant: string;
  movers: number;
  /** Cursor updates per second the movers published in the window. */
  publishedPerS: number;
  rxMsgsPerS: number;
  rxKBPerS: number;
  /** What the observer sent back (the stock provider re-sends what it receives). */
  txMsgsPerS: number;
  txKBPerS: number;
  /** Share of published cursor states the observer saw. */
  seen: number;
  lag: Summary;
  serverCpu: number;
  serverRssMiB: number;
  joinS: number;
}

/** A `ws` socket that counts what crosses it (payload bytes, not frame headers). */
function countingSocket(counter: { rxMsgs: number; rxBytes: number; txMsgs: number; txBytes: number }) {
  return class CountingWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      this.on('message', (data: ArrayBuffer | Buffer) => {
        counter.rxMsgs++;
        counter.rxBytes += data.byteLength;
      });
    }
    override send(data: unknown, ...rest: unknown[]): void {
      counter.txMsgs++;
      counter.txBytes += (data as { byteLength?: number }).byteLength ?? String(data).length;
      (super.send as (...a: unknown[]) => void)(data, ...rest);
    }
  };
}

/**
 * The server's CPU and memory, or null when it is too swamped to answer within 20 s (the
 * reference server under the stock load: its event loop never comes up for air).
 */
async function serverStats(srv: ChildProc): Promise<Usage | null> {
  return srv.request<Usage>('stats', {}, 20_000).catch(() => null);
}

async function oneVariant(v: Variant, o: AwarenessOptions): Promise<AwarenessRow> {
  const log = o.log ?? (() => undefined);
  const kind = v.server ?? 'maillage';
  const { proc: srv, ready } = await spawnChild<ServerReady>(`server:${kind}`, SERVER_CHILD, { args: [kind], nodeArgs: ['--expose-gc'] });
  const workers: ChildProc[] = [];
  const counter = { rxMsgs: 0, rxBytes: 0, txMsgs: 0, txBytes: 0 };
  let obs: ReturnType<typeof openClient> | null = null;
  try {
    const room = await srv.request<CreatedRoom>('createRoom');
    const w = Math.max(1, Math.min(o.workers, o.movers));
    for (let i = 0; i < w; i++) workers.push((await spawnChild(`worker${i}`, WORKER)).proc);
    const counts = workers.map((_, i) => Math.floor(o.movers / w) + (i < o.movers % w ? 1 : 0));
    obs = openClient(ready.wsBase, room.room, { awareness: true, WebSocketClass: countingSocket(counter) });
    obs.provider.awareness.setLocalState({ user: { name: 'Observer', color: '#1f3a5f' } });
    // The observer runs the same client as everyone else in this variant.
    if (v.noEcho) sendOnlyOwnAwareness(obs.provider);
    await within(obs.synced, 20_000, 'observer sync');
    const t0 = now();
    await Promise.all(
      workers.map((wk, i) =>
        wk.request(
          'connect',
          {
            wsBase: ready.wsBase,
            room: room.room,
            count: counts[i] as number,
            owners: kind === 'maillage',
            presence: { user: { name: `Participant ${i}`, color: '#f48fb1' } },
            timeoutMs: 180_000,
          } satisfies ConnectRequest,
          190_000,
        ),
      ),
    );
    const joinS = (now() - t0) / 1000;
    log(`  ${v.name}: ${o.movers} joined in ${joinS.toFixed(1)} s`);
    await sleep((o.settleS ?? 1) * 1000);

    // Cursor lag as the observer sees it: now − the mover's timestamp, per new state.
    const lags: number[] = [];
    let seen = 0;
    let measuring = false;
    obs.provider.awareness.on('change', ({ added, updated }: { added: number[]; updated: number[] }) => {
      if (!measuring) return;
      const t = now();
      const states = obs?.provider.awareness.getStates();
      for (const id of added.concat(updated)) {
        const c = (states?.get(id) as { cursor?: { t?: number } } | undefined)?.cursor;
        if (c?.t) {
          lags.push(t - c.t);
          seen++;
        }
      }
    });
    await Promise.all(
      workers.map((wk, i) =>
        wk.request('startCursors', {
          movers: Array.from({ length: counts[i] as number }, (_, k) => k),
          hz: o.hz,
          throttleMs: v.throttleMs,
          noEcho: v.noEcho,
        } satisfies CursorRequest),
      ),
    );
    await sleep(o.warmupS * 1000);
    await Promise.all(workers.map((wk) => wk.request('resetCounters', {}, 60_000)));
    const a = { ...counter };
    const sA = await serverStats(srv);
    measuring = true;
    const tA = now();
    await sleep(o.durationS * 1000);
    measuring = false;
    const tB = now();
    const b = { ...counter };
    const sB = await serverStats(srv);
    await Promise.all(workers.map((wk) => wk.request('stopCursors', {}, 60_000)));
    const published = (await Promise.all(workers.map((wk) => wk.request<{ published: number }>('publishedBetween', { from: tA, to: tB }, 60_000)))).reduce((s, x) => s + x.published, 0);
    const secs = (tB - tA) / 1000;
    return {
      variant: v.name,
      movers: o.movers,
      publishedPerS: published / secs,
      rxMsgsPerS: (b.rxMsgs - a.rxMsgs) / secs,
      rxKBPerS: (b.rxBytes - a.rxBytes) / secs / 1024,
      txMsgsPerS: (b.txMsgs - a.txMsgs) / secs,
      txKBPerS: (b.txBytes - a.txBytes) / secs / 1024,
      seen: seen / Math.max(1, published),
      lag: summarize(lags),
      serverCpu: sA && sB ? cpuShare(sA, sB) : NaN,
      serverRssMiB: sB ? sB.mem.rss / 2 ** 20 : NaN,
      joinS,
    };
  } finally {
    obs?.destroy();
    await Promise.all(workers.map((wk) => wk.request('closeAll', {}, 30_000).catch(() => undefined)));
    await Promise.all(workers.map((wk) => wk.stop()));
    await srv.stop();
  }
}

/**
 * The lead's design: awareness keeps name and colour only; pointers go over the socket.io
 * session (volatile, ≤ 10 Hz per person) and the server sends each wall one batch per tick with
 * the cursors that moved, capped per tick. Movers here are session sockets only (their y-websocket
 * side is idle while cursors move); the observer is a session socket whose engine.io packets are
 * counted. x in each cursor carries its send time (see the worker), hence the lag.
 */
async function oneSocketIoVariant(v: Variant, o: AwarenessOptions): Promise<AwarenessRow> {
  const log = o.log ?? (() => undefined);
  const { proc: srv, ready } = await spawnChild<ServerReady>('server:maillage', SERVER_CHILD, { args: ['maillage'], nodeArgs: ['--expose-gc'] });
  const workers: ChildProc[] = [];
  let obs: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
  const counter = { rxMsgs: 0, rxBytes: 0, txMsgs: 0, txBytes: 0 };
  try {
    const room = await srv.request<CreatedRoom>('createRoom');
    const base = `http://127.0.0.1:${ready.port}`;
    const w = Math.max(1, Math.min(o.workers, o.movers));
    for (let i = 0; i < w; i++) workers.push((await spawnChild(`worker${i}`, WORKER)).proc);
    const counts = workers.map((_, i) => Math.floor(o.movers / w) + (i < o.movers % w ? 1 : 0));
    const sock: Socket<ServerToClientEvents, ClientToServerEvents> = ioClient(base, { path: '/socket.io', transports: ['websocket'], forceNew: true, reconnection: false });
    obs = sock;
    await within(new Promise<void>((resolve, reject) => {
      sock.once('connect_error', reject);
      sock.once('connect', () => sock.emit('board:join', { boardId: room.room, name: 'Observer', color: '#1f3a5f' }, (r) => (r.ok ? resolve() : reject(new Error(r.error.code)))));
    }), 20_000, 'observer join');
    sock.io.engine.on('packet', (p: { type: string; data?: unknown }) => {
      if (p.type !== 'message') return;
      counter.rxMsgs++;
      counter.rxBytes += Buffer.byteLength(String(p.data ?? '')) + 1;
    });
    sock.io.engine.on('packetCreate', (p: { type: string; data?: unknown }) => {
      if (p.type !== 'message') return;
      counter.txMsgs++;
      counter.txBytes += Buffer.byteLength(String(p.data ?? '')) + 1;
    });
    const t0 = now();
    await Promise.all(workers.map((wk, i) => wk.request('ioConnect', { base, room: room.room, count: counts[i] as number, timeoutMs: 180_000 } satisfies SessionConnectRequest, 190_000)));
    const joinS = (now() - t0) / 1000;
    log(`  ${v.name}: ${o.movers} joined in ${joinS.toFixed(1)} s`);
    await sleep((o.settleS ?? 1) * 1000);

    const lags: number[] = [];
    let seen = 0;
    let measuring = false;
    sock.on('presence:cursors', (batch) => {
      if (!measuring) return;
      const t = Math.round(now()) % 1_000_000;
      for (const [, x] of batch) {
        if (x === null) continue;
        lags.push((t - x + 1_000_000) % 1_000_000);
        seen++;
      }
    });
    await Promise.all(workers.map((wk) => wk.request('ioCursors', { hz: o.hz, throttleMs: v.throttleMs } satisfies SessionCursorRequest)));
    await sleep(o.warmupS * 1000);
    await Promise.all(workers.map((wk) => wk.request('resetCounters', {}, 60_000)));
    const a = { ...counter };
    const sA = await serverStats(srv);
    measuring = true;
    const tA = now();
    await sleep(o.durationS * 1000);
    measuring = false;
    const tB = now();
    const b = { ...counter };
    const sB = await serverStats(srv);
    await Promise.all(workers.map((wk) => wk.request('stopCursors', {}, 60_000)));
    const published = (await Promise.all(workers.map((wk) => wk.request<{ published: number }>('publishedBetween', { from: tA, to: tB }, 60_000)))).reduce((s, x) => s + x.published, 0);
    const secs = (tB - tA) / 1000;
    return {
      variant: v.name,
      movers: o.movers,
      publishedPerS: published / secs,
      rxMsgsPerS: (b.rxMsgs - a.rxMsgs) / secs,
      rxKBPerS: (b.rxBytes - a.rxBytes) / secs / 1024,
      txMsgsPerS: (b.txMsgs - a.txMsgs) / secs,
      txKBPerS: (b.txBytes - a.txBytes) / secs / 1024,
      seen: seen / Math.max(1, published),
      lag: summarize(lags),
      serverCpu: sA && sB ? cpuShare(sA, sB) : NaN,
      serverRssMiB: sB ? sB.mem.rss / 2 ** 20 : NaN,
      joinS,
    };
  } finally {
    obs?.disconnect();
    await Promise.all(workers.map((wk) => wk.request('closeAll', {}, 30_000).catch(() => undefined)));
    await Promise.all(workers.map((wk) => wk.stop()));
    await srv.stop();
  }
}

export async function run(o: AwarenessOptions): Promise<{ rows: AwarenessRow[]; loadBefore: string; loadAfter: string }> {
  const loadBefore = loadavg();
  const rows: AwarenessRow[] = [];
  try {
    for (const v of o.variants) {
      rows.push(await (v.transport === 'socket.io' ? oneSocketIoVariant(v, o) : oneVariant(v, o)));
      await sleep((o.settleS ?? 1) * 500);
    }
  } finally {
    killAllChildren();
  }
  return { rows, loadBefore, loadAfter: loadavg() };
}

export function render(rows: AwarenessRow[], o: AwarenessOptions): string {
  const t = table(
    ['variant', 'published/s', 'rx msgs/s', 'rx KB/s', 'tx msgs/s', 'tx KB/s', 'seen', 'lag p50 ms', 'lag p95 ms', 'server CPU', 'server RSS MiB', 'join s'],
    rows.map((r) => [
      r.variant,
      fmt(r.publishedPerS),
      fmt(r.rxMsgsPerS),
      fmt(r.rxKBPerS),
      fmt(r.txMsgsPerS),
      fmt(r.txKBPerS),
      `${(r.seen * 100).toFixed(0)} %`,
      fmt(r.lag.p50),
      fmt(r.lag.p95),
      Number.isFinite(r.serverCpu) ? `${Math.round(r.serverCpu * 100)} %` : 'no answer',
      fmt(r.serverRssMiB),
      fmt(r.joinS),
    ]),
  );
  return [
    `${o.movers} movers, each moving its cursor ${o.hz} times a second, over ${o.durationS} s after ${o.warmupS} s of warm-up; ` +
      'rx/tx = what one other (idle) stock client receives and sends, payload bytes. "seen" = cursor states the observer ' +
      'received / states published; lag = arrival − the mover\'s timestamp. Awareness state: {user: {name, color}, cursor: {x, y, t}}. ' +
      'Our server batches awareness: one combined update per 100 ms tick (server/src/sync/Room.ts); the reference server ' +
      'relays every update to everyone. "published/s" below movers × rate means the movers\' own processes could not keep up ' +
      '(each also receives and applies everyone else\'s cursors).',
    '',
    t,
    '',
    socketIoCursorRelayExists()
      ? 'socket.io row: the server relay (server/src/session/presence.ts) sends each wall one batch per 100 ms tick with at ' +
        'most 50 cursors (most recent first), so "seen" is capped at 500 cursor states/s by design; its x carries the send ' +
        'time, hence the lag. Its movers hold no y-websocket connection (idle while cursors move).'
      : 'Batched cursors over socket.io: pending — the relay does not exist yet (no `presence:cursor` event in ' +
        'shared/src/protocol/events.ts).',
  ].join('\n');
}

if (isMain(import.meta.url)) {
  const a = cliArgs(['movers', 'hz', 'duration', 'warmup', 'workers']);
  const opts: AwarenessOptions = {
    movers: numberArg(a.values.movers, a.quick ? 10 : 500),
    hz: numberArg(a.values.hz, 20),
    durationS: numberArg(a.values.duration, a.quick ? 2 : 10),
    warmupS: numberArg(a.values.warmup, a.quick ? 0.5 : 2),
    workers: numberArg(a.values.workers, a.quick ? 2 : 4),
    variants: VARIANTS,
    log: (l) => console.log(l),
  };
  const started = new Date();
  const res = await run(opts);
  const body = render(res.rows, opts);
  console.log(`\n${body}\n`);
  if (!a.noDoc) {
    appendToDoc(
      section({
        title: 'Awareness (presence)',
        command: commandLine('awareness'),
        started,
        loadBefore: res.loadBefore,
        loadAfter: res.loadAfter,
        versionNames: ['yjs', 'y-websocket', 'y-protocols', 'ws'],
        body,
      }),
    );
    console.log('appended to docs/benchmarks.md');
  }
  process.exit(0);
}
