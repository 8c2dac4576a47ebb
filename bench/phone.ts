/**
 * A participant's phone on a mobile network (issue 14, docs/spec.md R113–R114): headless Chromium
 * at 390×844 (touch, DPR 3) throttled through the DevTools protocol to 4× slower CPU and "fast
 * 4G" (150 ms round trip, 1.6 Mbps down, 750 kbps up).
 *
 * - first visit (empty cache) and a revisit: navigation start → the join dialog with its name
 *   field focused; bytes of script received (compressed, as sent);
 * - a 300-note wall in the phone view scrolled 40 px a frame for 3 s: frames per second and the
 *   longest frames while it scrolls.
 *
 *   npm run bench:phone -- [--repeats 5] [--notes 300] [--join-only 1] [--no-doc]
 *   (serves client/dist, or CLIENT_DIST; build it first.) The figures are appended to
 *   docs/benchmarks.md with the command, machine and load, unless `--no-doc`; the first visit's
 *   waterfall (every request: when it started, its first byte, when it ended, its size as sent)
 *   is printed with them, so that the critical path can be read, not guessed.
 */
import type { CDPSession, Page } from 'playwright-core';
import { addNote, ownerIdFromSecret, randomToken } from '@maillage/shared';
import { cliArgs, numberArg } from './lib/cli.ts';
import { loadavg, machine, publish, table } from './lib/report.ts';
import { fmt, summarize, type Summary } from './lib/stats.ts';
import { benchNote, rng } from './lib/notes.ts';
import { createBoard, startServer } from '../test/helpers/server.ts';
import { launchBrowser, personContext } from '../test/helpers/browser.ts';
import { connectClient } from '../test/helpers/yclient.ts';

const PHONE3 = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3 };
/** Chrome DevTools' "Fast 4G" preset and a mid-range phone's CPU. */
export const FAST_4G = { latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 };
export const CPU_SLOWDOWN = 4;

async function throttle(page: Page): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, ...FAST_4G });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  return cdp;
}

/** Script bytes as received (encoded, i.e. compressed) during the page's life so far. */
function countScripts(cdp: CDPSession): () => number {
  const scripts = new Set<string>();
  let bytes = 0;
  cdp.on('Network.responseReceived', (e: { requestId: string; type: string }) => {
    if (e.type === 'Script') scripts.add(e.requestId);
  });
  cdp.on('Network.loadingFinished', (e: { requestId: string; encodedDataLength: number }) => {
    if (scripts.has(e.requestId)) bytes += e.encodedDataLength;
  });
  return () => bytes;
}

interface Fetch {
  url: string;
  type: string;
  start: number;
  firstByte: number;
  end: number;
  bytes: number;
}

/** Every request of the page from now on, with DevTools' monotonic times (seconds). */
function recordWaterfall(cdp: CDPSession): () => Fetch[] {
  const byId = new Map<string, Fetch>();
  cdp.on('Network.requestWillBeSent', (e: { requestId: string; timestamp: number; type?: string; request: { url: string } }) => {
    if (!byId.has(e.requestId)) byId.set(e.requestId, { url: e.request.url, type: e.type ?? '?', start: e.timestamp, firstByte: NaN, end: NaN, bytes: 0 });
  });
  cdp.on('Network.responseReceived', (e: { requestId: string; timestamp: number; type: string; response: { timing?: { requestTime: number; receiveHeadersEnd: number } } }) => {
    const f = byId.get(e.requestId);
    // The event itself may be dispatched after the body under throttling: the timing says when.
    const tm = e.response.timing;
    if (f) Object.assign(f, { firstByte: tm ? tm.requestTime + tm.receiveHeadersEnd / 1000 : e.timestamp, type: e.type });
  });
  cdp.on('Network.loadingFinished', (e: { requestId: string; timestamp: number; encodedDataLength: number }) => {
    const f = byId.get(e.requestId);
    if (f) Object.assign(f, { end: e.timestamp, bytes: e.encodedDataLength });
  });
  return () => [...byId.values()].sort((a, b) => a.start - b.start);
}

function waterfallTable(fetches: Fetch[], shownAt: number): string {
  const t0 = fetches[0]?.start ?? 0;
  const ms = (t: number) => (Number.isFinite(t) ? fmt((t - t0) * 1000, 0) : '—');
  const rows = fetches.map((f) => {
    const u = new URL(f.url);
    const name = u.pathname.replace(/^\/assets\//, '') + (u.search.length > 30 ? `${u.search.slice(0, 30)}…` : u.search);
    return [name, f.type, ms(f.start), ms(f.firstByte), ms(f.end), fmt(f.bytes / 1024)];
  });
  rows.push([`(join dialog shown, name field focused)`, '', '', '', fmt(shownAt, 0), '']);
  return table(['request', 'type', 'start (ms)', 'first byte (ms)', 'end (ms)', 'KB sent'], rows);
}

async function main(): Promise<void> {
  const started = new Date();
  const loadBefore = loadavg();
  const args = cliArgs(['repeats', 'notes', 'scroll-only', 'join-only']);
  const repeats = numberArg(args.values.repeats, args.quick ? 2 : 5);
  const noteCount = numberArg(args.values.notes, 300);
  const log = (l: string) => console.log(l);
  const srv = await startServer();
  const browser = await launchBrowser();
  let result = '';
  log(`machine: ${JSON.stringify(machine())}; load ${loadavg()}`);
  try {
    const b = await createBoard(srv.http, { title: 'Webinaire 3 — Cartographie des relations' });
    const url = srv.http + b.links.participant;

    // 1. The join dialog: first visit, then a revisit with the browser's cache.
    const cold: number[] = [];
    const warm: number[] = [];
    let coldBytes = 0;
    let warmBytes = 0;
    let waterfall = '';
    for (let i = 0; i < (args.values['scroll-only'] ? 0 : repeats); i++) {
      const ctx = await personContext(browser, null, PHONE3, null);
      const page = await ctx.newPage();
      const cdp = await throttle(page);
      for (const [list, visit] of [[cold, 'first'], [warm, 'revisit']] as const) {
        const bytes = countScripts(cdp);
        const requests = i === 0 && visit === 'first' ? recordWaterfall(cdp) : null;
        await page.goto(url, { waitUntil: 'commit' });
        await page.waitForFunction(() => (document.activeElement as HTMLInputElement | null)?.name === 'name', undefined, { timeout: 30_000, polling: 50 });
        const ms = await page.evaluate(() => performance.now());
        list.push(ms);
        const b = bytes();
        if (visit === 'first') coldBytes = b;
        else warmBytes = b;
        log(`join dialog, ${visit} visit: ${fmt(ms, 0)} ms, ${fmt(b / 1024)} KB of script`);
        if (requests) {
          // What still arrives while the person begins to type belongs in the picture too.
          await page.waitForTimeout(3000);
          waterfall = waterfallTable(requests(), ms);
        }
      }
      await ctx.close();
    }

    // 2. A 300-note wall, scrolled with a touch fling in the phone view.
    const fps: number[] = [];
    const worst: number[] = [];
    const p95: number[] = [];
    let shown = 0;
    if (!args.values['join-only']) {
      const r = rng(14);
      const domainIds = ['engage-youth', 'graduate-high-school', 'hs-to-postsecondary', 'hs-to-training', 'hs-to-employment', 'mentoring', 'other'];
      const big = await createBoard(srv.http, { title: 'Grand mur' });
      // One other participant wrote them all (the server keeps only notes owned by their writer).
      const secret = randomToken(32);
      const writer = connectClient(srv.ws, big.id, { ownerSecret: secret });
      await writer.synced;
      const owner = ownerIdFromSecret(secret);
      for (let i = 0; i < noteCount; i++) addNote(writer.doc, benchNote(i, domainIds, r, owner));
      // The server holds them all before anyone opens the wall (a loaded machine sends slowly).
      for (let t = 0; t < 60; t++) {
        const res = await fetch(`${srv.http}/api/boards/${big.id}/export.json`, { headers: { authorization: `Bearer ${big.hostKey}` } });
        if (((await res.json()) as { notes: unknown[] }).notes.length >= noteCount) break;
        await new Promise((res) => setTimeout(res, 500));
      }
      writer.destroy();

      for (let i = 0; i < repeats; i++) {
        const ctx = await personContext(browser, { author: 'Ana', email: 'ana@example.org' }, PHONE3, null);
        const page = await ctx.newPage();
        await throttle(page);
        await page.goto(srv.http + big.links.participant);
        await page.waitForFunction((n) => document.querySelectorAll('.phone-card').length >= n, noteCount, { timeout: 60_000 }).catch(async (e: unknown) => {
          await page.screenshot({ path: '/tmp/phone-bench-timeout.png' });
          throw new Error(`${await page.locator('.phone-card').count()} of ${noteCount} notes shown (screenshot /tmp/phone-bench-timeout.png)`, { cause: e });
        });
        shown = await page.locator('.phone-card').count();
        await page.waitForTimeout(500);
        // Frame times while a finger flings the page down (requestAnimationFrame deltas).
        // A string, not a function: tsx would wrap a named arrow in a helper the page lacks.
        await page.evaluate(`(() => {
          window.__frames = [];
          let last = performance.now();
          const tick = (t) => { window.__frames.push(t - last); last = t; requestAnimationFrame(tick); };
          requestAnimationFrame(tick);
        })()`);
        // DevTools' synthetic touch fling did not move this page's scroller in headless Chromium;
        // the page is scrolled instead by 40 px a frame for 3 s (a fast fling's speed).
        await page.evaluate(`new Promise((done) => {
          const el = document.querySelector('.list-main');
          const end = performance.now() + 3000;
          const step = () => { el.scrollBy(0, 40); if (performance.now() < end) requestAnimationFrame(step); else done(); };
          requestAnimationFrame(step);
        })`);
        const frames = (await page.evaluate(() => (window as unknown as { __frames: number[] }).__frames)).slice(2);
        const total = frames.reduce((a, x) => a + x, 0);
        const s = summarize(frames);
        fps.push((frames.length / total) * 1000);
        worst.push(s.max);
        p95.push(s.p95);
        const scrolled = await page.evaluate(() => Math.max(document.querySelector('.list-main')?.scrollTop ?? 0, document.scrollingElement?.scrollTop ?? 0));
        log(`scroll ${noteCount} notes: ${fmt((frames.length / total) * 1000)} fps, p95 frame ${fmt(s.p95)} ms, worst ${fmt(s.max)} ms, scrolled ${fmt(scrolled, 0)} px`);
        await ctx.close();
      }

    }

    const row = (name: string, s: Summary, unit: string) => [name, `${fmt(s.p50, 0)} ${unit}`, `${fmt(s.p95, 0)} ${unit}`, `${fmt(s.max, 0)} ${unit}`];
    const all = (xs: number[], digits: number) => xs.map((x) => fmt(x, digits)).join(', ');
    const rows = [];
    if (cold.length) {
      rows.push(row('join dialog, first visit (empty cache)', summarize(cold), 'ms'), row('join dialog, revisit (cached assets)', summarize(warm), 'ms'));
    }
    if (fps.length) {
      rows.push(
        row(`scrolling ${shown} notes: frames per second`, summarize(fps), 'fps'),
        row(`scrolling ${shown} notes: p95 frame time`, summarize(p95), 'ms'),
        row(`scrolling ${shown} notes: longest frame`, summarize(worst), 'ms'),
      );
    }
    const body = [
      `Phone 390×844 DPR 3, CPU ÷${CPU_SLOWDOWN}, fast 4G (150 ms RTT, 1.6 Mbps down, 750 kbps up); ${repeats} runs each. Budgets (R114): join dialog ≤ 2 s on a first visit, scrolling at 60 fps.`,
      '',
      table(['measure', 'median', 'p95', 'max'], rows),
      '',
      ...(cold.length
        ? [
            `Every run — first visit: ${all(cold, 0)} ms; revisit: ${all(warm, 0)} ms. Script received (compressed, as sent) before the dialog: first visit ${fmt(coldBytes / 1024)} KB, revisit ${fmt(warmBytes / 1024)} KB.`,
            '',
            'The first run\'s first visit, request by request (times from the page\'s first request; "KB sent" as compressed on the wire):',
            '',
            waterfall,
            '',
          ]
        : []),
      ...(fps.length ? [`Every run — frames per second: ${all(fps, 1)}.`, ''] : []),
    ].join('\n');
    result = body;
  } finally {
    await browser.close();
    await srv.close();
  }
  publish({ title: 'The wall on a phone (issue 14)', script: 'phone', noDoc: args.noDoc, started, loadBefore, loadAfter: loadavg(), versionNames: ['react', 'yjs', 'playwright-core'], body: result });
}

await main();
