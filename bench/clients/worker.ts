/**
 * A load-generator process: holds a share of the benchmark's y-websocket clients and does what
 * the coordinator asks (connect, make a change, move cursors, report arrivals). Clients are the
 * stock y-websocket provider; spreading them over several of these processes keeps the client
 * side from being the bottleneck of what is measured.
 */
import * as Y from 'yjs';
import { io as ioClient, type Socket } from 'socket.io-client';
import { addNote, listDomains, ownerIdFromSecret, randomToken, roots, updateNote, type ClientToServerEvents, type ServerToClientEvents } from '@maillage/shared';
import { serveParent, usage } from '../lib/ipc.ts';
import { isMain } from '../lib/cli.ts';
import { openClient, sendOnlyOwnAwareness, within, type BenchClient } from '../lib/yclient.ts';
import { now, sleep } from '../lib/stats.ts';

/** Every change sets its note's y to Y_BASE + seq, which is how receivers tell changes apart. */
export const Y_BASE = 100;

interface Client extends BenchClient {
  ownerId: string;
}

export interface ConnectRequest {
  wsBase: string;
  room: string;
  count: number;
  /** Present owner secrets (`?o=`) and write notes with the matching owner id (our server's rules). */
  owners: boolean;
  /** Extra query parameters (e.g. a key). */
  params?: Record<string, string>;
  initialUpdate?: Uint8Array;
  /** Awareness state to publish on connect (presence), or null for none. */
  presence: Record<string, unknown> | null;
  concurrency?: number;
  timeoutMs?: number;
}

const clients: Client[] = [];
process.setMaxListeners(0); // each provider adds an 'exit' listener

async function connect(req: ConnectRequest): Promise<{ connected: number }> {
  const start = clients.length;
  const conc = req.concurrency ?? 20;
  const deadline = Date.now() + (req.timeoutMs ?? 60_000);
  for (let i = 0; i < req.count; i += conc) {
    const batch: Client[] = [];
    for (let j = i; j < Math.min(req.count, i + conc); j++) {
      const secret = randomToken(24);
      const params: Record<string, string> = { ...(req.params ?? {}), ...(req.owners ? { o: secret } : {}) };
      const c = openClient(req.wsBase, req.room, { params, initialUpdate: req.initialUpdate, awareness: req.presence !== null });
      if (req.presence) c.provider.awareness.setLocalState(req.presence);
      batch.push({ ...c, ownerId: req.owners ? ownerIdFromSecret(secret) : '' });
    }
    clients.push(...batch);
    await within(Promise.all(batch.map((c) => c.synced)), Math.max(1000, deadline - Date.now()), `sync of clients ${start + i}…`);
  }
  return { connected: clients.length - start };
}

/* ------------------------------------------------------------------ fan-out */

const arrivals = new Map<number, Float64Array>();
let missing = 0;

function slot(seq: number): Float64Array {
  let a = arrivals.get(seq);
  if (!a) {
    a = new Float64Array(clients.length).fill(NaN);
    arrivals.set(seq, a);
    missing += clients.length;
  }
  return a;
}

function record(seq: number, idx: number, t: number): void {
  const a = slot(seq);
  if (Number.isNaN(a[idx])) {
    a[idx] = t;
    missing--;
  }
}

/** Every client notes when each change (identified by its y) reaches it. */
function observe(): { observing: number } {
  clients.forEach((c, idx) => {
    const notes = roots(c.doc).notes;
    notes.observeDeep((events) => {
      const t = now();
      for (const ev of events) {
        const e = ev as Y.YMapEvent<unknown>;
        if (e.target === notes) {
          for (const key of e.keysChanged) {
            const y = notes.get(key)?.get('y');
            if (typeof y === 'number') record(y - Y_BASE, idx, t);
          }
        } else if (e.keysChanged.has('y')) {
          const y = (e.target as Y.Map<unknown>).get('y');
          if (typeof y === 'number') record(y - Y_BASE, idx, t);
        }
      }
    });
  });
  return { observing: clients.length };
}

export interface ChangeRequest {
  client: number;
  seq: number;
  /** Move this note (one the client added); absent: add a note. */
  noteId?: string;
}

function change(req: ChangeRequest): { t0: number; noteId: string } {
  const c = clients[req.client];
  if (!c) throw new Error(`no client ${req.client}`);
  // The sender does not count itself as a recipient.
  const a = slot(req.seq);
  if (Number.isNaN(a[req.client])) {
    a[req.client] = -1;
    missing--;
  }
  const y = Y_BASE + req.seq;
  const t0 = now();
  if (req.noteId) {
    updateNote(c.doc, req.noteId, { x: 20 + (req.seq % 40), y });
    return { t0, noteId: req.noteId };
  }
  const domains = listDomains(c.doc);
  const d = domains[req.seq % Math.max(1, domains.length)];
  if (!d) throw new Error('client has no domains');
  const noteId = addNote(c.doc, {
    text: `Change ${req.seq}: atelier de mentorat avec les partenaires du quartier`,
    domainId: d.id,
    x: 20,
    y,
    author: 'Bench',
    email: 'bench@example.org',
    org: 'Bench',
    ownerId: c.ownerId,
  });
  return { t0, noteId };
}

/* ------------------------------------------------------------------ cursors */

export interface CursorRequest {
  /** Local indices of the clients that move. */
  movers: number[];
  hz: number;
  /** Publish at most once per this many ms (latest position wins); 0 publishes every move. */
  throttleMs: number;
  /**
   * Send only our own awareness changes. The stock provider re-sends every remote awareness
   * update it applies (yjs/yjs#732); this is that fix, done from outside the provider.
   */
  noEcho: boolean;
}

let moverTimer: NodeJS.Timeout | null = null;
let published = 0;
/** Cursor states published per 100 ms slot, so the coordinator can count exactly its window. */
const publishedSlots = new Map<number, number>();
function countPublish(t: number): void {
  published++;
  const slot = Math.floor(t / 100);
  publishedSlots.set(slot, (publishedSlots.get(slot) ?? 0) + 1);
}

/** States published between two times (shared clock), to 100 ms. */
function publishedBetween({ from, to }: { from: number; to: number }): { published: number } {
  let n = 0;
  for (const [slot, c] of publishedSlots) if (slot * 100 >= from && slot * 100 < to) n += c;
  return { published: n };
}

function startCursors(req: CursorRequest): { movers: number } {
  if (req.noEcho) for (const c of clients) sendOnlyOwnAwareness(c.provider);
  const period = 1000 / req.hz;
  const t = now();
  const state = req.movers.map((idx, k) => ({
    c: clients[idx] as Client,
    due: t + (k / req.movers.length) * period,
    lastSent: 0,
    phase: k,
    pending: null as null | { x: number; y: number; t: number },
  }));
  moverTimer = setInterval(() => {
    const tick = now();
    for (const m of state) {
      if (tick >= m.due) {
        m.due += period;
        if (tick > m.due + period) m.due = tick + period; // fell behind: do not burst to catch up
        const a = tick / 700 + m.phase;
        m.pending = { x: Math.round(800 + 500 * Math.cos(a)), y: Math.round(500 + 300 * Math.sin(a * 1.3)), t: tick };
      }
      if (m.pending && tick - m.lastSent >= req.throttleMs) {
        m.c.provider.awareness.setLocalStateField('cursor', m.pending);
        m.pending = null;
        m.lastSent = tick;
        countPublish(tick);
      }
    }
  }, 5);
  return { movers: state.length };
}

function stopCursors(): { published: number } {
  if (moverTimer) clearInterval(moverTimer);
  moverTimer = null;
  return { published };
}

/* ------------------------------------------------------------------ cursors over socket.io */

type SessionSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
const sessions: SessionSocket[] = [];

export interface SessionConnectRequest {
  base: string;
  room: string;
  count: number;
  concurrency?: number;
  timeoutMs?: number;
}

/** Joins `count` socket.io sessions (what the app's session hook does), `concurrency` at a time. */
async function ioConnect(req: SessionConnectRequest): Promise<{ connected: number }> {
  const conc = req.concurrency ?? 20;
  const deadline = Date.now() + (req.timeoutMs ?? 60_000);
  for (let i = 0; i < req.count; i += conc) {
    const batch: Promise<void>[] = [];
    for (let j = i; j < Math.min(req.count, i + conc); j++) {
      const socket: SessionSocket = ioClient(req.base, { path: '/socket.io', transports: ['websocket'], forceNew: true, reconnection: false });
      sessions.push(socket);
      batch.push(
        new Promise<void>((resolve, reject) => {
          socket.once('connect_error', reject);
          socket.once('connect', () =>
            socket.emit('board:join', { boardId: req.room, name: `Participant ${j}`, color: '#f48fb1', ownerSecret: randomToken(24) }, (res) =>
              res.ok ? resolve() : reject(new Error(res.error.code)),
            ),
          );
        }),
      );
    }
    await within(Promise.all(batch), Math.max(1000, deadline - Date.now()), `session join ${i}…`);
  }
  return { connected: sessions.length };
}

export interface SessionCursorRequest {
  hz: number;
  /** At most one cursor event per this many ms per person (the app's client sends ≤ 10 Hz). */
  throttleMs: number;
}

/**
 * Every session moves its pointer `hz` times a second and sends it (volatile) at most every
 * `throttleMs`. x carries the send time (ms, mod 1e6) so the observer can tell how stale a
 * cursor is; y is an ordinary coordinate.
 */
function ioCursors(req: SessionCursorRequest): { movers: number } {
  const period = 1000 / req.hz;
  const t = now();
  const state = sessions.map((socket, k) => ({ socket, due: t + (k / sessions.length) * period, lastSent: 0, pending: null as null | [number, number] }));
  moverTimer = setInterval(() => {
    const tick = now();
    for (const m of state) {
      if (tick >= m.due) {
        m.due += period;
        if (tick > m.due + period) m.due = tick + period;
        m.pending = [Math.round(tick) % 1_000_000, Math.round(500 + 300 * Math.sin(tick / 700))];
      }
      if (m.pending && tick - m.lastSent >= req.throttleMs) {
        m.socket.volatile.emit('presence:cursor', m.pending);
        m.pending = null;
        m.lastSent = tick;
        countPublish(tick);
      }
    }
  }, 5);
  return { movers: state.length };
}

async function closeAll(): Promise<{ closed: number }> {
  stopCursors();
  const n = clients.length + sessions.length;
  for (const c of clients.splice(0)) c.destroy();
  for (const s of sessions.splice(0)) s.disconnect();
  await sleep(50);
  return { closed: n };
}

if (isMain(import.meta.url)) {
  serveParent(
    {
      connect,
      observe,
      change,
      progress: () => ({ missing }),
      collect: () => arrivals,
      resetCounters: () => {
        published = 0;
        publishedSlots.clear();
        return {};
      },
      publishedBetween,
      startCursors,
      stopCursors,
      ioConnect,
      ioCursors,
      stats: () => usage(),
      closeAll,
    },
    { pid: process.pid },
  );
}
