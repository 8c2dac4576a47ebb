/**
 * The contacts sheet ("who should talk to whom") in the export menu, in real headless Chromium
 * (docs/spec.md R233): the host downloads it with emails — on a phone (390×844, touch, from the
 * header's menu) and on a 1920×1080 screen; a review link the hosts did not open to emails gets
 * the same sheet without any email, and the menu says so before it downloads. The emails come
 * only from the server's `contacts:list` for each viewer (R85): the client decides nothing.
 *
 * Screenshots go to a temporary folder, or to docs/screenshots/u-*.png with `MAILLAGE_SCREENSHOTS=1`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { acceptCluster, addNote, addRelation, listNotes, ownerIdFromSecret } from '@maillage/shared';
import { createBoard, startServer, type TestServer } from '../helpers/server.ts';
import { launchBrowser, personContext, type Person } from '../helpers/browser.ts';
import { connectClient, waitFor, type YClient } from '../helpers/yclient.ts';
import { REPO_ROOT } from '../helpers/processes.ts';
import { call, joinSession, type SessionClient } from '../helpers/session.ts';

const PHONE3 = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3 };
const PROJECTOR = { viewport: { width: 1920, height: 1080 } };
const shots = process.env.MAILLAGE_SCREENSHOTS ? path.join(REPO_ROOT, 'docs/screenshots') : fs.mkdtempSync(path.join(os.tmpdir(), 'export-contacts-shots-'));

let srv: TestServer;
let browser: Browser;
const yclients: YClient[] = [];
const sessions: SessionClient[] = [];
beforeAll(async () => {
  srv = await startServer();
  browser = await launchBrowser();
  console.log(`export contacts screenshots: ${shots}`);
});
afterAll(async () => {
  yclients.forEach((c) => c.destroy());
  sessions.forEach((s) => s.disconnect());
  await browser?.close();
  await srv?.close();
});

const PEOPLE = [
  ['CJE Estrie', 'Léa Côté', 'lea@cje.example', 'Mentorat des élèves du secondaire'],
  ['YMCA', 'Ann Lee', 'ann@ymca.example', 'Mentoring for newcomer youth'],
  ['Maison des jeunes', 'Inès Diallo', 'ines@mdj.example', 'Soirées sportives pour les jeunes'],
] as const;

async function seeded(): Promise<Awaited<ReturnType<typeof createBoard>>> {
  const b = await createBoard(srv.http, { title: 'Atelier Estrie — contacts' });
  const host = connectClient(srv.ws, b.id, { key: b.hostKey });
  yclients.push(host);
  await host.synced;
  const ids = PEOPLE.map(([org, author, email, text]) => addNote(host.doc, { text, domainId: 'mentoring', author, email, org }));
  acceptCluster(host.doc, { label: 'Mentorat et parrainage', noteIds: [ids[0] as string, ids[1] as string], terms: [], score: 0.7 });
  addRelation(host.doc, { from: ids[2] as string, to: ids[0] as string, label: 'même quartier' });
  await waitFor(host.doc, () => listNotes(host.doc).length === PEOPLE.length);
  return b;
}

/**
 * A wall whose three people wrote their own notes as participants, each keeping their email for
 * the hosts only (`contact:set` share `hosts`), grouped by a host; `noEmails` leaves the emails
 * out altogether. The hosts may open the review link to emails (`reviewShowsEmails`).
 */
async function seededByParticipants(opts: { noEmails?: boolean; reviewShowsEmails?: boolean }): Promise<Awaited<ReturnType<typeof createBoard>>> {
  const b = await createBoard(srv.http, { title: 'Atelier Estrie — contacts' });
  const host = connectClient(srv.ws, b.id, { key: b.hostKey });
  yclients.push(host);
  await host.synced;
  const ids: string[] = [];
  for (const [i, [org, author, email, text]] of PEOPLE.entries()) {
    const secret = `export-contacts-${b.id}-${i}`;
    if (!opts.noEmails) {
      const s = await joinSession(srv.http, b.id, { ownerSecret: secret, name: author });
      sessions.push(s);
      expect((await call(s, 'contact:set', { email, share: 'hosts' })).ok).toBe(true);
    }
    const part = connectClient(srv.ws, b.id, { ownerSecret: secret });
    yclients.push(part);
    await part.synced;
    ids.push(addNote(part.doc, { text, domainId: 'mentoring', author, org, ownerId: ownerIdFromSecret(secret) }));
  }
  await waitFor(host.doc, () => listNotes(host.doc).length === PEOPLE.length);
  acceptCluster(host.doc, { label: 'Mentorat et parrainage', noteIds: [ids[0] as string, ids[1] as string], terms: [], score: 0.7 });
  addRelation(host.doc, { from: ids[2] as string, to: ids[0] as string, label: 'même quartier' });
  if (opts.reviewShowsEmails) {
    const hostS = await joinSession(srv.http, b.id, { key: b.hostKey });
    sessions.push(hostS);
    expect((await call(hostS, 'host:settings', { reviewShowsEmails: true })).ok).toBe(true);
  }
  return b;
}

async function open(url: string, opts: Parameters<Browser['newContext']>[0], locale: string, person: Person | null = null): Promise<Page> {
  const ctx = await personContext(browser, person, { ...opts, locale, acceptDownloads: true });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error('pageerror', e.message));
  await page.goto(url);
  await page.waitForSelector('[data-status="connected"]');
  return page;
}

/** Opens the export menu: in the phone header's menu on a phone, in the toolbar otherwise. */
async function openExports(page: Page, phone: boolean): Promise<void> {
  if (phone) {
    await page.getByTestId('phone-menu-button').tap();
    await page.getByTestId('phone-menu').locator('.export-menu summary').tap();
  } else {
    await page.locator('.export-menu summary').click();
  }
  await page.locator('[data-export="contacts"]').waitFor();
}

/** Downloads the contacts sheet from the open export menu and returns its text. */
async function downloadContacts(page: Page, phone: boolean): Promise<string> {
  const item = page.locator('[data-export="contacts"]');
  const [download] = await Promise.all([page.waitForEvent('download'), phone ? item.tap() : item.click()]);
  return fs.readFileSync(await download.path(), 'utf8');
}

describe('the contacts sheet in the export menu', () => {
  for (const [name, opts, phone] of [
    ['a phone', PHONE3, true],
    ['a 1920×1080 screen', PROJECTOR, false],
  ] as const) {
    it(`R233: the host downloads it from the export menu on ${name}, with the emails the server sends hosts`, async () => {
      const b = await seeded();
      const page = await open(`${srv.http}/b/${b.id}#k=${b.hostKey}`, opts, 'fr-CA', { author: 'Hélène', email: 'helene@example.org', org: 'Table de concertation' });
      try {
        // The emails arrive with contacts:list: the item names the sheet, with no "without emails".
        await openExports(page, phone);
        const item = page.locator('[data-export="contacts"]');
        await expect.poll(() => item.innerText(), { timeout: 10_000 }).toBe('Qui devrait se parler (CSV)');
        expect(await page.getByTestId('export-contacts-note').count()).toBe(0);
        const box = await item.boundingBox();
        expect(box && box.x >= 0 && box.x + box.width <= opts.viewport.width && box.height >= (phone ? 44 : 0)).toBe(true);
        await page.screenshot({ path: path.join(shots, `u-export-contacts-host-${opts.viewport.width}.png`) });
        const csv = await downloadContacts(page, phone);
        for (const [org, author, email] of PEOPLE) {
          expect(csv).toContain(org);
          expect(csv).toContain(author);
          expect(csv).toContain(email);
        }
        expect(csv).toContain('Mentorat et parrainage');
        expect(csv.split('\r\n')[0]).toContain(';'); // French sheet: ';' between cells
      } finally {
        await page.context().close();
      }
    });
  }

  for (const [lang, locale, label, note] of [
    ['fr', 'fr-CA', 'Qui devrait se parler (CSV, sans courriels)', 'Courriels non inclus : l’équipe d’animation n’affiche pas les courriels à ce lien.'],
    ['en', 'en-CA', 'Who should talk to whom (CSV, without emails)', 'Emails are not included: the hosts do not show emails on this link.'],
  ] as const) {
    it(`R233 R85 R253: a review link without email permission (${lang}, phone) is told the hosts do not show emails here, and the sheet has none`, async () => {
      const b = await seeded();
      const page = await open(`${srv.http}${b.links.review}`, PHONE3, locale);
      try {
        // Connected means synced: the wall and its groups are on the page (open() waits for it).
        await openExports(page, true);
        const item = page.locator('[data-export="contacts"]');
        expect(await item.innerText()).toBe(label);
        expect(await page.getByTestId('export-contacts-note').innerText()).toBe(note);
        await page.getByTestId('export-contacts-note').scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(shots, `u-export-contacts-review-${lang}-390.png`) });
        // The people and their groups are there; their emails are not.
        const csv = await downloadContacts(page, true);
        for (const [org, author] of PEOPLE) {
          expect(csv).toContain(org);
          expect(csv).toContain(author);
        }
        expect(csv).toContain('Mentorat et parrainage');
        expect(csv).not.toMatch(/@[a-z]+\.example/);
      } finally {
        await page.context().close();
      }
    });
  }
  for (const [lang, locale, label, note] of [
    ['fr', 'fr-CA', 'Qui devrait se parler (CSV, sans courriels)', 'Courriels non inclus : aucune des personnes de cette liste n’a choisi de montrer son courriel à ce lien.'],
    ['en', 'en-CA', 'Who should talk to whom (CSV, without emails)', 'Emails are not included: none of these people chose to show their email on this link.'],
  ] as const) {
    it(`R253: a review link the hosts opened to emails, on a wall whose people kept theirs for the hosts, is told that (1920×1080, ${lang}), and the sheet has none`, async () => {
      const b = await seededByParticipants({ reviewShowsEmails: true });
      const page = await open(`${srv.http}${b.links.review}`, PROJECTOR, locale);
      try {
        await openExports(page, false);
        const item = page.locator('[data-export="contacts"]');
        await expect.poll(() => page.getByTestId('export-contacts-note').innerText(), { timeout: 10_000 }).toBe(note);
        expect(await item.innerText()).toBe(label);
        await page.screenshot({ path: path.join(shots, `u-export-contacts-review-shared-${lang}-1920.png`) });
        const csv = await downloadContacts(page, false);
        for (const [org, author] of PEOPLE) {
          expect(csv).toContain(org);
          expect(csv).toContain(author);
        }
        expect(csv).not.toMatch(/@[a-z]+\.example/);
      } finally {
        await page.context().close();
      }
    });
  }

  for (const [name, opts, phone, locale, note] of [
    ['a phone (en)', PHONE3, true, 'en-CA', 'No emails to include: none of these people gave an email.'],
    ['a 1920×1080 screen (fr)', PROJECTOR, false, 'fr-CA', 'Aucun courriel à inclure : aucune des personnes de cette liste n’a donné son courriel.'],
  ] as const) {
    it(`R253: a host whose people gave no email is told nobody gave one, not that the link hides them, on ${name}`, async () => {
      const b = await seededByParticipants({ noEmails: true });
      const page = await open(`${srv.http}/b/${b.id}#k=${b.hostKey}`, opts, locale, { author: 'Hélène', email: 'helene@example.org', org: 'Table de concertation' });
      try {
        await openExports(page, phone);
        await expect.poll(() => page.getByTestId('export-contacts-note').innerText(), { timeout: 10_000 }).toBe(note);
        const box = await page.getByTestId('export-contacts-note').boundingBox();
        expect(box && box.x >= 0 && box.x + box.width <= opts.viewport.width).toBe(true);
        await page.getByTestId('export-contacts-note').scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(shots, `u-export-contacts-host-none-${opts.viewport.width}.png`) });
      } finally {
        await page.context().close();
      }
    });
  }
});
