/**
 * Store: how many updates per second the SQLite store absorbs (one per transaction, and in the
 * batches a room's write-behind produces), the same through a live Room (write-behind and
 * compaction included), how long compaction takes (it runs on the event loop), and how big the
 * database is per 1,000 notes, as a log and compacted.
 *
 *   npm run bench:store -- [--updates 5000] [--notes 1000,5000] [--quick] [--no-doc]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import Database from 'better-sqlite3';
import { listDomains, newBoardId, updateNote, type BoardId } from '@maillage/shared';
import { Room, SqliteStore, createLogger, type Peer } from '@maillage/server';
import { cliArgs, commandLine, isMain, numberArg, numberList } from './lib/cli.ts';
import { appendToDoc, loadavg, section, table } from './lib/report.ts';
import { fmt, now, summarize, type Summary } from './lib/stats.ts';
import { benchNote, rng, templateUpdate } from './lib/notes.ts';
import { addNote } from '@maillage/shared';

export interface StoreOptions {
  /** Updates per throughput measurement. */
  updates: number;
  /** Wall sizes for compaction and size figures. */
  notes: number[];
  log?: (line: string) => void;
}

export interface StoreResult {
  append: { batch: number; updatesPerS: number; meanBytes: number }[];
  room: { perTurn: number; updatesPerS: number; flushes: number; longestFlushMs: number; compactions: number }[];
  compaction: { notes: number; logRows: number; encodeMs: Summary; storeMs: Summary; stateBytes: number }[];
  size: { notes: number; logBytesPer1000: number; compactBytesPer1000: number; stateBytesPer1000: number }[];
  loadBefore: string;
  loadAfter: string;
}

/**
 * The updates a wall's life produces: each note added, then moved twice, as the editing
 * client's Yjs emits them (note adds ~0.4 KB, moves a few dozen bytes).
 */
export function updateLog(notes: number, movesPerNote = 2, seed = 3): { initial: Uint8Array; updates: Uint8Array[] } {
  const doc = new Y.Doc();
  const initial = templateUpdate();
  Y.applyUpdate(doc, initial);
  const ids = listDomains(doc).map((d) => d.id);
  const r = rng(seed);
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  const made: string[] = [];
  for (let i = 0; i < notes; i++) {
    made.push(addNote(doc, benchNote(i, ids, r)));
    for (let m = 0; m < movesPerNote; m++) {
      const id = made[Math.floor(r() * made.length)] as string;
      updateNote(doc, id, { x: 20 + Math.floor(r() * 30), y: 100 + Math.floor(r() * 5000) });
    }
  }
  doc.destroy();
  return { initial, updates };
}

function tempStore(): { store: SqliteStore; dir: string; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-store-bench-'));
  const file = path.join(dir, 'maillage.sqlite');
  return { store: new SqliteStore(file), dir, file };
}

async function newBoard(store: SqliteStore, initial: Uint8Array): Promise<BoardId> {
  const id = newBoardId();
  await store.createBoard({ id, hostKey: 'h'.repeat(32), reviewKey: 'r'.repeat(32), createdAt: Date.now(), settings: {} }, initial);
  return id;
}

/** Bytes the database file uses once the WAL is checkpointed (free pages not counted). */
function usedBytes(file: string): number {
  const db = new Database(file);
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const pages = db.pragma('page_count', { simple: true }) as number;
    const free = db.pragma('freelist_count', { simple: true }) as number;
    return (pages - free) * pageSize;
  } finally {
    db.close();
  }
}

const silent = createLogger('silent');
const turn = () => new Promise<void>((r) => setImmediate(r));

export async function run(o: StoreOptions): Promise<StoreResult> {
  const log = o.log ?? (() => undefined);
  const loadBefore = loadavg();
  const res: StoreResult = { append: [], room: [], compaction: [], size: [], loadBefore, loadAfter: '' };
  const perNote = Math.max(1, Math.round(o.updates / 3));
  const { initial, updates } = updateLog(perNote, 2);
  const meanBytes = updates.reduce((s, u) => s + u.byteLength, 0) / updates.length;

  // 1. Raw appends.
  for (const batch of [1, 16, 128]) {
    const { store, dir } = tempStore();
    try {
      await store.init();
      const id = await newBoard(store, initial);
      const t = now();
      for (let i = 0; i < updates.length; i += batch) await store.appendUpdates(id, updates.slice(i, i + batch));
      res.append.push({ batch, updatesPerS: updates.length / ((now() - t) / 1000), meanBytes });
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  log('  appends measured');

  // 2. Through a Room: updates arrive `perTurn` per event-loop turn, as from the network.
  const peer: Peer = { id: 'bench', role: 'host', ownerId: null, send: () => undefined, close: () => undefined };
  for (const perTurn of [1, 20]) {
    const { store, dir } = tempStore();
    try {
      await store.init();
      const id = await newBoard(store, initial);
      const room = await Room.load(id, store, silent, { compactAfter: 500 });
      // Time each store call: that is how long the event loop is held.
      const flushTimes: number[] = [];
      let compactions = 0;
      const append = store.appendUpdates.bind(store);
      const compact = store.compact.bind(store);
      store.appendUpdates = async (b, u) => {
        const t0 = now();
        const r = await append(b, u);
        flushTimes.push(now() - t0);
        return r;
      };
      store.compact = async (b, s, upTo) => {
        compactions++;
        return compact(b, s, upTo);
      };
      const t = now();
      for (let i = 0; i < updates.length; i += perTurn) {
        for (const u of updates.slice(i, i + perTurn)) Y.applyUpdate(room.doc, u, peer);
        await turn();
      }
      await room.flush();
      const secs = (now() - t) / 1000;
      res.room.push({ perTurn, updatesPerS: updates.length / secs, flushes: flushTimes.length, longestFlushMs: summarize(flushTimes).max, compactions });
      await room.destroy();
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  log('  room measured');

  // 3 and 4. Compaction time and size, per wall size.
  for (const notes of o.notes) {
    const wall = updateLog(notes, 0, 11);
    const { store, dir, file } = tempStore();
    try {
      await store.init();
      const id = await newBoard(store, wall.initial);
      for (let i = 0; i < wall.updates.length; i += 200) await store.appendUpdates(id, wall.updates.slice(i, i + 200));
      await store.close();
      const logBytes = usedBytes(file);
      const base = usedBytes(emptyDb());
      const encode: number[] = [];
      const write: number[] = [];
      let stateBytes = 0;
      for (let rep = 0; rep < 3; rep++) {
        const s2 = new SqliteStore(file);
        const { updates: rows, lastSeq } = await s2.loadUpdates(id);
        const doc = new Y.Doc();
        doc.transact(() => rows.forEach((u) => Y.applyUpdate(doc, u)));
        const t0 = now();
        const state = Y.encodeStateAsUpdate(doc);
        const t1 = now();
        await s2.compact(id, state, lastSeq);
        const t2 = now();
        encode.push(t1 - t0);
        write.push(t2 - t1);
        stateBytes = state.byteLength;
        doc.destroy();
        await s2.close();
      }
      const compactBytes = usedBytes(file);
      res.compaction.push({ notes, logRows: wall.updates.length + 1, encodeMs: summarize(encode), storeMs: summarize(write), stateBytes });
      res.size.push({
        notes,
        logBytesPer1000: ((logBytes - base) / notes) * 1000,
        compactBytesPer1000: ((compactBytes - base) / notes) * 1000,
        stateBytesPer1000: (stateBytes / notes) * 1000,
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    log(`  ${notes}-note wall measured`);
  }
  res.loadAfter = loadavg();
  return res;
}

let emptyFile: string | null = null;
/** A database with the schema and nothing else (subtracted from sizes). */
function emptyDb(): string {
  if (emptyFile) return emptyFile;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-store-empty-'));
  const s = new SqliteStore(path.join(dir, 'maillage.sqlite'));
  void s.init();
  void s.close();
  emptyFile = path.join(dir, 'maillage.sqlite');
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return emptyFile;
}

export function render(r: StoreResult): string {
  return [
    'SQLite (better-sqlite3, WAL, synchronous=NORMAL) on the local disk. Updates are real Yjs updates of a wall being ' +
      `written: a note added, then two moves (mean ${fmt(r.append[0]?.meanBytes ?? NaN)} bytes).`,
    '',
    table(['store.appendUpdates', 'updates/s'], r.append.map((a) => [`${a.batch} update(s) per transaction`, fmt(a.updatesPerS)])),
    '',
    table(
      ['through a Room (write-behind + compaction every 500)', 'updates/s', 'flushes', 'longest flush ms', 'compactions'],
      r.room.map((x) => [`${x.perTurn} update(s) per event-loop turn`, fmt(x.updatesPerS), x.flushes, fmt(x.longestFlushMs), x.compactions]),
    ),
    '',
    table(
      ['wall', 'log rows', 'encode state ms (median)', 'store.compact ms (median)', 'state KiB'],
      r.compaction.map((c) => [`${c.notes} notes`, c.logRows, fmt(c.encodeMs.p50), fmt(c.storeMs.p50), fmt(c.stateBytes / 1024)]),
    ),
    '',
    table(
      ['wall', 'DB KiB per 1,000 notes, as a log', 'compacted', 'Yjs state KiB per 1,000 notes'],
      r.size.map((s) => [`${s.notes} notes`, fmt(s.logBytesPer1000 / 1024), fmt(s.compactBytesPer1000 / 1024), fmt(s.stateBytesPer1000 / 1024)]),
    ),
    '',
    'Compaction runs on the event loop: encoding the state and writing it hold every wall of the process for the sum of those two columns.',
  ].join('\n');
}

if (isMain(import.meta.url)) {
  const a = cliArgs(['updates', 'notes']);
  const opts: StoreOptions = {
    updates: numberArg(a.values.updates, a.quick ? 600 : 6000),
    notes: numberList(a.values.notes, a.quick ? [200] : [1000, 5000]),
    log: (l) => console.log(l),
  };
  const started = new Date();
  const res = await run(opts);
  const body = render(res);
  console.log(`\n${body}\n`);
  if (!a.noDoc) {
    appendToDoc(
      section({ title: 'Store', command: commandLine('store'), started, loadBefore: res.loadBefore, loadAfter: res.loadAfter, versionNames: ['yjs', 'better-sqlite3'], body }),
    );
    console.log('appended to docs/benchmarks.md');
  }
  process.exit(0);
}
