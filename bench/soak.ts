/**
 * Soak: a busy session's worth of work, compressed in time, against one server process whose
 * memory is sampled after full GCs. `clients` participants (plus one host) each add, move, edit
 * and delete their own notes at a realistic rate for `sessionMin` minutes of session, played in
 * `durationS` seconds; awareness is renewed as the stock provider does (every 15 s of session
 * time), a fifth of the people move their cursors over socket.io at 10 Hz, the host edits a
 * domain now and then, and people reload the page (disconnect, reconnect with a fresh copy).
 *
 * At the end every client must hold the same wall, the store must hold exactly that wall, and
 * that wall must be the one the test expects from every operation it made (nothing lost, nothing
 * resurrected); and the server's heap must be flat: the average of the last third of the samples
 * no more than 1.5 × the first third's plus a little slack.
 *
 *   npm run bench:soak -- [--clients 60] [--session 30] [--duration 300] [--walls 2] [--no-doc]
 *
 * test/integration/soak.test.ts runs the short form (40 clients, 30 minutes in ~20 s).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { io as ioClient, type Socket } from 'socket.io-client';
import {
  addNote,
  deleteNote,
  listDomains,
  ownerIdFromSecret,
  roots,
  updateDomain,
  updateNote,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '@maillage/shared';
import { cliArgs, commandLine, isMain, numberArg } from './lib/cli.ts';
import { killAllChildren, serveParent, spawnChild, usage } from './lib/ipc.ts';
import { appendToDoc, loadavg, section, table } from './lib/report.ts';
import { fmt, sleep } from './lib/stats.ts';

export interface SoakOptions {
  /** Participants (one host more per wall). */
  clients: number;
  /** Walls the participants are spread over. */
  walls: number;
  /** Minutes of session to play. */
  sessionMin: number;
  /** Seconds to play them in. */
  durationS: number;
  /** Seconds between memory samples. */
  sampleEveryS: number;
  log?: (line: string) => void;
}

export interface SoakResult {
  ops: { add: number; move: number; edit: number; delete: number; domain: number; awareness: number; cursor: number; reload: number };
  notes: number;
  /** Every client and the store hold the expected wall. */
  converged: boolean;
  mismatches: string[];
  /** Server heap used after GC, and RSS, in MiB, one sample per `sampleEveryS`. */
  heapMiB: number[];
  rssMiB: number[];
  /** Average of the last third of the heap samples ÷ the first third's. */
  heapRatio: number;
  heapFlat: boolean;
  /**
   * Heap after everyone left and the walls were unloaded, and whether it came back to within
   * 20 % (+ 4 MiB) of the heap before the session: what a leak would keep.
   */
  heapAfterMiB: number;
  released: boolean;
  elapsedS: number;
  /** Seconds the play took (`durationS` when the machine kept up with the ticks). */
  playedS: number;
}

/** Per participant per session (the counts of a busy 30-minute relationship-mapping round). */
const PER_SESSION = { add: 10, move: 20, edit: 8, delete: 2, reload: 1 };
/** The stock provider renews awareness every 15 s of real time. */
const AWARENESS_RENEW_S = 15;
const HOST_DOMAIN_EDITS = 6;

type Expected = Map<string, { text: string; x: number; y: number; domainId: string }>;

interface Person {
  secret: string;
  ownerId: string;
  wall: number;
  doc: Y.Doc;
  provider: WebsocketProvider;
  mine: string[];
}

function connect(wsBase: string, wall: string, params: Record<string, string>): { doc: Y.Doc; provider: WebsocketProvider } {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(wsBase, wall, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params,
    disableBc: true,
    maxBackoffTime: 500,
  });
  return { doc, provider };
}

const synced = (p: WebsocketProvider): Promise<void> =>
  new Promise((resolve) => (p.synced ? resolve() : p.once('sync', (s: boolean) => s && resolve())));

/** Notes of a document in a comparable form. */
function notesOf(doc: Y.Doc): Record<string, { text: string; x: number; y: number; domainId: string }> {
  const out: Record<string, { text: string; x: number; y: number; domainId: string }> = {};
  roots(doc).notes.forEach((m, id) => {
    out[id] = { text: m.get('text') as string, x: m.get('x') as number, y: m.get('y') as number, domainId: m.get('domainId') as string };
  });
  return out;
}

const sortKeys = <T>(o: Record<string, T>): Record<string, T> => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));

/** Starts the server child, plays the session, checks convergence and memory. */
export async function runSoak(opts: SoakOptions): Promise<SoakResult> {
  const log = opts.log ?? (() => undefined);
  const compression = (opts.sessionMin * 60) / opts.durationS;
  const { proc, ready } = await spawnChild<{ port: number }>('soak-server', import.meta.filename, { args: ['server'], nodeArgs: ['--expose-gc'] });
  const started = Date.now();
  const people: Person[] = [];
  const cursors: Socket<ServerToClientEvents, ClientToServerEvents>[] = [];
  const hosts: { doc: Y.Doc; provider: WebsocketProvider }[] = [];
  const timers: NodeJS.Timeout[] = [];
  try {
    const wsBase = `ws://127.0.0.1:${ready.port}/yjs`;
    const walls = await Promise.all(Array.from({ length: opts.walls }, () => proc.request<{ id: string; hostKey: string }>('createWall')));
    const expected: Expected[] = walls.map(() => new Map());
    const ops: SoakResult['ops'] = { add: 0, move: 0, edit: 0, delete: 0, domain: 0, awareness: 0, cursor: 0, reload: 0 };

    for (const w of walls) hosts.push(connect(wsBase, w.id, { k: w.hostKey }));
    for (let i = 0; i < opts.clients; i++) {
      const secret = `soak-device-secret-${String(i).padStart(6, '0')}`;
      const wall = i % opts.walls;
      const { doc, provider } = connect(wsBase, (walls[wall] as { id: string }).id, { o: secret });
      provider.awareness.setLocalStateField('user', { name: `P${i}`, color: '#336699' });
      people.push({ secret, ownerId: ownerIdFromSecret(secret), wall, doc, provider, mine: [] });
    }
    await Promise.all([...hosts, ...people].map((c) => synced(c.provider)));
    log(`  ${opts.clients} participants and ${opts.walls} hosts connected; ${opts.sessionMin} min of session in ${opts.durationS} s (×${fmt(compression)})`);

    // Cursors: a fifth of the people, 10 Hz, real time (a rate, not a count, so not compressed).
    for (let i = 0; i < Math.max(1, Math.floor(opts.clients / 5)); i++) {
      const s: Socket<ServerToClientEvents, ClientToServerEvents> = ioClient(`http://127.0.0.1:${ready.port}`, { transports: ['websocket'], forceNew: true });
      cursors.push(s);
      const p = people[i] as Person;
      s.emit('board:join', { boardId: (walls[p.wall] as { id: string }).id, ownerSecret: p.secret, name: `P${i}` }, () => undefined);
      let t = 0;
      timers.push(
        setInterval(() => {
          t++;
          s.volatile.emit('presence:cursor', [Math.round(400 + 300 * Math.cos(t / 10 + i)), Math.round(300 + 200 * Math.sin(t / 10 + i))]);
          ops.cursor++;
        }, 100),
      );
    }

    // Each person's next operation is drawn from the per-session rates, compressed.
    const perSecond = (perSession: number) => (perSession / (opts.sessionMin * 60)) * compression;
    const rates = Object.fromEntries(Object.entries(PER_SESSION).map(([k, v]) => [k, perSecond(v)])) as Record<keyof typeof PER_SESSION, number>;
    const totalRate = Object.values(rates).reduce((a, b) => a + b, 0);
    const TICK_MS = 50;
    const domainIds = listDomains((hosts[0] as { doc: Y.Doc }).doc).map((d) => d.id);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)] as T;

    const act = (p: Person): void => {
      const exp = expected[p.wall] as Expected;
      let r = Math.random() * totalRate;
      const kind = (Object.keys(rates) as (keyof typeof PER_SESSION)[]).find((k) => (r -= rates[k]) < 0) ?? 'add';
      if (kind === 'reload' && p.provider.wsconnected) {
        // A page reload: the old tab goes, a new one syncs from the server (no local copy).
        p.provider.destroy();
        p.doc.destroy();
        const fresh = connect(wsBase, (walls[p.wall] as { id: string }).id, { o: p.secret });
        fresh.provider.awareness.setLocalStateField('user', { name: 'again', color: '#336699' });
        p.doc = fresh.doc;
        p.provider = fresh.provider;
        ops.reload++;
        return;
      }
      if (!p.provider.synced) return; // still loading after a reload: people wait for the wall
      const mine = p.mine.filter((id) => roots(p.doc).notes.has(id));
      if (kind === 'add' || mine.length === 0) {
        const text = `idée ${ops.add} de ${p.ownerId.slice(0, 4)}`;
        const domainId = pick(domainIds);
        const id = addNote(p.doc, { text, domainId, ownerId: p.ownerId, author: 'P', x: 10, y: 10 });
        p.mine.push(id);
        exp.set(id, { text, x: 10, y: 10, domainId });
        ops.add++;
      } else if (kind === 'move') {
        const id = pick(mine);
        const patch = { x: Math.round(Math.random() * 300), y: Math.round(Math.random() * 900), domainId: pick(domainIds) };
        updateNote(p.doc, id, patch);
        Object.assign(exp.get(id) as object, patch);
        ops.move++;
      } else if (kind === 'edit') {
        const id = pick(mine);
        const text = `${(exp.get(id) as { text: string }).text.slice(0, 400)} +`;
        updateNote(p.doc, id, { text });
        (exp.get(id) as { text: string }).text = text;
        ops.edit++;
      } else if (kind === 'delete') {
        const id = pick(mine);
        deleteNote(p.doc, id);
        exp.delete(id);
        ops.delete++;
      }
    };

    const heap: number[] = [];
    const rss: number[] = [];
    const sample = async () => {
      const u = await proc.request<ReturnType<typeof usage>>('gcStats', {}, 10_000);
      heap.push(u.mem.heapUsed / 2 ** 20);
      rss.push(u.mem.rss / 2 ** 20);
    };
    await sample();

    // The session is a fixed number of ticks, each TICK_MS apart when the machine keeps up: on a
    // loaded machine the play takes longer but holds the same session (the same expected numbers
    // of notes written, moved, edited, deleted, reloads and renewals), so what the run checks does
    // not depend on the load. Only the cursors and the heap samples run on the clock.
    const ticks = Math.round((opts.durationS * 1000) / TICK_MS);
    const awarenessEveryTicks = Math.max(1, Math.round((AWARENESS_RENEW_S * 1000) / compression / TICK_MS));
    const domainEveryTicks = Math.max(1, Math.round(ticks / HOST_DOMAIN_EDITS));
    let lastSample = Date.now();
    const playStart = Date.now();
    let nextTickAt = playStart;
    for (let tick = 1; tick <= ticks; tick++) {
      nextTickAt += TICK_MS;
      for (const p of people) if (Math.random() < (totalRate * TICK_MS) / 1000) act(p);
      if (tick % awarenessEveryTicks === 0) {
        for (const p of people) {
          p.provider.awareness.setLocalStateField('user', { name: `P${ops.awareness % 97}`, color: '#336699' });
          ops.awareness++;
        }
      }
      if (tick % domainEveryTicks === 0) {
        for (const h of hosts) updateDomain(h.doc, pick(domainIds), { title: { fr: `Domaine ${ops.domain}`, en: `Domain ${ops.domain}` } });
        ops.domain++;
      }
      if (Date.now() - lastSample >= opts.sampleEveryS * 1000) {
        lastSample = Date.now();
        await sample();
      }
      // Behind schedule, the next tick still yields to the event loop (sockets, the server's answers).
      await sleep(Math.max(0, nextTickAt - Date.now()));
    }
    const playedS = (Date.now() - playStart) / 1000;
    for (const t of timers) clearInterval(t);
    log(`  played in ${fmt(playedS)} s: ${JSON.stringify(ops)}`);

    // Convergence: every client (and a fresh one), the store, and the model agree.
    const mismatches: string[] = [];
    const want = expected.map((e) => sortKeys(Object.fromEntries(e)));
    const settleUntil = Date.now() + 20_000;
    const clientsOf = (w: number) => [hosts[w] as { doc: Y.Doc; provider: WebsocketProvider }, ...people.filter((p) => p.wall === w)];
    const agree = () =>
      walls.every((_, w) => clientsOf(w).every((c) => JSON.stringify(sortKeys(notesOf(c.doc))) === JSON.stringify(want[w])));
    while (!agree() && Date.now() < settleUntil) await sleep(250);
    for (const [w, wall] of walls.entries()) {
      for (const c of clientsOf(w)) {
        const got = sortKeys(notesOf(c.doc));
        if (JSON.stringify(got) !== JSON.stringify(want[w])) mismatches.push(`wall ${w}: a client has ${Object.keys(got).length} notes, expected ${Object.keys(want[w] ?? {}).length}`);
      }
      const stored = sortKeys(await proc.request<Record<string, { text: string; x: number; y: number; domainId: string }>>('storedNotes', { id: wall.id }, 30_000));
      if (JSON.stringify(stored) !== JSON.stringify(want[w])) {
        const missing = Object.keys(want[w] ?? {}).filter((id) => !(id in stored)).length;
        mismatches.push(`wall ${w}: the store differs (${Object.keys(stored).length} notes, ${missing} missing)`);
      }
    }
    await sample();
    const during = heap.slice();

    // Everyone leaves; once the walls are unloaded, the heap must come back to where it started.
    for (const t of timers) clearInterval(t);
    for (const s of cursors) s.close();
    for (const c of [...people, ...hosts]) {
      c.provider.destroy();
      c.doc.destroy();
    }
    const idleUntil = Date.now() + 15_000;
    while (Date.now() < idleUntil) {
      const live = await proc.request<{ rooms: number; connections: number; sockets: number }>('live');
      if (live.rooms + live.connections + live.sockets === 0) break;
      await sleep(250);
    }
    await sleep(200);
    await sample();
    const heapAfterMiB = heap.at(-1) as number;
    const third = Math.max(1, Math.floor(during.length / 3));
    const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const first = avg(during.slice(0, third));
    const last = avg(during.slice(-third));
    const notes = want.reduce((n, w) => n + Object.keys(w).length, 0);
    return {
      ops,
      notes,
      converged: mismatches.length === 0,
      mismatches,
      heapMiB: during,
      rssMiB: rss,
      heapRatio: last / first,
      // The walls grow during the session (hundreds of notes, their history): allow for that.
      heapFlat: last <= first * 1.5 + 8,
      heapAfterMiB,
      released: heapAfterMiB <= (during[0] as number) * 1.2 + 4,
      elapsedS: (Date.now() - started) / 1000,
      playedS,
    };
  } finally {
    for (const t of timers) clearInterval(t);
    for (const s of cursors) s.close();
    for (const c of [...people, ...hosts]) {
      c.provider.destroy();
      c.doc.destroy();
    }
    await proc.stop();
  }
}

export function render(res: SoakResult, opts: SoakOptions): string {
  const q = (xs: number[]) => `${fmt(Math.min(...xs))} / ${fmt(xs[Math.floor(xs.length / 2)] as number)} / ${fmt(Math.max(...xs))}`;
  return [
    table(
      ['clients', 'walls', 'session', 'played in', 'doc ops', 'awareness', 'cursor events', 'reloads', 'notes at end', 'converged', 'heap MiB min / median / max', 'heap last ÷ first third', 'heap MiB before → after (unloaded)', 'RSS MiB min / median / max'],
      [
        [
          opts.clients,
          opts.walls,
          `${opts.sessionMin} min`,
          `${fmt(res.playedS)} s (${opts.durationS} s asked)`,
          res.ops.add + res.ops.move + res.ops.edit + res.ops.delete + res.ops.domain,
          res.ops.awareness,
          res.ops.cursor,
          res.ops.reload,
          res.notes,
          res.converged ? 'yes' : `NO: ${res.mismatches.join('; ')}`,
          q(res.heapMiB),
          fmt(res.heapRatio, 2),
          `${fmt(res.heapMiB[0] as number)} → ${fmt(res.heapAfterMiB)}${res.released ? '' : ' (NOT released)'}`,
          q(res.rssMiB),
        ],
      ],
    ),
    '',
    `Heap samples (MiB, after a full GC, every ${opts.sampleEveryS} s): ${res.heapMiB.map((h) => fmt(h)).join(', ')}`,
  ].join('\n');
}

/* ------------------------------------------------------------------ the server child */

async function serverChild(): Promise<void> {
  const { createMaillageServer, loadConfig, createLogger } = await import('@maillage/server');
  const Ymod = await import('yjs');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-soak-'));
  process.on('exit', () => fs.rmSync(dataDir, { recursive: true, force: true }));
  const config = loadConfig({ ...process.env, DATABASE_URL: '', REDIS_URL: '', LOG_LEVEL: 'warn' }, { port: 0, host: '127.0.0.1', dataDir, roomIdleMs: 1000 });
  const server = await createMaillageServer(config, { log: createLogger('warn') });
  const port = await server.listen();
  const gc = (globalThis as { gc?: () => void }).gc;
  serveParent(
    {
      createWall: async () => {
        const b = await server.boards.create({ title: 'Soak' });
        return { id: b.id, hostKey: b.hostKey };
      },
      live: () => ({ rooms: server.rooms.loadedCount, connections: server.sync.connectionCount, sockets: server.io.of('/').sockets.size }),
      gcStats: () => {
        gc?.();
        gc?.();
        return usage();
      },
      // What the store holds, after writing whatever is pending: read like a fresh process would.
      storedNotes: async ({ id }: { id: string }) => {
        await server.rooms.flushAll();
        const { updates } = await server.store.loadUpdates(id as never);
        const doc = new Ymod.Doc();
        for (const u of updates) Ymod.applyUpdate(doc, u);
        return notesOf(doc);
      },
    },
    { port },
  );
}

if (isMain(import.meta.url)) {
  if (process.argv[2] === 'server') await serverChild();
  else {
    const a = cliArgs(['clients', 'walls', 'session', 'duration', 'sample']);
    const opts: SoakOptions = {
      clients: numberArg(a.values.clients, a.quick ? 20 : 60),
      walls: numberArg(a.values.walls, 2),
      sessionMin: numberArg(a.values.session, 30),
      durationS: numberArg(a.values.duration, a.quick ? 20 : 300),
      sampleEveryS: numberArg(a.values.sample, a.quick ? 1 : 5),
      log: (l) => console.log(l),
    };
    const started = new Date();
    const loadBefore = loadavg();
    try {
      const res = await runSoak(opts);
      const body = render(res, opts);
      console.log(`\n${body}\n`);
      if (!a.noDoc) {
        appendToDoc(section({ title: 'Soak', command: commandLine('soak'), started, loadBefore, loadAfter: loadavg(), versionNames: ['yjs', 'y-websocket', 'ws', 'socket.io'], body }));
        console.log('appended to docs/benchmarks.md');
      }
      process.exit(res.converged && res.heapFlat && res.released ? 0 : 1);
    } catch (err) {
      console.error(err);
      killAllChildren();
      process.exit(1);
    }
  }
}
