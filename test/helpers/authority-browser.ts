/**
 * Shared steps of the "nothing typed is lost" browser tests (test/browser/authority-*.e2e.test.ts):
 * opening a wall page at a size, adding a note on the canvas, locking from a host session,
 * reading the server's JSON export, and screenshots.
 *
 * Screenshots go to a temporary folder (printed once), or to docs/screenshots/ with
 * `MAILLAGE_SCREENSHOTS=1`.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { WallExport } from '@maillage/shared';
import { personContext, wallGeometry, type Person } from './browser.ts';
import { REPO_ROOT } from './processes.ts';
import { call, type SessionClient } from './session.ts';

export const LAPTOP = { viewport: { width: 1920, height: 1080 } };
export const PHONE_TOUCH = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
export type Size = typeof LAPTOP | typeof PHONE_TOUCH;

let shotDir: string | null = null;
/** Where this run's screenshots go. */
export function screenshotDir(): string {
  if (shotDir) return shotDir;
  shotDir = process.env.MAILLAGE_SCREENSHOTS ? path.join(REPO_ROOT, 'docs/screenshots') : fs.mkdtempSync(path.join(os.tmpdir(), 'authority-shots-'));
  fs.mkdirSync(shotDir, { recursive: true });
  console.log(`authority screenshots: ${shotDir}`);
  return shotDir;
}

export async function shot(page: Page, name: string): Promise<string> {
  const file = path.join(screenshotDir(), `authority-${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Opens `url` in a new page of a fresh context at `size`; waits for the live connection and the columns. */
export async function openWallAt(
  browser: Browser,
  contexts: BrowserContext[],
  url: string,
  person: Person | null,
  size: Size,
): Promise<Page> {
  // bypassCSP only lets axeSerious() inject axe-core (the app's CSP rightly refuses it).
  const ctx = await personContext(browser, person, { ...size, bypassCSP: true });
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error('pageerror', e.message));
  await page.goto(url);
  await waitLive(page);
  return page;
}

/**
 * Waits until the page is connected and shows the wall's columns and, for a `writer`, until the
 * session has said it may add notes (its role arrives over socket.io, after the document).
 */
export async function waitLive(page: Page, timeout = 20_000, writer = true): Promise<void> {
  await page.waitForSelector('[data-status="connected"]', { timeout });
  await page.waitForFunction(
    (w) => {
      const cols = (window as unknown as { __maillage?: { columns(): { canAdd: boolean }[] } }).__maillage?.columns() ?? [];
      return cols.length > 0 && (!w || cols.some((c) => c.canAdd));
    },
    writer,
    { timeout },
  );
}

/** Opens the canvas editor of a new note in `domainId` (the column's "+") and types `text`. */
export async function typeOnCanvas(page: Page, domainId: string, text: string): Promise<void> {
  // The first zoom-to-fit may still be moving the columns: read their place again and retry.
  for (let attempt = 0; ; attempt++) {
    const { columns, origin } = await wallGeometry(page);
    const col = columns.find((c) => c.id === domainId);
    if (!col) throw new Error(`no column ${domainId}`);
    await page.mouse.click(origin.x + col.add.x, origin.y + col.add.y);
    const opened = await page
      .locator('.note-editor textarea')
      .waitFor({ timeout: 3000 })
      .then(() => true, () => false);
    if (opened) break;
    if (attempt >= 4) throw new Error(`the editor of ${domainId} never opened`);
  }
  await page.locator('.note-editor textarea').fill(text);
}

/** The host locks or unlocks the wall over socket.io; resolves once the server acknowledged. */
export async function setLocked(host: SessionClient, locked: boolean): Promise<void> {
  const res = await call(host, 'host:lock', { locked });
  if (!res.ok) throw new Error(`host:lock failed: ${res.error.code}`);
}

/** The wall as the server exports it (host key). */
export async function exportJson(base: string, boardId: string, hostKey: string): Promise<WallExport> {
  const res = await fetch(`${base}/api/boards/${boardId}/export.json`, { headers: { authorization: `Bearer ${hostKey}` }, signal: AbortSignal.timeout(10_000) });
  if (res.status !== 200) throw new Error(`export.json: ${res.status} ${await res.text()}`);
  return (await res.json()) as WallExport;
}

/** Polls `probe` until it returns true (or throws after `timeout`, with `what` and the last value). */
export async function eventually<T>(probe: () => Promise<T>, ok: (v: T) => boolean, what: string, timeout = 15_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await probe();
    if (ok(v)) return v;
    if (Date.now() - start > timeout) throw new Error(`${what} never happened; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Serious or critical axe-core violations on the page as it is now, as "rule (node count)". */
export async function axeSerious(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    type V = { id: string; impact: string | null; nodes: { target: string[] }[] };
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: V[] }> } }).axe;
    const res = await axe.run(document, { resultTypes: ['violations'] });
    return res.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.nodes.length}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
}

/** `promise`, or a failure naming `what` after `ms` (a hang then says where it was). */
export async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
