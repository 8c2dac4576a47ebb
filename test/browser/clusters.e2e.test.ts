/**
 * The clusters panel in real Chromium (docs/spec.md R23): the host finds similar activities,
 * sees why they were grouped, accepts a group; a participant then sees it as halos and in the
 * "who should talk to whom" sheet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { addNote } from '@maillage/shared';
import { startServer, createBoard, type TestServer } from '../helpers/server.ts';
import { connectClient, sleep } from '../helpers/yclient.ts';
import { launchBrowser, personContext, DESKTOP } from '../helpers/browser.ts';

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

async function open(path: string, who: string): Promise<Page> {
  const ctx = await personContext(browser, { author: who, email: `${who.toLowerCase()}@example.org` }, DESKTOP);
  const page = await ctx.newPage();
  await page.goto(srv.http + path);
  await page.waitForSelector('[data-status="connected"]');
  return page;
}

describe('clusters panel', () => {
  it('R23 the host runs clustering, reads why, accepts a group; a participant sees it and its contacts', async () => {
    const b = await createBoard(srv.http);
    const seed = connectClient(srv.ws, b.id, { key: b.hostKey });
    await seed.synced;
    const notes: [string, string, string, string][] = [
      ['Ateliers d’entrepreneuriat pour les jeunes', 'CJE Outaouais', 'hs-to-employment', 'Julie'],
      ['Entrepreneurship workshops for youth', 'YMCA', 'engage-youth', 'John'],
      ['Aide aux devoirs après l’école', 'Maison des jeunes', 'graduate-high-school', 'Nadia'],
      ['After-school homework help', 'Boys and Girls Club', 'graduate-high-school', 'Kim'],
      ['Cours de cuisine communautaire', 'Centre communautaire', 'other', 'Paul'],
    ];
    for (const [text, org, domainId, author] of notes) addNote(seed.doc, { text, org, domainId, author, email: `${author.toLowerCase()}@example.org` });
    await sleep(200);
    seed.destroy();

    const host = await open(b.links.host, 'Hote');
    await host.getByRole('button', { name: 'Regroupements' }).click();
    await host.getByRole('button', { name: 'Trouver les activités semblables' }).click();
    const group = host.locator('.cluster').filter({ hasText: 'Entrepreneurship workshops for youth' });
    await group.waitFor({ timeout: 20_000 });
    await expect.poll(() => group.innerText()).toContain('Ateliers d’entrepreneuriat pour les jeunes');
    expect(await group.innerText()).toMatch(/Pourquoi :/);
    expect(await group.innerText()).toMatch(/\d+ %/);
    expect(await host.locator('.cluster').filter({ hasText: 'Cours de cuisine' }).count()).toBe(0);
    await group.getByLabel('Nom du groupe').fill('Entrepreneuriat jeunesse');
    await group.getByRole('button', { name: 'Retenir' }).click();
    await host.getByRole('tab', { name: 'Groupes retenus' }).click();
    await host.locator('.cluster input[aria-label="Nom du groupe"]').first().waitFor();
    expect(await host.locator('.cluster input[aria-label="Nom du groupe"]').first().inputValue()).toBe('Entrepreneuriat jeunesse');

    const guest = await open(b.links.participant, 'Invite');
    type Halo = { id: string; suggested: boolean };
    await expect
      .poll(() => guest.evaluate(() => (window as unknown as { __maillage: { halos(): Halo[] } }).__maillage.halos().length))
      .toBeGreaterThanOrEqual(2);
    await guest.getByRole('button', { name: 'Regroupements' }).click();
    await guest.getByRole('tab', { name: 'Qui devrait se parler' }).click();
    const sheet = await guest.locator('table.contacts').innerText();
    expect(sheet).toContain('CJE Outaouais');
    expect(sheet).toContain('YMCA');
    expect(sheet).not.toContain('@'); // participants do not see emails
    await host.context().close();
    await guest.context().close();
  });
});
