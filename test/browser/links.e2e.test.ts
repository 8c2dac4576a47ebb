/**
 * Links and "my walls" in real Chromium (docs/spec.md R152–R154): the host panel always shows the
 * participant, projection and review links with copy and QR buttons; renewing the review link
 * asks first (a refusal changes nothing), then the old review key stops working and the panel
 * shows the new link; a wall created on this device is listed on the landing page after a
 * reload, with a warning that the host link cannot be emailed, and opens as host from there.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createBoard, startServer, type TestServer } from '../helpers/server.ts';
import { launchBrowser, personContext, DESKTOP, PHONE } from '../helpers/browser.ts';

let srv: TestServer;
let browser: Browser;
beforeAll(async () => {
  srv = await startServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await srv?.close();
});

const SHOTS = path.resolve('docs/screenshots');

async function open(url: string, opts: Parameters<Browser['newContext']>[0] = DESKTOP): Promise<Page> {
  const ctx = await personContext(browser, { author: 'Hôte', email: 'hote@example.org' }, opts);
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: srv.http });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error('pageerror', e.message));
  await page.goto(url);
  return page;
}

const reviewStatus = (id: string, key: string) => fetch(`${srv.http}/api/boards/${id}/export.json`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.status);

describe('links panel and my walls', () => {
  it('R152 R153 the links panel shows participant, projection and review links with copy and QR; renewing the review link is confirmed first', async () => {
    const b = await createBoard(srv.http, { title: 'Liens' });
    const page = await open(`${srv.http}${b.links.host}`);
    await page.waitForSelector('[data-status="connected"]');
    await page.getByRole('button', { name: 'Animation' }).click();
    const panel = page.getByTestId('links-panel');
    await panel.waitFor();
    expect(await panel.getByTestId('link-participant').inputValue()).toBe(`${srv.http}/b/${b.id}`);
    expect(await panel.getByTestId('link-projection').inputValue()).toBe(`${srv.http}/b/${b.id}?projection`);
    await expect.poll(() => panel.getByTestId('link-review').inputValue()).toBe(`${srv.http}${b.links.review}`);

    // Copy: the clipboard holds the review link.
    await panel.locator('[data-link="review"]').getByRole('button', { name: 'Copier' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(`${srv.http}${b.links.review}`);
    // QR on demand, for each public link.
    for (const name of ['link-participant', 'link-projection', 'link-review']) {
      await panel.getByTestId(`${name}-qr`).click();
      await panel.locator(`[data-link="${name.replace('link-', '')}"] img[data-testid="qr"]`).waitFor();
    }
    for (const name of ['link-participant', 'link-projection']) await panel.getByTestId(`${name}-qr`).click();
    await panel.locator('[data-link="participant"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, '16-links-panel.png') });

    // Renew, refused at the confirmation: nothing changes.
    page.once('dialog', (d) => void d.dismiss());
    await panel.getByTestId('renew-review').click();
    await page.waitForTimeout(300);
    expect(await panel.getByTestId('link-review').inputValue()).toBe(`${srv.http}${b.links.review}`);
    expect(await reviewStatus(b.id, b.reviewKey)).toBe(200);

    // Renew, confirmed: the old key is dead, the panel shows the new link, which works.
    let asked = '';
    page.once('dialog', (d) => {
      asked = d.message();
      void d.accept();
    });
    await panel.getByTestId('renew-review').click();
    await expect.poll(() => panel.getByTestId('link-review').inputValue()).not.toBe(`${srv.http}${b.links.review}`);
    expect(asked).toContain('L’ancien lien cessera de fonctionner');
    const fresh = (await panel.getByTestId('link-review').inputValue()).split('#k=')[1] as string;
    expect(await reviewStatus(b.id, b.reviewKey)).toBe(401);
    expect(await reviewStatus(b.id, fresh)).toBe(200);
    await page.context().close();
  });

  it('R154 a wall created here is in "my walls" after a reload, with the no-email warning, and opens as host', async () => {
    const page = await open(srv.http);
    await page.getByLabel('Titre du mur').fill('Mon atelier retrouvé');
    await page.getByRole('button', { name: 'Créer le mur' }).click();
    await page.getByTestId('created').waitFor();
    expect(await page.getByTestId('host-link-warning').textContent()).toContain('Aucun courriel ne peut vous l’envoyer');
    const hostLink = await page.getByTestId('host-link').inputValue();

    // The tab is closed and reopened later: the wall is still listed on this device.
    await page.reload();
    const mine = page.getByTestId('my-walls');
    await mine.waitFor();
    expect(await mine.locator('li').count()).toBe(1);
    expect(await mine.locator('li strong').textContent()).toBe('Mon atelier retrouvé');
    expect(await mine.locator('input').inputValue()).toBe(hostLink);
    const stored = await page.evaluate(() => localStorage.getItem('maillage.myWalls'));
    await mine.getByRole('link', { name: 'Ouvrir en animation' }).click();
    await expect.poll(() => page.getByTestId('role').textContent(), { timeout: 15_000 }).toBe('Animation');
    expect(page.url()).toBe(hostLink);
    await page.context().close();

    // The same list on a phone (what the device keeps is only this list).
    const phoneCtx = await personContext(browser, null, { ...PHONE, deviceScaleFactor: 3 });
    await phoneCtx.addInitScript((v) => localStorage.setItem('maillage.myWalls', v), stored ?? '[]');
    const phone = await phoneCtx.newPage();
    await phone.goto(srv.http);
    await phone.getByTestId('my-walls').waitFor();
    await phone.getByTestId('my-walls').scrollIntoViewIfNeeded();
    await phone.screenshot({ path: path.join(SHOTS, '16-my-walls-phone.png') });
    await phoneCtx.close();
  });
});
