/**
 * Headless Chromium for the cold-load and render benchmarks: the built client served by a real
 * server, frame timing from requestAnimationFrame, main-thread time from the DevTools protocol,
 * and scripted pan (mouse drag) and zoom (wheel) that are identical for every page.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { CDPSession, Page } from 'playwright-core';
import { REPO_ROOT } from './report.ts';
import { summarize, type Summary } from './stats.ts';

export const PROBES = path.join(REPO_ROOT, 'bench/render/page-probes.js');
export const FLOOR_SCRIPT = path.join(REPO_ROOT, 'bench/render/konva-floor.js');
export const KONVA_SCRIPT = path.join(REPO_ROOT, 'node_modules/konva/konva.min.js');

/** Builds the client when client/dist is missing (the server serves whatever is there). */
export function ensureClientBuilt(log: (l: string) => void = () => undefined): void {
  if (fs.existsSync(path.join(REPO_ROOT, 'client/dist/index.html'))) return;
  log('  client/dist missing: running npm run build');
  execFileSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
}

export interface View {
  x: number;
  y: number;
  scale: number;
}

/** The first Konva stage's transform (Konva puts itself on window). */
export function stageView(page: Page): Promise<View> {
  return page.evaluate(`(() => { const s = window.Konva.stages[0]; return { x: s.x(), y: s.y(), scale: s.scaleX() }; })()`) as Promise<View>;
}

/** Note groups currently drawn (mounted and visible: the wall culls by unmounting, the floor by hiding). */
export function drawnNotes(page: Page): Promise<number> {
  return page.evaluate(`window.Konva.stages[0].find('.note').filter((n) => n.isVisible()).length`) as Promise<number>;
}

export interface PhaseResult {
  phase: 'pan' | 'zoom';
  frames: number;
  frameMs: Summary;
  /** Main-thread task time per frame (DevTools Performance.getMetrics TaskDuration). */
  busyPerFrameMs: number;
  /** Notes drawn at the end of the phase. */
  drawn: number;
  /** The frame intervals themselves, ms (for pooling several runs). */
  intervals: number[];
  /** Main-thread task time over the phase, ms. */
  busyMs: number;
}

/** One result from several runs of the same phase: intervals pooled, main-thread time summed. */
export function poolPhases(runs: PhaseResult[]): PhaseResult {
  const intervals = runs.flatMap((r) => r.intervals);
  const busyMs = runs.reduce((s, r) => s + r.busyMs, 0);
  return {
    phase: (runs[0] as PhaseResult).phase,
    frames: intervals.length,
    frameMs: summarize(intervals),
    busyPerFrameMs: busyMs / Math.max(1, intervals.length),
    drawn: (runs[runs.length - 1] as PhaseResult).drawn,
    intervals,
    busyMs,
  };
}

const sessions = new WeakMap<Page, CDPSession>();

/** Main-thread task time so far, seconds (one DevTools session per page: metrics start at enable). */
async function taskSeconds(page: Page): Promise<number> {
  let cdp = sessions.get(page);
  if (!cdp) {
    cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    sessions.set(page, cdp);
  }
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  return metrics.find((m) => m.name === 'TaskDuration')?.value ?? NaN;
}

/**
 * Runs one input phase for `seconds` and measures frames. Pan: press in the middle and drag
 * along a Lissajous path (±250 × ±150 px). Zoom: wheel notches (deltaY ±100) at the middle,
 * ten in, ten out, repeatedly. Both pages get exactly the same input.
 */
export async function runPhase(page: Page, phase: 'pan' | 'zoom', seconds: number, profileTo?: string): Promise<PhaseResult> {
  const vp = page.viewportSize() ?? { width: 1440, height: 900 };
  const cx = vp.width / 2;
  const cy = vp.height / 2;
  await page.mouse.move(cx, cy);
  const profiler = profileTo ? await page.context().newCDPSession(page) : null;
  if (profiler) {
    await profiler.send('Profiler.enable');
    await profiler.send('Profiler.setSamplingInterval', { interval: 200 });
    await profiler.send('Profiler.start');
  }
  const busy0 = await taskSeconds(page);
  await page.evaluate(`window.__bench.frames = []; window.__bench.recording = true;`);
  const end = Date.now() + seconds * 1000;
  let i = 0;
  if (phase === 'pan') {
    await page.mouse.down();
    while (Date.now() < end && i < 100_000) {
      i++;
      await page.mouse.move(cx + 250 * Math.sin((2 * Math.PI * i) / 120), cy + 150 * Math.sin((2 * Math.PI * i) / 170));
    }
    await page.mouse.up();
  } else {
    while (Date.now() < end && i < 100_000) {
      const inward = Math.floor(i / 10) % 2 === 0;
      i++;
      await page.mouse.wheel(0, inward ? -100 : 100);
    }
  }
  const frames = (await page.evaluate(`(() => { window.__bench.recording = false; return window.__bench.frames; })()`)) as number[];
  const busy1 = await taskSeconds(page);
  if (profiler && profileTo) {
    const { profile } = await profiler.send('Profiler.stop');
    fs.mkdirSync(path.dirname(profileTo), { recursive: true });
    fs.writeFileSync(profileTo, JSON.stringify(profile));
    await profiler.detach();
  }
  const intervals: number[] = [];
  for (let k = 1; k < frames.length; k++) intervals.push((frames[k] as number) - (frames[k - 1] as number));
  return {
    phase,
    frames: intervals.length,
    frameMs: summarize(intervals),
    busyPerFrameMs: ((busy1 - busy0) * 1000) / Math.max(1, intervals.length),
    drawn: await drawnNotes(page),
    intervals,
    busyMs: (busy1 - busy0) * 1000,
  };
}
