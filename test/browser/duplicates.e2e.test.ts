/**
 * Same-organization duplicates in the clusters panel, in real headless Chromium (docs/spec.md
 * R258): when one organization posted the same activity many times, the host sees the closest
 * 100 pairs and a sentence saying how many were found and how to see the rest — on a 1920×1080
 * screen (mouse) and on a phone (390×844, touch, from the header's menu), in French and English.
 * Before R258 every pair was sent and listed (170,000 on a 20,000-note replicated wall).
 *
 * Screenshots go to a temporary folder, or to docs/screenshots/u-*.png with `MAILLAGE_SCREENSHOTS=1`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { addNote, listNotes } from '@maillage/shared';
import { createBoard, startServer, type TestServer } from '../helpers/server.ts';
import { launchBrowser, personContext } from '../helpers/browser.ts';
import { connectClient, waitFor, type YClient } from '../helpers/yclient.ts';
import { REPO_ROOT } from '../helpers/processes.ts';

const PHONE3 = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3 };
const PROJECTOR = { viewport: { width: 1920, height: 1080 } };
const shots = process.env.MAILLAGE_SCREENSHOTS ? path.join(REPO_ROOT, 'docs/screenshots') : fs.mkdtempSync(path.join(os.tmpdir(), 'duplicates-shots-'));
/** Copies of one note: numbers are not words to the engine, so every pair of them is a duplicate. */
const REPOSTS = 24;

let srv: TestServer;
let browser: Browser;
const yclients: YClient[] = [];
beforeAll(async () => {
  srv = await startServer();
  browser = await launchBrowser();
  console.log(`duplicates screenshots: ${shots}`);
});
afterAll(async () => {
  yclients.forEach((c) => c.destroy());
  await browser?.close();
  await srv?.close();
});

/** A wall where one organization posted its homework club 24 times, among other activities. */
async function seeded(): Promise<Awaited<ReturnType<typeof createBoard>>> {
  const b = await createBoard(srv.http, { title: 'Atelier Estrie — doublons' });
  const host = connectClient(srv.ws, b.id, { key: b.hostKey });
  yclients.push(host);
  await host.synced;
  const others: [string, string][] = [
    ['Mentorat des élèves du secondaire', 'CJE Estrie'],
    ['Mentoring for newcomer youth', 'YMCA'],
    ['Soirées sportives pour les jeunes', 'Ville de Sherbrooke'],
    ['Cours de cuisine communautaire', 'Centre communautaire'],
    ['Job fair for high school students', 'Carrefour jeunesse-emploi'],
  ];
  for (const [text, org] of others) addNote(host.doc, { text, org, domainId: 'other', author: org, email: '' });
  for (let i = 1; i <= REPOSTS; i++) {
    addNote(host.doc, { text: `Aide aux devoirs après l'école pour les élèves du secondaire, groupe ${i}`, org: 'Maison des jeunes', domainId: 'other', author: 'Inès', email: '' });
  }
  await waitFor(host.doc, () => listNotes(host.doc).length === others.length + REPOSTS);
  return b;
}

async function open(url: string, opts: typeof PHONE3 | typeof PROJECTOR, locale: string): Promise<Page> {
  const ctx = await personContext(browser, { author: 'Hélène', email: 'helene@example.org' }, { ...opts, locale });
  const page = await ctx.newPage();
  await page.goto(url);
  await page.waitForSelector('[data-status="connected"]');
  return page;
}

describe('R258: duplicates in the clusters panel', () => {
  for (const [name, opts, phone, locale] of [
    ['a 1920×1080 screen, in French', PROJECTOR, false, 'fr-CA'],
    ['a 1920×1080 screen, in English', PROJECTOR, false, 'en-CA'],
    ['a phone, in French', PHONE3, true, 'fr-CA'],
    ['a phone, in English', PHONE3, true, 'en-CA'],
  ] as const) {
    it(`R258: the host sees the closest 100 pairs and how many were found, on ${name}`, async () => {
      const b = await seeded();
      const page = await open(`${srv.http}/b/${b.id}#k=${b.hostKey}`, opts, locale);
      const fr = locale.startsWith('fr');
      try {
        const panelButton = { name: fr ? 'Regroupements' : 'Groupings' };
        if (phone) {
          await page.getByTestId('phone-menu-button').tap();
          await page.getByTestId('phone-menu').getByRole('button', panelButton).tap();
        } else {
          await page.getByRole('button', panelButton).click();
        }
        const run = page.getByRole('button', { name: fr ? 'Trouver les activités semblables' : 'Find similar activities' });
        await (phone ? run.tap() : run.click());
        const section = page.locator('section[aria-labelledby="dup-title"]');
        await section.waitFor({ timeout: 30_000 });
        const pairs = section.locator('li.cluster');
        await expect.poll(() => pairs.count()).toBe(100);
        const more = page.getByTestId('duplicates-more');
        const text = await more.innerText();
        // 24 copies, each listing its nearest neighbours: far more pairs than the 100 shown.
        const found = Number((text.match(fr ? /des ([\d\s\u202f\u00a0]+) doublons/ : /of ([\d,]+) possible/)?.[1] ?? '').replace(/[^\d]/g, ''));
        expect(found).toBeGreaterThan(100);
        expect(found).toBeLessThanOrEqual((REPOSTS * (REPOSTS - 1)) / 2);
        expect(text).toContain(fr ? 'Les 100 plus proches' : 'The 100 closest');
        expect(text).toContain(fr ? 'relancez la recherche' : 'find similar activities again');
        // Readable where it is: inside the screen, no sideways scrolling.
        await more.scrollIntoViewIfNeeded();
        const box = await more.boundingBox();
        expect(box && box.x >= 0 && box.x + box.width <= opts.viewport.width).toBe(true);
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
        await page.screenshot({ path: path.join(shots, `u-duplicates-${locale}-${opts.viewport.width}.png`) });

        // Merging the first pair works from the cut list: one copy fewer on the wall.
        const first = pairs.first();
        const merge = first.getByRole('button', { name: fr ? 'Fusionner (garder les deux noms)' : 'Merge (keep both names)' });
        await (phone ? merge.tap() : merge.click());
        const host = yclients[yclients.length - 1] as YClient;
        await waitFor(host.doc, () => listNotes(host.doc).filter((n) => n.text.startsWith('Aide aux devoirs')).length === REPOSTS - 1);
        await expect.poll(() => pairs.count()).toBeLessThan(100);
      } finally {
        await page.context().close();
      }
    }, 90_000);
  }
});
