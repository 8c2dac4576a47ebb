/**
 * Cold load of a big wall (default 5,000 notes): the server loading it from storage, a new
 * y-websocket client syncing it (wall not in memory, and wall already in memory), and headless
 * Chromium opening it — navigation start to the first frame that shows every note's wall.
 *
 *   npm run bench:coldload -- [--notes 5000] [--repeats 5] [--profile DIR] [--quick] [--no-doc]
 *   (BENCH_CLIENT_DIST=/path/to/unminified/dist serves another build of the client.)
 */
import fs from 'node:fs';
import path from 'node:path';
import * as Y from 'yjs';
import { listNotes } from '@maillage/shared';
import type { Browser } from 'playwright-core';
import { cliArgs, isMain, numberArg } from './lib/cli.ts';
import { loadavg, publish, table } from './lib/report.ts';
import { fmt, now, sleep, summarize, type Summary } from './lib/stats.ts';
import { seedWall } from './lib/notes.ts';
import { openClient, within } from './lib/yclient.ts';
import { ensureClientBuilt, PROBES } from './lib/browser.ts';
import { createBoard, startServer, type TestServer } from '../test/helpers/server.ts';
import { launchBrowser, personContext, DESKTOP } from '../test/helpers/browser.ts';

export interface ColdLoadOptions {
  notes: number;
  repeats: number;
  /** Also open the wall in Chromium. */
  browser: boolean;
  /** Save a JavaScript CPU profile of one page load here (node --import tsx bench/lib/cpuprofile.ts reads it). */
  profileDir?: string;
  log?: (line: string) => void;
}

export interface ColdLoadResult {
  notes: number;
  /** Encoded Yjs state of the wall, bytes. */
  stateBytes: number;
  /** Server: read the stored rows and rebuild the document (RoomManager.get on an unloaded wall). */
  serverLoadMs: Summary;
  /** The same, split: store read / Yjs apply (+ migrations). */
  storeReadMs: Summary;
  applyMs: Summary;
  /** A new stock client until its 'sync' event: wall not loaded / already loaded. */
  syncColdMs: Summary;
  syncWarmMs: Summary;
  /** Chromium, from navigation start: first frame with the columns / first frame with every note. */
  browserWallMs?: Summary;
  browserCompleteMs?: Summary;
  /** Same, wall not loaded on the server when the page opens. */
  browserCompleteColdMs?: Summary;
  chromium?: string;
  loadBefore: string;
  loadAfter: string;
}

async function waitUnloaded(srv: TestServer, id: string): Promise<void> {
  const end = Date.now() + 15_000;
  while (srv.server.rooms.peek(id as never) && Date.now() < end) await sleep(50);
  if (srv.server.rooms.peek(id as never)) throw new Error('wall did not unload');
}

async function timeSync(srv: TestServer, id: string): Promise<number> {
  const t = now();
  const c = openClient(srv.ws, id);
  try {
    await within(c.synced, 30_000, 'client sync');
    return now() - t;
  } finally {
    c.destroy();
  }
}

async function openInBrowser(browser: Browser, url: string, expect: number, profileTo?: string): Promise<{ wall: number; complete: number }> {
  // bypassCSP: the probes are evaluated as strings, which the app's CSP (no eval) would refuse.
  const ctx = await personContext(browser, { author: 'Bench', email: 'bench@example.org' }, { ...DESKTOP, bypassCSP: true });
  try {
    await ctx.addInitScript({ path: PROBES });
    await ctx.addInitScript(`window.__bench.expectNotes = ${expect};`);
    const page = await ctx.newPage();
    const cdp = profileTo ? await ctx.newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    await page.goto(url);
    await page.waitForFunction('window.__bench.completeAt !== null', undefined, { timeout: 60_000, polling: 50 });
    if (cdp && profileTo) {
      const { profile } = await cdp.send('Profiler.stop');
      fs.mkdirSync(path.dirname(profileTo), { recursive: true });
      fs.writeFileSync(profileTo, JSON.stringify(profile));
    }
    return (await page.evaluate('({ wall: window.__bench.wallAt, complete: window.__bench.completeAt })')) as { wall: number; complete: number };
  } finally {
    await ctx.close();
  }
}

export async function run(o: ColdLoadOptions): Promise<ColdLoadResult> {
  const log = o.log ?? (() => undefined);
  const loadBefore = loadavg();
  if (o.browser) ensureClientBuilt(log);
  // BENCH_CLIENT_DIST serves another build (e.g. an unminified one, for readable profiles).
  const srv = await startServer({ roomIdleMs: 50, ...(process.env.BENCH_CLIENT_DIST ? { clientDist: path.resolve(process.env.BENCH_CLIENT_DIST) } : {}) });
  let browser: Browser | null = null;
  try {
    const b = await createBoard(srv.http, { title: 'Cold load' });
    const t = now();
    await seedWall(srv.ws, b.id, b.hostKey, o.notes);
    log(`  seeded ${o.notes} notes in ${((now() - t) / 1000).toFixed(1)} s`);
    await waitUnloaded(srv, b.id); // unloading compacts the log into one row

    const { rooms, store } = srv.server;
    const load: number[] = [];
    const read: number[] = [];
    const apply: number[] = [];
    let stateBytes = 0;
    for (let i = 0; i < o.repeats; i++) {
      const t0 = now();
      const { updates } = await store.loadUpdates(b.id as never);
      const t1 = now();
      const doc = new Y.Doc();
      doc.transact(() => updates.forEach((u) => Y.applyUpdate(doc, u)));
      const t2 = now();
      if (listNotes(doc).length !== o.notes) throw new Error('stored wall is incomplete');
      stateBytes = Y.encodeStateAsUpdate(doc).byteLength;
      doc.destroy();
      read.push(t1 - t0);
      apply.push(t2 - t1);
      const t3 = now();
      await rooms.get(b.id as never);
      load.push(now() - t3);
      await rooms.unload(b.id as never);
    }

    const cold: number[] = [];
    const warm: number[] = [];
    for (let i = 0; i < o.repeats; i++) {
      await waitUnloaded(srv, b.id);
      cold.push(await timeSync(srv, b.id));
    }
    const keeper = openClient(srv.ws, b.id);
    await within(keeper.synced, 30_000, 'keeper sync');
    for (let i = 0; i < o.repeats; i++) warm.push(await timeSync(srv, b.id));

    const res: ColdLoadResult = {
      notes: o.notes,
      stateBytes,
      serverLoadMs: summarize(load),
      storeReadMs: summarize(read),
      applyMs: summarize(apply),
      syncColdMs: summarize(cold),
      syncWarmMs: summarize(warm),
      loadBefore,
      loadAfter: '',
    };

    if (o.browser) {
      browser = await launchBrowser();
      res.chromium = browser.version();
      const url = `${srv.http}${b.links.participant}`;
      await openInBrowser(browser, url, o.notes); // first load warms Chromium's own caches (fonts, code)
      const wallAt: number[] = [];
      const complete: number[] = [];
      for (let i = 0; i < o.repeats; i++) {
        const r = await openInBrowser(browser, url, o.notes);
        wallAt.push(r.wall);
        complete.push(r.complete);
      }
      keeper.destroy();
      if (o.profileDir) await openInBrowser(browser, url, o.notes, path.join(o.profileDir, `coldload-page-${o.notes}.cpuprofile`));
      const completeCold: number[] = [];
      for (let i = 0; i < o.repeats; i++) {
        await waitUnloaded(srv, b.id);
        completeCold.push((await openInBrowser(browser, url, o.notes)).complete);
      }
      res.browserWallMs = summarize(wallAt);
      res.browserCompleteMs = summarize(complete);
      res.browserCompleteColdMs = summarize(completeCold);
    } else keeper.destroy();
    res.loadAfter = loadavg();
    return res;
  } finally {
    await browser?.close();
    await srv.close();
  }
}

export function render(r: ColdLoadResult, o: ColdLoadOptions): string {
  const row = (what: string, s: Summary | undefined) => (s ? [what, fmt(s.p50), fmt(s.max), s.count] : [what, 'n/a', 'n/a', 0]);
  return [
    `A wall of ${r.notes} notes (${fmt(r.stateBytes / 1024)} KiB of Yjs state), stored compacted in SQLite; ${o.repeats} repetitions each` +
      (r.chromium ? `; Chromium ${r.chromium} headless, 1440×900, a fresh browser context (empty cache and IndexedDB) per load` : '') +
      '. Browser times run from navigation start.',
    '',
    table(
      ['step', 'median ms', 'max ms', 'runs'],
      [
        row('server: load wall from storage (RoomManager.get)', r.serverLoadMs),
        row('  of which: SQLite read', r.storeReadMs),
        row('  of which: Yjs apply', r.applyMs),
        row('new client synced, wall not in memory', r.syncColdMs),
        row('new client synced, wall in memory', r.syncWarmMs),
        row('Chromium: columns shown', r.browserWallMs),
        row('Chromium: every note in, first complete frame', r.browserCompleteMs),
        row('Chromium: same, wall not in memory', r.browserCompleteColdMs),
      ],
    ),
  ].join('\n');
}

if (isMain(import.meta.url)) {
  const a = cliArgs(['notes', 'repeats', 'profile']);
  const opts: ColdLoadOptions = {
    notes: numberArg(a.values.notes, a.quick ? 200 : 5000),
    repeats: numberArg(a.values.repeats, a.quick ? 2 : 5),
    browser: true,
    profileDir: typeof a.values.profile === 'string' ? a.values.profile : undefined,
    log: (l) => console.log(l),
  };
  const started = new Date();
  const res = await run(opts);
  publish({
    title: 'Cold load',
    script: 'coldload',
    noDoc: a.noDoc,
    started,
    loadBefore: res.loadBefore,
    loadAfter: res.loadAfter,
    versionNames: ['yjs', 'y-websocket', 'better-sqlite3', 'react', 'react-konva', 'konva', 'playwright-core'],
    extraVersions: res.chromium ? { chromium: res.chromium } : {},
    body: render(res, opts),
  });
}
