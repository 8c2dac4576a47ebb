/**
 * Presence at scale: bytes and messages per second that one client receives while `movers`
 * others move their cursors, with cursor positions in Yjs awareness (the stock approach) and
 * with a client-side throttle, with and without the fix for the stock provider re-sending every
 * remote awareness update it receives (yjs/yjs#732). The observing client is a stock
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
import type { ConnectRequest, CursorRequest } from './clients/worker.ts';

const SERVER_CHILD = path.join(REPO_ROOT, 'bench/servers/child.ts');
const WORKER = path.join(REPO_ROOT, 'bench/clients/worker.ts');

export interface Variant {
  name: string;
  throttleMs: number;
  noEcho: boolean;
}

export const VARIANTS: Variant[] = [
  { name: 'stock: cursor in awareness, every move', throttleMs: 0, noEcho: false },
  { name: 'client throttle 100 ms', throttleMs: 100, noEcho: false },
  { name: 'client throttle 100 ms + no re-send (#732 fix)', throttleMs: 100, noEcho: true },
];

export interface AwarenessOptions {
  movers: number;
  hz: number;
  durationS: number;
  warmupS: number;
  workers: number;
  variants: Variant[];
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

async function oneVariant(v: Variant, o: AwarenessOptions): Promise<AwarenessRow> {
  const log = o.log ?? (() => undefined);
  const { proc: srv, ready } = await spawnChild<ServerReady>('server:maillage', SERVER_CHILD, { args: ['maillage'], nodeArgs: ['--expose-gc'] });
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
            owners: true,
            presence: { user: { name: `Participant ${i}`, color: '#f48fb1' } },
            timeoutMs: 180_000,
          } satisfies ConnectRequest,
          190_000,
        ),
      ),
    );
    const joinS = (now() - t0) / 1000;
    log(`  ${v.name}: ${o.movers} joined in ${joinS.toFixed(1)} s`);
    await sleep(1000);

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
    const sA = await srv.request<Usage>('stats', {}, 60_000);
    measuring = true;
    const tA = now();
    await sleep(o.durationS * 1000);
    measuring = false;
    const tB = now();
    const b = { ...counter };
    const sB = await srv.request<Usage>('stats', {}, 60_000);
    const published = (await Promise.all(workers.map((wk) => wk.request<{ published: number }>('stopCursors', {}, 60_000)))).reduce((s, x) => s + x.published, 0);
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
      serverCpu: cpuShare(sA, sB),
      serverRssMiB: sB.mem.rss / 2 ** 20,
      joinS,
    };
  } finally {
    obs?.destroy();
    await Promise.all(workers.map((wk) => wk.request('closeAll', {}, 30_000).catch(() => undefined)));
    await Promise.all(workers.map((wk) => wk.stop()));
    await srv.stop();
  }
}

/** The lead's socket.io cursor relay, once it exists (a 'cursor' event in the shared event map). */
export function socketIoCursorRelayExists(): boolean {
  const events = fs.readFileSync(path.join(REPO_ROOT, 'shared/src/protocol/events.ts'), 'utf8');
  return /['"]cursor[:'"]/.test(events);
}

export async function run(o: AwarenessOptions): Promise<{ rows: AwarenessRow[]; loadBefore: string; loadAfter: string }> {
  const loadBefore = loadavg();
  const rows: AwarenessRow[] = [];
  try {
    for (const v of o.variants) {
      rows.push(await oneVariant(v, o));
      await sleep(500);
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
      `${Math.round(r.serverCpu * 100)} %`,
      fmt(r.serverRssMiB),
      fmt(r.joinS),
    ]),
  );
  return [
    `${o.movers} movers, each moving its cursor ${o.hz} times a second, over ${o.durationS} s after ${o.warmupS} s of warm-up; ` +
      'rx/tx = what one other (idle) stock client receives and sends, payload bytes. "seen" = cursor states the observer ' +
      'received / states published; lag = arrival − the mover\'s timestamp. Awareness state: {user: {name, color}, cursor: {x, y, t}}.',
    '',
    t,
    '',
    socketIoCursorRelayExists()
      ? 'The socket.io cursor relay exists but is not benchmarked here yet.'
      : 'Batched cursors over socket.io (the server sends each client one message per tick with every cursor that moved): ' +
        'pending — the relay does not exist yet (no `cursor` event in shared/src/protocol/events.ts).',
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
