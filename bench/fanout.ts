/**
 * Fan-out: N stock y-websocket clients on one wall; one client at a time adds or moves a note,
 * `rate` changes per second; latency from the change (sender's clock) to its arrival at every
 * other client (receiver's clock; same machine, so one clock). The same load, in the same run,
 * against our server, the reference server (@y/websocket-server) and a bare `ws` relay of the
 * same bytes (the floor). Clients are spread over worker processes; each server runs in its own
 * process, where its CPU and memory are read.
 *
 *   npm run bench:fanout -- [--n 100,500,1000] [--duration 20] [--rate 10] [--workers 4]
 *                           [--servers maillage,reference,floor] [--rounds 2] [--quiet-below 2]
 *                           [--quick] [--no-doc]
 */
import os from 'node:os';
import path from 'node:path';
import { cliArgs, isMain, numberArg, numberList } from './lib/cli.ts';
import { ChildProc, cpuShare, killAllChildren, spawnChild, type Usage } from './lib/ipc.ts';
import { loadavg, REPO_ROOT, publish, table, waitForQuiet } from './lib/report.ts';
import { fmt, now, sleep, summarize, type Summary } from './lib/stats.ts';
import { templateUpdate } from './lib/notes.ts';
import type { CreatedRoom, ServerKind, ServerReady } from './servers/child.ts';
import type { ChangeRequest, ConnectRequest } from './clients/worker.ts';

const SERVER_CHILD = path.join(REPO_ROOT, 'bench/servers/child.ts');
const WORKER = path.join(REPO_ROOT, 'bench/clients/worker.ts');

export interface FanoutOptions {
  ns: number[];
  servers: ServerKind[];
  /** Seconds of measured changes per run. */
  durationS: number;
  /** Seconds of unmeasured changes before. */
  warmupS: number;
  /** Changes per second. */
  rate: number;
  workers: number;
  /** Seconds to let things settle after connecting (default 1). */
  settleS?: number;
  /** Each server is measured this many times, in alternating order; samples are pooled. */
  rounds: number;
  /** Wait (bounded) for the 1-minute load average to fall below this before each run. */
  quietBelow?: number;
  /** Extra node flags for the server process (e.g. --cpu-prof). */
  serverNodeArgs?: string[];
  log?: (line: string) => void;
}

export interface FanoutRow {
  server: ServerKind;
  n: number;
  latency: Summary;
  /** Deliveries seen / deliveries expected (changes × (N − 1)). */
  delivered: number;
  changes: number;
  /** Server CPU while changes flowed, in cores (1 = one core busy). */
  serverCpu: number;
  /** Server RSS at the end of the measured changes, MiB. */
  serverRssMiB: number;
  /** Idle connections: (RSS after connect − RSS before) / N, after a full GC. KiB. */
  rssPerConnKiB: number;
  /** Same for V8 heap + external + array buffers. KiB. */
  heapPerConnKiB: number;
  /** All client workers together, in cores. */
  clientCpu: number;
  /** Seconds to connect and sync all N clients. */
  connectS: number;
  /** 1-minute load average when each round started. */
  load: number[];
  /** p99 of each round on its own. */
  p99PerRound: number[];
  /**
   * Backlog check: median latency of the last quarter of the changes ÷ that of the first
   * quarter (worst round). Near 1 when the system keeps up; growing when queues build (here,
   * usually the client side running out of CPU on a shared machine).
   */
  trend: number;
  rounds: number;
}

export interface FanoutResult {
  rows: FanoutRow[];
  ratios: { n: number; vsReference: { p50: number; p99: number }; vsFloor: { p50: number; p99: number } }[];
  loadBefore: string;
  loadAfter: string;
}

async function oneRun(kind: ServerKind, n: number, o: FanoutOptions): Promise<{ row: FanoutRow; lat: number[]; lost: number }> {
  const log = o.log ?? (() => undefined);
  const { proc: srv, ready } = await spawnChild<ServerReady>(`server:${kind}`, SERVER_CHILD, {
    args: [kind],
    nodeArgs: ['--expose-gc', ...(o.serverNodeArgs ?? [])],
  });
  const workers: ChildProc[] = [];
  try {
    const room = await srv.request<CreatedRoom>('createRoom');
    const before = await srv.request<Usage>('gcStats');
    const w = Math.max(1, Math.min(o.workers, n));
    const workerNodeArgs = process.env.BENCH_WORKER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    for (let i = 0; i < w; i++) workers.push((await spawnChild(`worker${i}`, WORKER, { nodeArgs: workerNodeArgs })).proc);
    // Client g lives in worker g % w at local index floor(g / w).
    const counts = workers.map((_, i) => Math.floor(n / w) + (i < n % w ? 1 : 0));
    const initialUpdate = kind === 'floor' ? templateUpdate() : undefined;
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
            initialUpdate,
            presence: null,
            timeoutMs: 120_000,
          } satisfies ConnectRequest,
          130_000,
        ),
      ),
    );
    const connectS = (now() - t0) / 1000;
    await sleep((o.settleS ?? 1) * 1000);
    const idle = await srv.request<Usage>('gcStats');
    const heapOf = (u: Usage) => u.mem.heapUsed + u.mem.external + u.mem.arrayBuffers;
    log(`  ${kind} n=${n}: connected in ${connectS.toFixed(1)} s`);
    await Promise.all(workers.map((wk) => wk.request('observe')));

    const interval = 1000 / o.rate;
    const warm = Math.round(o.warmupS * o.rate);
    const total = warm + Math.max(1, Math.round(o.durationS * o.rate));
    const replies = new Map<number, Promise<{ t0: number; noteId: string }>>();
    const added: { client: number; noteId: string }[] = [];
    let srvA: Usage | null = null;
    let wA: Usage[] = [];
    const start = now();
    for (let seq = 0; seq < total; seq++) {
      if (seq === warm) {
        srvA = await srv.request<Usage>('stats');
        wA = await Promise.all(workers.map((wk) => wk.request<Usage>('stats')));
      }
      const wait = start + seq * interval - now();
      if (wait > 0) await sleep(wait);
      let client = Math.floor(Math.random() * n);
      let noteId: string | undefined;
      if (seq % 2 === 1 && added.length) {
        const pick = added[Math.floor(Math.random() * added.length)] as { client: number; noteId: string };
        client = pick.client;
        noteId = pick.noteId;
      }
      const wk = workers[client % w] as ChildProc;
      const req: ChangeRequest = { client: Math.floor(client / w), seq, ...(noteId ? { noteId } : {}) };
      const p = wk.request<{ t0: number; noteId: string }>('change', req);
      replies.set(seq, p);
      if (!noteId) void p.then((r) => added.push({ client, noteId: r.noteId }), () => undefined);
    }
    const srvB = await srv.request<Usage>('stats');
    const wB = await Promise.all(workers.map((wk) => wk.request<Usage>('stats')));
    // Drain: wait until every client has every change, or give up after 10 s.
    const drainEnd = now() + 10_000;
    while (now() < drainEnd) {
      const m = await Promise.all(workers.map((wk) => wk.request<{ missing: number }>('progress')));
      if (m.every((x) => x.missing === 0)) break;
      await sleep(200);
    }
    const sent = new Map<number, number>();
    for (const [seq, p] of replies) sent.set(seq, (await p).t0);
    const lat: number[] = [];
    const perChange = new Map<number, number[]>();
    let lost = 0;
    for (const wk of workers) {
      const arr = await wk.request<Map<number, Float64Array>>('collect', {}, 60_000);
      for (const [seq, times] of arr) {
        const s = sent.get(seq);
        if (seq < warm || s === undefined) continue;
        const mine = perChange.get(seq) ?? [];
        perChange.set(seq, mine);
        for (const t of times) {
          if (t === -1) continue;
          if (Number.isNaN(t)) lost++;
          else {
            lat.push(t - s);
            mine.push(t - s);
          }
        }
      }
    }
    const seqs = [...perChange.keys()].sort((x, y) => x - y);
    const quarter = Math.max(1, Math.floor(seqs.length / 4));
    const medianOf = (list: number[]) => summarize(list.flatMap((q) => perChange.get(q) ?? [])).p50;
    const trend = medianOf(seqs.slice(-quarter)) / medianOf(seqs.slice(0, quarter));
    if (process.env.BENCH_DEBUG) {
      for (const [seq, l] of [...perChange].sort((x, y) => x[0] - y[0])) {
        const s = summarize(l);
        log(`    seq ${seq} t=${((sent.get(seq) as number) - start).toFixed(0)} p50 ${fmt(s.p50)} max ${fmt(s.max)}`);
      }
    }
    const row: FanoutRow = {
      server: kind,
      n,
      latency: summarize(lat),
      delivered: lat.length / Math.max(1, lat.length + lost),
      changes: total - warm,
      serverCpu: srvA ? cpuShare(srvA, srvB) : NaN,
      serverRssMiB: srvB.mem.rss / 2 ** 20,
      rssPerConnKiB: (idle.mem.rss - before.mem.rss) / n / 1024,
      heapPerConnKiB: (heapOf(idle) - heapOf(before)) / n / 1024,
      clientCpu: wA.reduce((sum, a, i) => sum + cpuShare(a, wB[i] as Usage), 0),
      connectS,
      load: [],
      p99PerRound: [],
      trend,
      rounds: 1,
    };
    return { row, lat, lost };
  } finally {
    await Promise.all(workers.map((wk) => wk.request('closeAll', {}, 30_000).catch(() => undefined)));
    await Promise.all(workers.map((wk) => wk.stop()));
    await srv.stop();
  }
}

export async function run(o: FanoutOptions): Promise<FanoutResult> {
  const loadBefore = loadavg();
  const rows: FanoutRow[] = [];
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  try {
    for (const n of o.ns) {
      const runs = new Map<ServerKind, { row: FanoutRow; lat: number[]; lost: number; load: number }[]>();
      for (let round = 0; round < o.rounds; round++) {
        const order = round % 2 ? [...o.servers].reverse() : o.servers;
        for (const kind of order) {
          const load = o.quietBelow ? await waitForQuiet(o.quietBelow, 120, o.log) : (os.loadavg()[0] as number);
          const r = await oneRun(kind, n, o);
          o.log?.(`  ${kind} n=${n} round ${round + 1}: p50 ${fmt(r.row.latency.p50)} p99 ${fmt(r.row.latency.p99)} ms (load ${load.toFixed(2)})`);
          runs.set(kind, [...(runs.get(kind) ?? []), { ...r, load }]);
          await sleep((o.settleS ?? 1) * 500);
        }
      }
      for (const kind of o.servers) {
        const rs = runs.get(kind) ?? [];
        const lat = rs.flatMap((r) => r.lat);
        const lost = rs.reduce((s, r) => s + r.lost, 0);
        const avg = (f: (r: FanoutRow) => number) => mean(rs.map((r) => f(r.row)));
        rows.push({
          server: kind,
          n,
          latency: summarize(lat),
          delivered: lat.length / Math.max(1, lat.length + lost),
          changes: rs.reduce((s, r) => s + r.row.changes, 0),
          serverCpu: avg((r) => r.serverCpu),
          serverRssMiB: avg((r) => r.serverRssMiB),
          rssPerConnKiB: avg((r) => r.rssPerConnKiB),
          heapPerConnKiB: avg((r) => r.heapPerConnKiB),
          clientCpu: avg((r) => r.clientCpu),
          connectS: avg((r) => r.connectS),
          load: rs.map((r) => r.load),
          p99PerRound: rs.map((r) => r.row.latency.p99),
          trend: Math.max(...rs.map((r) => r.row.trend)),
          rounds: rs.length,
        });
      }
    }
  } finally {
    killAllChildren();
  }
  const ratios = o.ns.map((n) => {
    const get = (k: ServerKind) => rows.find((r) => r.n === n && r.server === k)?.latency;
    const ours = get('maillage');
    const ref = get('reference');
    const fl = get('floor');
    const r = (a?: Summary, b?: Summary, p: 'p50' | 'p99' = 'p50') => (a && b ? a[p] / b[p] : NaN);
    return {
      n,
      vsReference: { p50: r(ours, ref, 'p50'), p99: r(ours, ref, 'p99') },
      vsFloor: { p50: r(ours, fl, 'p50'), p99: r(ours, fl, 'p99') },
    };
  });
  return { rows, ratios, loadBefore, loadAfter: loadavg() };
}

export function render(res: FanoutResult, o: FanoutOptions): string {
  const t1 = table(
    ['N', 'server', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'p99 per round', 'backlog', 'delivered', 'server CPU', 'server RSS MiB', 'RSS/idle conn KiB', 'heap/idle conn KiB', 'clients CPU', 'connect s', 'load (1 min)'],
    res.rows.map((r) => [
      r.n,
      r.server,
      fmt(r.latency.p50),
      fmt(r.latency.p95),
      fmt(r.latency.p99),
      fmt(r.latency.max),
      r.p99PerRound.map((x) => fmt(x)).join(', '),
      `${fmt(r.trend)}×`,
      `${(r.delivered * 100).toFixed(1)} %`,
      `${Math.round(r.serverCpu * 100)} %`,
      fmt(r.serverRssMiB),
      fmt(r.rssPerConnKiB),
      fmt(r.heapPerConnKiB),
      `${Math.round(r.clientCpu * 100)} %`,
      fmt(r.connectS),
      r.load.map((l) => l.toFixed(1)).join(', '),
    ]),
  );
  const t2 = table(
    ['N', 'ours / reference p50', 'ours / reference p99', 'ours / floor p50', 'ours / floor p99'],
    res.ratios.map((r) => [r.n, fmt(r.vsReference.p50), fmt(r.vsReference.p99), fmt(r.vsFloor.p50), fmt(r.vsFloor.p99)]),
  );
  return [
    `${o.rate} changes/s (alternately a new note and a move of one, each by a random client) for ${o.durationS} s after ` +
      `${o.warmupS} s of warm-up, ${o.rounds} round(s) per server in alternating order, samples pooled; latency = arrival at each other client − the sender's change, over every ` +
      `(change, recipient) pair. Clients in ${o.workers} worker processes; awareness off (presence is the awareness bench). ` +
      'CPU in % of one core. "backlog" = median latency of the last quarter of the changes ÷ the first quarter\'s (worst ' +
      'round): well above 1 means queues grew during the run — on this 2-core machine that is the client side (each ' +
      'stock client applies every change: ~1.2 cores for 1,000 clients) starved by other work, not the server.',
    '',
    t1,
    '',
    t2,
  ].join('\n');
}

if (isMain(import.meta.url)) {
  const a = cliArgs(['n', 'duration', 'warmup', 'rate', 'workers', 'servers', 'rounds', 'quiet-below']);
  const opts: FanoutOptions = {
    ns: numberList(a.values.n, a.quick ? [20] : [100, 500, 1000]),
    servers: typeof a.values.servers === 'string' ? (a.values.servers.split(',') as ServerKind[]) : ['maillage', 'reference', 'floor'],
    durationS: numberArg(a.values.duration, a.quick ? 3 : 20),
    warmupS: numberArg(a.values.warmup, a.quick ? 0.5 : 2),
    rate: numberArg(a.values.rate, 10),
    workers: numberArg(a.values.workers, a.quick ? 2 : 4),
    rounds: numberArg(a.values.rounds, a.quick ? 1 : 2),
    quietBelow: a.quick ? undefined : numberArg(a.values['quiet-below'], 2),
    serverNodeArgs: process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean),
    log: (l) => console.log(l),
  };
  const started = new Date();
  const res = await run(opts);
  publish({
    title: 'Fan-out',
    script: 'fanout',
    noDoc: a.noDoc,
    started,
    loadBefore: res.loadBefore,
    loadAfter: res.loadAfter,
    versionNames: ['yjs', 'y-websocket', 'y-protocols', '@y/websocket-server', 'ws'],
    body: render(res, opts),
  });
}
