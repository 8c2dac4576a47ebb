/**
 * Side panels beside the toolbar and the phone's add button, in real headless Chromium:
 * - R230: on a phone (390×844, touch) the host panel's last fields are not covered by the
 *   floating "Ajouter une activité" button: scrolled to its end, no control or line of text of
 *   the panel is under anything drawn over it.
 * - R231: a side panel starts right under the toolbar, whatever the toolbar's height: on a phone
 *   (its compact header), on a narrow desktop window where the toolbar wraps to several rows, and
 *   on a 1920×1080 projector screen.
 *
 * Screenshots go to a temporary folder, or to docs/screenshots/u-*.png with `MAILLAGE_SCREENSHOTS=1`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, createBoard, type TestServer } from '../helpers/server.ts';
import { launchBrowser, personContext } from '../helpers/browser.ts';
import { REPO_ROOT } from '../helpers/processes.ts';

const PHONE3 = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3 };
const NARROW = { viewport: { width: 760, height: 900 } };
const PROJECTOR = { viewport: { width: 1920, height: 1080 } };
const shots = process.env.MAILLAGE_SCREENSHOTS ? path.join(REPO_ROOT, 'docs/screenshots') : fs.mkdtempSync(path.join(os.tmpdir(), 'panels-layout-shots-'));

let browser: Browser;
let srv: TestServer;

beforeAll(async () => {
  browser = await launchBrowser();
  srv = await startServer();
  console.log(`panels layout screenshots: ${shots}`);
});
afterAll(async () => {
  await browser?.close();
  await srv?.close();
});

const HOST = { author: 'Hélène', email: 'helene@example.org', org: 'Table de concertation' };

async function hostPage(opts: Parameters<Browser['newContext']>[0]): Promise<{ page: Page; close(): Promise<void> }> {
  const b = await createBoard(srv.http, { title: 'Atelier — plan d’action jeunesse 2027 pour la région de Laval et des environs' });
  const ctx = await personContext(browser, HOST, { ...opts, locale: 'fr-CA' }, null);
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error('pageerror', e.message));
  await page.goto(`${srv.http}/b/${b.id}#k=${b.hostKey}`);
  await page.locator('.toolbar').waitFor();
  return { page, close: () => ctx.close() };
}

/** Opens the host panel: from the toolbar, or from the phone header's menu. */
async function openHostPanel(page: Page, phone: boolean): Promise<void> {
  if (phone) {
    await page.getByTestId('phone-menu-button').tap();
    await page.getByTestId('phone-menu').getByRole('button', { name: 'Animation' }).tap();
  } else {
    await page.getByRole('button', { name: 'Animation' }).click();
  }
  await page.locator('.host-panel').waitFor();
}

describe('side panels', () => {
  it('R230: on a phone, nothing of the host panel, scrolled to its end, is under the add button (or anything else drawn over it)', async () => {
    const { page, close } = await hostPage(PHONE3);
    try {
      // The wall is up and the add button is there before the panel opens.
      await page.getByRole('button', { name: /Ajouter une activité/ }).waitFor();
      await openHostPanel(page, true);
      await page.locator('.host-panel').evaluate((el) => el.scrollTo(0, el.scrollHeight));
      await page.waitForFunction(() => {
        const el = document.querySelector('.host-panel') as HTMLElement;
        return Math.abs(el.scrollTop + el.clientHeight - el.scrollHeight) <= 1;
      });
      const covered = await page.locator('.host-panel').evaluate((panel) => {
        const view = panel.getBoundingClientRect();
        const out: string[] = [];
        // Anything drawn over the panel (the add button, a toast…) that hides a control or a line of text.
        const over = Array.from(document.querySelectorAll<HTMLElement>('body *')).filter((el) => {
          if (panel.contains(el) || el.contains(panel)) return false;
          const cs = getComputedStyle(el);
          return (cs.position === 'fixed' || cs.position === 'absolute') && cs.visibility !== 'hidden' && el.getBoundingClientRect().width > 0;
        });
        for (const el of Array.from(panel.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href], summary, label, p, h2, h3, li'))) {
          const r = el.getBoundingClientRect();
          if (!r.width || !r.height || r.bottom <= view.top || r.top >= view.bottom) continue;
          // Judged by the part inside the panel's scroll view.
          const top = Math.max(r.top, view.top);
          const bottom = Math.min(r.bottom, view.bottom);
          for (const o of over) {
            const b = o.getBoundingClientRect();
            const z = (e: Element) => Number.parseInt(getComputedStyle(e).zIndex, 10) || 0;
            if (z(o) < z(panel)) continue; // under the panel, not over it
            if (b.left < r.right && b.right > r.left && b.top < bottom && b.bottom > top) {
              out.push(`${el.tagName} "${(el.textContent || el.getAttribute('aria-label') || el.getAttribute('name') || '').trim().slice(0, 40)}" under .${o.className}`);
            }
          }
        }
        return out;
      });
      expect(covered).toEqual([]);
      await page.screenshot({ path: path.join(shots, 'u-phone-host-panel-end.png') });
      // Closing the panel brings the add button back.
      await page.locator('.host-panel').getByRole('button', { name: 'Fermer' }).first().tap();
      await page.getByRole('button', { name: /Ajouter une activité/ }).waitFor();
    } finally {
      await close();
    }
  });

  for (const [name, opts, phone] of [
    ['a phone', PHONE3, true],
    ['a narrow desktop window (the toolbar wraps)', NARROW, false],
    ['a 1920×1080 projector screen', PROJECTOR, false],
  ] as const) {
    it(`R231: on ${name}, the host panel starts right under the toolbar`, async () => {
      const { page, close } = await hostPage(opts);
      try {
        await openHostPanel(page, phone);
        const bar = await page.locator('.toolbar').boundingBox();
        const panel = await page.locator('.host-panel').boundingBox();
        expect(bar && panel).toBeTruthy();
        if (!bar || !panel) return;
        if (name.startsWith('a narrow')) expect(bar.height).toBeGreaterThan(60); // the case this guards: two rows or more
        expect(Math.abs(panel.y - (bar.y + bar.height))).toBeLessThanOrEqual(1);
        await page.screenshot({ path: path.join(shots, `u-host-panel-top-${opts.viewport.width}.png`) });
      } finally {
        await close();
      }
    });
  }
});
