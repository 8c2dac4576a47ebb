/**
 * The wall on a participant's phone (issue 14), in real headless Chromium at 390×844 with touch,
 * `isMobile` and a device pixel ratio of 3: joining, reading, posting, finding what one posted,
 * reading someone else's note, moving a note to another domain, voting, and a partner exporting
 * the CSV — all by tapping, without pinch-zoom (the page's scale stays 1 and nothing is wider
 * than the screen).
 *
 * Screenshots go to a temporary folder, or to docs/screenshots/14-*.png with
 * `MAILLAGE_SCREENSHOTS=1`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { addNote, ownerIdFromSecret, randomToken, type NoteInput } from '@maillage/shared';
import { startServer, createBoard, type TestServer } from '../helpers/server.ts';
import { launchBrowser, personContext, type Person } from '../helpers/browser.ts';
import { connectClient } from '../helpers/yclient.ts';
import { joinSession, call, type SessionClient } from '../helpers/session.ts';
import { axeSerious, exportJson } from '../helpers/authority-browser.ts';
import { REPO_ROOT } from '../helpers/processes.ts';

const PHONE3 = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3 };

let srv: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const sockets: SessionClient[] = [];
const shots = process.env.MAILLAGE_SCREENSHOTS ? path.join(REPO_ROOT, 'docs/screenshots') : fs.mkdtempSync(path.join(os.tmpdir(), 'phone-shots-'));

beforeAll(async () => {
  srv = await startServer();
  browser = await launchBrowser();
  console.log(`phone screenshots: ${shots}`);
});
afterAll(async () => {
  sockets.forEach((s) => s.disconnect());
  await Promise.all(contexts.map((c) => c.close().catch(() => {})));
  await browser?.close();
  await srv?.close();
});

/** A phone with the device's own defaults (no remembered view): what a new participant gets. */
async function phone(urlPath: string, person: Person | null, opts: { secret?: string; locale?: string } = {}): Promise<Page> {
  const ctx = await personContext(browser, person, { ...PHONE3, locale: opts.locale ?? 'fr-CA', acceptDownloads: true, bypassCSP: true }, null);
  if (opts.secret) await ctx.addInitScript((s) => localStorage.setItem('maillage.ownerSecret', s), opts.secret);
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error('pageerror', e.message));
  await page.goto(srv.http + urlPath);
  return page;
}

/** Writes notes as another participant (a y-websocket client with its own device secret). */
async function seed(boardId: string, secret: string, who: Person & { color?: string }, notes: [domainId: string, text: string][]): Promise<void> {
  const client = connectClient(srv.ws, boardId, { ownerSecret: secret });
  await client.synced;
  let y = 104;
  for (const [domainId, text] of notes) {
    const input: NoteInput = { text, domainId, x: 20, y, author: who.author, email: who.email, org: who.org ?? '', color: who.color ?? '#bbf7d0', ownerId: ownerIdFromSecret(secret) };
    addNote(client.doc, input);
    y += 130;
  }
  await new Promise((r) => setTimeout(r, 300));
  client.destroy();
}

const card = (page: Page, text: string): Locator => page.locator('.phone-card', { hasText: text });
const section = (page: Page, domainId: string): Locator => page.locator(`section.phone-domain[data-domain-id="${domainId}"]`);

/** Nothing is wider than the screen and the page is not zoomed: readable without pinching. */
async function expectNoPinchNeeded(page: Page, where: string): Promise<void> {
  const m = await page.evaluate(() => ({
    scale: window.visualViewport?.scale ?? 1,
    scrollWidth: document.documentElement.scrollWidth,
    width: window.innerWidth,
    // Text cut by an ellipsis or clipped sideways in a card, a domain title or a sheet.
    clipped: Array.from(document.querySelectorAll<HTMLElement>('.phone-card-text, .phone-domain-head h2, .domain-picker-title, .note-sheet-text, .sheet-head h2'))
      .filter((el) => el.scrollWidth > el.clientWidth + 1 || getComputedStyle(el).textOverflow === 'ellipsis')
      .map((el) => el.textContent?.slice(0, 40)),
  }));
  expect(m.scale, `${where}: page zoom`).toBe(1);
  expect(m.scrollWidth, `${where}: page width`).toBeLessThanOrEqual(m.width);
  expect(m.clipped, `${where}: clipped text`).toEqual([]);
}

/** Every button or link shown in `scope` is at least 44×44 CSS px and inside the screen. */
async function expectTapTargets(scope: Locator, where: string): Promise<void> {
  const small = await scope.evaluate((root) =>
    Array.from(root.querySelectorAll<HTMLElement>('button, a[href], summary, select'))
      .filter((el) => el.offsetParent !== null && getComputedStyle(el).visibility !== 'hidden')
      .map((el) => ({ el, r: el.getBoundingClientRect() }))
      .filter(({ r }) => r.height < 44 || r.width < 44 || r.left < 0 || r.right > window.innerWidth)
      .map(({ el, r }) => `${(el.textContent ?? '').trim().slice(0, 30) || el.getAttribute('aria-label')} ${Math.round(r.width)}×${Math.round(r.height)}@${Math.round(r.left)}`),
  );
  expect(small, `${where}: tap targets under 44 px or off screen`).toEqual([]);
}

describe('the wall on a phone (390×844, touch, DPR 3)', () => {
  it('R100 R101 R102 R103 R108: join with the name field focused, read the wall as cards, add a note and find it highlighted, read another participant’s note, move one’s note to another domain by its whole title', async () => {
    const b = await createBoard(srv.http, { title: 'Webinaire 3 — Cartographie des relations' });
    const other = randomToken(32);
    await seed(b.id, other, { author: 'Bo Lavoie', email: 'bo@example.org', org: 'Maison des jeunes' }, [
      ['mentoring', 'Jumelage de jeunes du secondaire avec des mentors du milieu des affaires, rencontres toutes les deux semaines à la bibliothèque municipale'],
      ['hs-to-postsecondary', 'Visites de cégeps et d’universités pour les élèves de 4e et 5e secondaire'],
    ]);
    const page = await phone(b.links.participant, null);

    // Join: the name is the field to type in first.
    const dialog = page.getByRole('dialog', { name: 'Avant de commencer' });
    await dialog.waitFor();
    await page.waitForFunction(() => (document.activeElement as HTMLInputElement | null)?.name === 'name');
    await page.keyboard.type('Ana Tremblay');
    await dialog.getByLabel('Courriel').fill('ana@example.org');
    await dialog.getByLabel('Organisation').fill('CJE de Laval');
    await dialog.getByRole('button', { name: 'Entrer sur le mur' }).tap();
    await dialog.waitFor({ state: 'detached' });
    await page.waitForSelector('[data-status="connected"]');

    // The default view is the readable one: cards with their whole text, no canvas.
    const theirs = card(page, 'Jumelage de jeunes du secondaire');
    await theirs.waitFor();
    expect(await page.locator('.wall canvas').count()).toBe(0);
    expect(await theirs.textContent()).toContain('rencontres toutes les deux semaines à la bibliothèque municipale');
    expect(await theirs.textContent()).toContain('Bo Lavoie · Maison des jeunes');
    const size = await theirs.evaluate((el) => parseFloat(getComputedStyle(el.querySelector('.phone-card-text') as Element).fontSize));
    expect(size).toBeGreaterThanOrEqual(16);
    // The three "Passer des études secondaires…" domains are told apart by their whole titles.
    for (const [id, title] of [
      ['hs-to-postsecondary', 'Passer des études secondaires aux études postsecondaires'],
      ['hs-to-training', 'Passer des études secondaires à un programme de formation'],
      ['hs-to-employment', 'Passer des études secondaires à un emploi'],
    ] as const) {
      expect(await section(page, id).locator('h2').textContent()).toContain(title);
    }
    await expectNoPinchNeeded(page, 'phone view');

    // Add in a domain far down the page: the new note is scrolled into view and highlighted.
    await section(page, 'hs-to-training').getByRole('button', { name: /Ajouter dans ce domaine/ }).tap();
    const sheet = page.getByRole('dialog', { name: 'Ajouter une activité' });
    expect(await sheet.getByRole('combobox', { name: 'Domaine' }).inputValue()).toBe('hs-to-training');
    await sheet.getByRole('textbox', { name: 'Activité' }).fill('Ateliers de préparation aux entrevues pour des programmes de formation professionnelle');
    await sheet.getByRole('button', { name: 'Ajouter', exact: true }).tap();
    await sheet.waitFor({ state: 'detached' });
    const mine = card(page, 'Ateliers de préparation aux entrevues');
    await page.locator('.phone-card[data-just-posted]', { hasText: 'Ateliers de préparation' }).waitFor();
    expect(await mine.getAttribute('data-mine')).toBe('true');
    expect(await mine.textContent()).toContain('Moi');
    await page.waitForFunction(() => {
      const r = document.querySelector('.phone-card[data-just-posted]')?.getBoundingClientRect();
      return !!r && r.top >= 0 && r.bottom <= window.innerHeight;
    });
    expect(await section(page, 'hs-to-training').locator('.phone-card').count()).toBe(1);

    // Another participant's note opens in a sheet with its whole text, and no edit controls.
    await theirs.tap();
    const noteSheet = page.getByTestId('note-sheet');
    await noteSheet.waitFor();
    expect(await noteSheet.locator('.note-sheet-text').textContent()).toBe(
      'Jumelage de jeunes du secondaire avec des mentors du milieu des affaires, rencontres toutes les deux semaines à la bibliothèque municipale',
    );
    expect(await noteSheet.getByRole('button', { name: 'Modifier' }).count()).toBe(0);
    await expectTapTargets(noteSheet, 'another’s note sheet');
    await noteSheet.getByRole('button', { name: 'Fermer' }).tap();
    await noteSheet.waitFor({ state: 'detached' });

    // Move one's own note by tapping the whole title of the target domain.
    await mine.tap();
    await noteSheet.getByRole('button', { name: 'Déplacer vers un autre domaine' }).tap();
    const target = noteSheet.getByRole('button', { name: /Passer des études secondaires à un emploi/ });
    await expectTapTargets(noteSheet, 'move list');
    await expectNoPinchNeeded(page, 'move list');
    await page.screenshot({ path: path.join(shots, '14-phone-move-to.png') });
    await target.tap();
    await noteSheet.waitFor({ state: 'detached' });
    await section(page, 'hs-to-employment').locator('.phone-card[data-just-posted]', { hasText: 'Ateliers de préparation' }).waitFor();
    expect(await section(page, 'hs-to-training').locator('.phone-card').count()).toBe(0);
    const wall = await exportJson(srv.http, b.id, b.hostKey);
    expect(wall.notes.find((n) => n.text.startsWith('Ateliers de préparation'))?.domainId).toBe('hs-to-employment');
  });

  it('R104 R109: vote from a note’s sheet; the banner counts the dots left with French plurals, and an extra dot is refused in words', async () => {
    const b = await createBoard(srv.http, { title: 'Vote' });
    await seed(b.id, randomToken(32), { author: 'Bo', email: 'bo@example.org' }, [
      ['mentoring', 'Mentorat par les pairs'],
      ['engage-youth', 'Conseil jeunesse municipal'],
    ]);
    const host = await joinSession(srv.http, b.id, { key: b.hostKey });
    sockets.push(host);
    const res = await call(host, 'host:vote', { action: 'open', dots: 2 });
    expect(res.ok).toBe(true);
    const page = await phone(b.links.participant, { author: 'Ana', email: 'ana@example.org' });
    const banner = page.locator('.banner.vote');
    await banner.filter({ hasText: '(2 points restants)' }).waitFor();

    await card(page, 'Mentorat par les pairs').tap();
    const sheet = page.getByTestId('note-sheet');
    await sheet.getByRole('button', { name: 'Placer un point sur ce Post-it' }).tap();
    await banner.filter({ hasText: '(1 point restant)' }).waitFor();
    await sheet.locator('.badge.dots', { hasText: '1 point' }).waitFor();
    await sheet.getByRole('button', { name: 'Placer un point sur ce Post-it' }).tap();
    await banner.filter({ hasText: '(0 point restant)' }).waitFor();
    await sheet.getByRole('button', { name: 'Placer un point sur ce Post-it' }).tap();
    await page.getByRole('alert').filter({ hasText: 'Vous avez placé tous vos points' }).waitFor();
    expect(await page.getByRole('alert').textContent()).not.toMatch(/no dots left/i);
    await sheet.getByRole('button', { name: /Retirer un de mes 2 points/ }).tap();
    await banner.filter({ hasText: '(1 point restant)' }).waitFor();
    await sheet.getByRole('button', { name: 'Fermer' }).tap();
    expect(await card(page, 'Mentorat par les pairs').locator('.badge.dots').textContent()).toBe('1 point');
  });

  it('R105 R106: the compact header fits the screen; its menu reaches every action with 44 px targets, switches view and language', async () => {
    const b = await createBoard(srv.http, { title: 'Webinaire 3 — Cartographie des relations, séance du jeudi après-midi' });
    const page = await phone(b.links.participant, { author: 'Ana', email: 'ana@example.org' });
    await page.waitForSelector('[data-status="connected"]');
    await page.getByTestId('phone-wall').waitFor();
    const header = page.locator('header.toolbar');
    expect(await header.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    const menuButton = await header.getByTestId('phone-menu-button').boundingBox();
    expect(menuButton && menuButton.height >= 44 && menuButton.x + menuButton.width <= 390).toBe(true);
    expect(await page.getByTestId('presence-count').textContent()).toMatch(/\d+ en ligne/);

    await header.getByTestId('phone-menu-button').tap();
    const menu = page.getByTestId('phone-menu');
    await menu.waitFor();
    for (const name of ['Liste', 'Mur', 'Annuler la dernière action', 'Rétablir', 'Regroupements', 'Mes coordonnées', 'Filtres', 'English']) {
      expect(await menu.getByRole('button', { name, exact: false }).count(), name).toBeGreaterThan(0);
    }
    await expectTapTargets(menu, 'menu');
    await expectNoPinchNeeded(page, 'menu');
    await menu.getByRole('button', { name: /personnes? en ligne/ }).tap(); // who is here, in place
    await menu.locator('.presence-list').waitFor();
    await page.screenshot({ path: path.join(shots, '14-phone-menu.png') });
    expect(await axeSerious(page), 'axe: menu').toEqual([]);

    // The canvas is one tap away, and back.
    await menu.getByRole('button', { name: 'Mur', exact: true }).tap();
    await page.locator('.wall canvas').first().waitFor();
    await header.getByTestId('phone-menu-button').tap();
    await menu.getByRole('button', { name: 'Liste', exact: true }).tap();
    await page.getByTestId('phone-wall').waitFor();
    // Language: one tap, the whole page follows.
    await header.getByTestId('phone-menu-button').tap();
    await menu.getByRole('button', { name: 'English' }).tap();
    await page.getByRole('button', { name: /Menu/ }).waitFor();
    await section(page, 'hs-to-postsecondary').locator('h2', { hasText: 'High school to post-secondary' }).waitFor();
  });

  it('R109: a partner exports the CSV from a phone (review link, menu → Export)', async () => {
    const b = await createBoard(srv.http, { title: 'Export' });
    await seed(b.id, randomToken(32), { author: 'Bo', email: 'bo@example.org', org: 'MDJ' }, [['mentoring', 'Mentorat par les pairs au secondaire']]);
    const page = await phone(b.links.review, null);
    await page.waitForSelector('[data-status="connected"]');
    await card(page, 'Mentorat par les pairs').waitFor();
    await page.getByTestId('phone-menu-button').tap();
    const menu = page.getByTestId('phone-menu');
    await menu.locator('.export-menu summary').tap();
    const csvItem = menu.getByRole('menuitem', { name: 'Tableur (CSV)' });
    await expectTapTargets(menu.locator('.export-items'), 'export items');
    const [download] = await Promise.all([page.waitForEvent('download'), csvItem.tap()]);
    const file = await download.path();
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('Mentorat par les pairs au secondaire');
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
  });

  it('R100 R102: screenshots — the default view with 30 notes, the long domain titles, the domain list', async () => {
    const b = await createBoard(srv.http, { title: 'Webinaire 3 — Cartographie des relations' });
    const anaSecret = randomToken(32);
    const ideas = [
      'Aide aux devoirs le mardi et le jeudi soir',
      'Clinique de CV et de lettres de présentation',
      'Visites d’entreprises de la région avec les élèves de 5e secondaire',
      'Bourses d’études pour les jeunes de familles à faible revenu',
      'Mentorat par des étudiant·e·s du cégep',
      'Stage d’un jour dans un métier de la construction',
      'Conseil jeunesse qui donne son avis sur nos programmes',
      'Cafés-rencontres avec des parents d’élèves',
      'Ateliers de préparation aux entrevues',
      'Accompagnement aux demandes d’aide financière (AFE)',
    ];
    const domains = ['engage-youth', 'graduate-high-school', 'hs-to-postsecondary', 'hs-to-training', 'hs-to-employment', 'mentoring', 'other'];
    const people: (Person & { color: string })[] = [
      { author: 'Ana Tremblay', email: 'ana@example.org', org: 'CJE de Laval', color: '#fff59d' },
      { author: 'Bo Lavoie', email: 'bo@example.org', org: 'Maison des jeunes', color: '#bbf7d0' },
      { author: 'Chloé Roy', email: 'chloe@example.org', org: 'Commission scolaire', color: '#bfdbfe' },
    ];
    for (const [i, who] of people.entries()) {
      const notes: [string, string][] = ideas.map((text, j) => [domains[(i * 3 + j) % domains.length] as string, text]);
      await seed(b.id, i === 0 ? anaSecret : randomToken(32), who, notes);
    }
    const page = await phone(b.links.participant, people[0] as Person, { secret: anaSecret });
    await page.waitForSelector('[data-status="connected"]');
    await page.waitForFunction(() => document.querySelectorAll('.phone-card').length === 30);
    await page.waitForTimeout(300);
    await expectNoPinchNeeded(page, '30 notes');
    expect(await axeSerious(page), 'axe: phone view').toEqual([]);
    await page.screenshot({ path: path.join(shots, '14-phone-default-30-notes.png') });
    // The three "Passer des études secondaires…" domains, headers in full.
    await section(page, 'hs-to-postsecondary').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(200);
    await page.screenshot({ path: path.join(shots, '14-phone-long-domain-titles.png') });
    await section(page, 'hs-to-postsecondary').getByRole('button', { name: 'Domaines' }).tap();
    const jump = page.getByTestId('domain-jump');
    await jump.waitFor();
    await expectTapTargets(jump, 'domain list');
    await expectNoPinchNeeded(page, 'domain list');
    await page.screenshot({ path: path.join(shots, '14-phone-domain-list.png') });
    expect(await axeSerious(page), 'axe: domain list').toEqual([]);
    await jump.getByRole('button', { name: /Mentorat/ }).tap();
    await jump.waitFor({ state: 'detached' });
    await page.waitForFunction(() => {
      const r = document.querySelector('section[data-domain-id="mentoring"]')?.getBoundingClientRect();
      return !!r && Math.abs(r.top - (document.querySelector('.list-main')?.getBoundingClientRect().top ?? 0)) < 4;
    });
    await card(page, 'Aide aux devoirs').first().tap();
    await page.getByTestId('note-sheet').waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(shots, '14-phone-note-sheet.png') });
    expect(await axeSerious(page), 'axe: note sheet').toEqual([]);
  });
});
