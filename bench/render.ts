/**
 * Render: frame times while panning (mouse drag) and zooming (wheel) a wall of 1,000 and 5,000
 * notes in headless Chromium, and the same input on a bare Konva page drawing the same columns,
 * rectangles and text (the floor: no React, no caching), once with every note and once hiding
 * the notes out of view as the wall culls them. Frame time = interval
 * between requestAnimationFrame callbacks while the input runs; main-thread time per frame comes
 * from the DevTools protocol.
 *
 *   npm run bench:render -- [--notes 1000,5000] [--seconds 5] [--rounds 2] [--quiet-below 2] [--profile DIR]
 *                           [--quick] [--no-doc]
 *   (BENCH_CLIENT_DIST=/path/to/unminified/dist serves another build of the client.)
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { columnX, listDomains, listNotes } from '@maillage/shared';
import { cliArgs, isMain, numberArg, numberList } from './lib/cli.ts';
import { loadavg, publish, table, waitForQuiet } from './lib/report.ts';
import { fmt, sleep } from './lib/stats.ts';
import { seedWall } from './lib/notes.ts';
import { openClient, within } from './lib/yclient.ts';
import { ensureClientBuilt, FLOOR_SCRIPT, KONVA_SCRIPT, PROBES, poolPhases, runPhase, stageView, type PhaseResult, type View } from './lib/browser.ts';
import { createBoard, startServer } from '../test/helpers/server.ts';
import { launchBrowser, personContext, DESKTOP } from '../test/helpers/browser.ts';

export interface RenderOptions {
  sizes: number[];
  /** Seconds of input per phase. */
  seconds: number;
  quietBelow?: number;
  /** Each page is measured this many times, in alternating order; frames are pooled. */
  rounds: number;
  /** Save JavaScript CPU profiles of the wall's phases here. */
  profileDir?: string;
  log?: (line: string) => void;
}

export interface RenderRow extends PhaseResult {
  notes: number;
  page: 'wall' | 'konva floor' | 'konva floor, culled';
}

export interface RenderResult {
  rows: RenderRow[];
  chromium: string;
  loadBefore: string;
  loadAfter: string;
}

interface FloorData {
  view: View;
  columns: { x: number; height: number; color: string; title: string; count: number }[];
  notes: { x: number; y: number; text: string; byline: string; color: string }[];
}

/** The wall's content in absolute wall coordinates, for the floor page. */
async function wallData(wsBase: string, boardId: string, view: View): Promise<FloorData> {
  const c = openClient(wsBase, boardId);
  try {
    await within(c.synced, 30_000, 'reader sync');
    const domains = listDomains(c.doc);
    const notes = listNotes(c.doc);
    const index = new Map(domains.map((d, i) => [d.id, i]));
    const counts = new Map<string, number>();
    const bottoms = new Map<string, number>();
    for (const n of notes) {
      counts.set(n.domainId, (counts.get(n.domainId) ?? 0) + 1);
      bottoms.set(n.domainId, Math.max(bottoms.get(n.domainId) ?? 0, n.y + 300));
    }
    return {
      view,
      columns: domains.map((d, i) => ({
        x: columnX(i),
        height: Math.max(900, (bottoms.get(d.id) ?? 0) + 40),
        color: d.color,
        title: d.title.fr,
        count: counts.get(d.id) ?? 0,
      })),
      notes: notes.map((n) => ({
        x: columnX(index.get(n.domainId) ?? 0) + n.x,
        y: n.y,
        text: n.text,
        byline: n.org ? `${n.author} · ${n.org}` : n.author,
        color: n.color,
      })),
    };
  } finally {
    c.destroy();
  }
}

async function measure(page: Page, seconds: number, profileAs?: string): Promise<PhaseResult[]> {
  const out: PhaseResult[] = [];
  for (const phase of ['pan', 'zoom'] as const) {
    await sleep(500);
    out.push(await runPhase(page, phase, seconds, profileAs && `${profileAs}-${phase}.cpuprofile`));
  }
  return out;
}

async function measureWall(browser: Browser, base: string, link: string, size: number, o: RenderOptions, round: number): Promise<{ phases: PhaseResult[]; view: View }> {
  // As a participant: the notes are not theirs, so a drag anywhere pans the stage.
  const ctx = await personContext(browser, { author: 'Bench', email: 'bench@example.org' }, { ...DESKTOP, bypassCSP: true });
  try {
    await ctx.addInitScript({ path: PROBES });
    const page = await ctx.newPage();
    await page.goto(`${base}${link}`);
    await page.waitForFunction(`(window.__maillage?.notes().length ?? 0) >= ${size}`, undefined, { timeout: 60_000, polling: 100 });
    await sleep(1000);
    const view = await stageView(page);
    const profileAs = o.profileDir && round === 0 ? path.join(o.profileDir, `render-wall-${size}`) : undefined;
    return { phases: await measure(page, o.seconds, profileAs), view };
  } finally {
    await ctx.close();
  }
}

async function measureFloor(browser: Browser, data: FloorData, cull: boolean, o: RenderOptions): Promise<{ phases: PhaseResult[]; view?: undefined }> {
  const ctx = await browser.newContext({ ...DESKTOP });
  try {
    await ctx.addInitScript({ path: PROBES });
    const page = await ctx.newPage();
    await page.setContent('<!doctype html><html><body style="margin:0"><div id="c" style="width:100vw;height:100vh"></div></body></html>');
    await page.addScriptTag({ content: fs.readFileSync(KONVA_SCRIPT, 'utf8') });
    await page.addScriptTag({ path: FLOOR_SCRIPT });
    await page.evaluate(`window.__buildFloor(${JSON.stringify({ ...data, cull })})`);
    await sleep(1000);
    return { phases: await measure(page, o.seconds) };
  } finally {
    await ctx.close();
  }
}

export async function run(o: RenderOptions): Promise<RenderResult> {
  const log = o.log ?? (() => undefined);
  const loadBefore = loadavg();
  ensureClientBuilt(log);
  // BENCH_CLIENT_DIST serves another build (e.g. an unminified one, for readable profiles).
  const srv = await startServer({ roomIdleMs: 60_000, ...(process.env.BENCH_CLIENT_DIST ? { clientDist: path.resolve(process.env.BENCH_CLIENT_DIST) } : {}) });
  let browser: Browser | null = null;
  const rows: RenderRow[] = [];
  try {
    browser = await launchBrowser();
    for (const size of o.sizes) {
      const b = await createBoard(srv.http, { title: `Render ${size}` });
      await seedWall(srv.ws, b.id, b.hostKey, size);
      if (o.quietBelow) await waitForQuiet(o.quietBelow, 120, log);

      const data: { view: View | null; floor: FloorData | null } = { view: null, floor: null };
      const floorData = async (): Promise<FloorData> => (data.floor ??= await wallData(srv.ws, b.id, data.view as View));
      const runs = new Map<RenderRow['page'], PhaseResult[][]>();
      const pages: RenderRow['page'][] = ['wall', 'konva floor', 'konva floor, culled'];
      for (let round = 0; round < o.rounds; round++) {
        // Alternate the order so that drift in the machine's load does not favour one page. The
        // wall goes first in the first round: the floors start from the view it opens with.
        for (const kind of round % 2 ? [...pages].reverse() : pages) {
          const res =
            kind === 'wall'
              ? await measureWall(browser, srv.http, b.links.participant, size, o, round)
              : await measureFloor(browser, await floorData(), kind === 'konva floor, culled', o);
          runs.set(kind, [...(runs.get(kind) ?? []), res.phases]);
          if (res.view) data.view = res.view;
        }
      }
      for (const kind of pages) {
        const list = runs.get(kind) ?? [];
        for (let k = 0; k < 2; k++) rows.push({ ...poolPhases(list.map((phases) => phases[k] as PhaseResult)), notes: size, page: kind });
      }
      log(`  ${size} notes measured`);
    }
    return { rows, chromium: browser.version(), loadBefore, loadAfter: loadavg() };
  } finally {
    await browser?.close();
    await srv.close();
  }
}

export function render(r: RenderResult, o: RenderOptions): string {
  const t1 = table(
    ['notes', 'page', 'phase', 'frames', 'frame p50 ms', 'frame p95 ms', 'frame max ms', 'main thread ms/frame', 'notes drawn'],
    r.rows.map((x) => [x.notes, x.page, x.phase, x.frames, fmt(x.frameMs.p50), fmt(x.frameMs.p95), fmt(x.frameMs.max), fmt(x.busyPerFrameMs), x.drawn]),
  );
  const ratios: (string | number)[][] = [];
  for (const size of o.sizes) {
    for (const phase of ['pan', 'zoom'] as const) {
      const get = (page: RenderRow['page']) => r.rows.find((x) => x.notes === size && x.phase === phase && x.page === page);
      const w = get('wall');
      for (const floor of ['konva floor', 'konva floor, culled'] as const) {
        const f = get(floor);
        if (w && f) ratios.push([size, phase, floor, fmt(w.frameMs.p50 / f.frameMs.p50), fmt(w.frameMs.p95 / f.frameMs.p95), fmt(w.busyPerFrameMs / f.busyPerFrameMs)]);
      }
    }
  }
  return [
    `Chromium ${r.chromium} headless (software rendering, --disable-gpu), 1440×900, device pixel ratio 1. Each phase: ` +
      `${o.seconds} s of input, ${o.rounds} run(s) per page in alternating order, frames pooled — pan: mouse held down and dragged along a ±250×±150 px Lissajous path; zoom: wheel ` +
      'notches (deltaY ±100) at the centre, ten in then ten out — starting from the view the wall opens with (zoom to ' +
      'fit, clamped to 10 %). Frame time = interval between animation frames during the input (16.7 ms = 60 fps).',
    '',
    t1,
    '',
    table(['notes', 'phase', 'floor', 'wall / floor p50', 'wall / floor p95', 'wall / floor main thread'], ratios),
  ].join('\n');
}

if (isMain(import.meta.url)) {
  const a = cliArgs(['notes', 'seconds', 'quiet-below', 'profile', 'rounds']);
  const opts: RenderOptions = {
    sizes: numberList(a.values.notes, a.quick ? [200] : [1000, 5000]),
    seconds: numberArg(a.values.seconds, a.quick ? 2 : 5),
    rounds: numberArg(a.values.rounds, a.quick ? 1 : 2),
    quietBelow: a.quick ? undefined : numberArg(a.values['quiet-below'], 2),
    profileDir: typeof a.values.profile === 'string' ? a.values.profile : undefined,
    log: (l) => console.log(l),
  };
  const started = new Date();
  const res = await run(opts);
  publish({
    title: 'Render',
    script: 'render',
    noDoc: a.noDoc,
    started,
    loadBefore: res.loadBefore,
    loadAfter: res.loadAfter,
    versionNames: ['react', 'react-konva', 'konva', 'playwright-core'],
    extraVersions: { chromium: res.chromium },
    body: render(res, opts),
  });
}
