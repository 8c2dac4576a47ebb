/**
 * Real headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core. The flags keep
 * it off the network: this machine has none, and Chromium's background services would stall.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
export const DESKTOP = { viewport: { width: 1440, height: 900 } };

export interface Person {
  author: string;
  email: string;
  org?: string;
}

/**
 * A context whose device already has a participant profile (skips the join dialog).
 *
 * `view` is the device's remembered choice of view (`maillage.view`). Phones open a wall in the
 * readable list by default (docs/spec.md R100); the tests written for the canvas — touch
 * gestures, placement, the outage and lock flows on a phone — pick the canvas as a person does
 * once, which is the default here. `null` leaves the device's own default (test/browser/phone*).
 */
export async function personContext(
  browser: Browser,
  person: Person | null,
  opts: Parameters<Browser['newContext']>[0] = DESKTOP,
  view: 'canvas' | 'list' | null = 'canvas',
): Promise<BrowserContext> {
  const ctx = await browser.newContext({ locale: 'fr-CA', ...opts });
  if (view) {
    await ctx.addInitScript((v) => {
      if (!localStorage.getItem('maillage.view')) localStorage.setItem('maillage.view', v);
    }, view);
  }
  if (person) {
    await ctx.addInitScript((p) => {
      localStorage.setItem('maillage.profile', JSON.stringify({ org: '', color: '#fff59d', ...p }));
    }, person);
  }
  return ctx;
}

export interface NoteBox {
  id: string;
  domainId: string;
  text: string;
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface ColumnBox {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  add: { x: number; y: number };
}

/** Geometry the wall publishes for tests (positions only). Coordinates are relative to the wall. */
export async function wallGeometry(page: Page): Promise<{ notes: NoteBox[]; columns: ColumnBox[]; origin: { x: number; y: number } }> {
  return page.evaluate(() => {
    const w = (window as unknown as { __maillage?: { notes(): NoteBox[]; columns(): ColumnBox[] } }).__maillage;
    const el = document.querySelector('.wall canvas') as HTMLCanvasElement | null;
    const box = el?.getBoundingClientRect();
    return { notes: w?.notes() ?? [], columns: w?.columns() ?? [], origin: { x: box?.left ?? 0, y: box?.top ?? 0 } };
  });
}

export async function waitForNotes(page: Page, predicate: (notes: NoteBox[]) => boolean, timeout = 10_000): Promise<NoteBox[]> {
  const start = Date.now();
  for (;;) {
    const { notes } = await wallGeometry(page);
    if (predicate(notes)) return notes;
    if (Date.now() - start > timeout) throw new Error(`notes never matched; last: ${JSON.stringify(notes.map((n) => [n.text, n.domainId]))}`);
    await page.waitForTimeout(100);
  }
}

/** Waits until the canvas has laid out its domain columns (the wall is drawn). */
export async function waitForColumns(page: Page): Promise<void> {
  await page.waitForFunction(() => ((window as unknown as { __maillage?: { columns(): unknown[] } }).__maillage?.columns().length ?? 0) > 0);
}

/** Switches to the list view: from the toolbar, or on a phone from the header's menu (R105). */
export async function showList(page: Page): Promise<void> {
  const menu = page.getByTestId('phone-menu-button');
  if (await menu.count()) await menu.click();
  await page.getByRole('button', { name: /^(Liste|List)$/ }).click();
  await page.locator('.list-view, .phone-wall').first().waitFor();
}
