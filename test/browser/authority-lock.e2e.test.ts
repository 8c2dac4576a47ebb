/**
 * Lock while typing (docs/spec.md R64), in real Chromium against a real server: a participant is
 * typing when the host locks the wall. The text stays where it was typed with a message saying
 * it will be posted when the wall reopens; on unlock it is posted and the host sees it; a reload
 * while locked keeps it (drafts tray) and it is still posted on unlock. Phone (390×844, touch:
 * quick-add sheet) and laptop (1920×1080: canvas editor, list add field).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, createBoard, type TestServer } from '../helpers/server.ts';
import { launchBrowser, waitForNotes } from '../helpers/browser.ts';
import { call, joinSession, type SessionClient } from '../helpers/session.ts';
import { LAPTOP, PHONE_TOUCH, axeSerious, openWallAt, setLocked, shot, typeOnCanvas, waitLive } from '../helpers/authority-browser.ts';

let srv: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const sessions: SessionClient[] = [];
beforeAll(async () => {
  srv = await startServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  sessions.forEach((s) => s.disconnect());
  await Promise.all(contexts.map((c) => c.close().catch(() => {})));
  await browser?.close();
  await srv?.close();
});

/** A wall with a host page (laptop) and a host session socket that locks and unlocks it. */
async function wallWithHost(): Promise<{ b: Awaited<ReturnType<typeof createBoard>>; hostPage: Page; host: SessionClient }> {
  const b = await createBoard(srv.http, { title: 'Verrou' });
  const host = await joinSession(srv.http, b.id, { key: b.hostKey });
  sessions.push(host);
  const hostPage = await openWallAt(browser, contexts, srv.http + b.links.host, { author: 'Hôte', email: 'hote@example.org' }, LAPTOP);
  return { b, hostPage, host };
}

const lockedBanner = (p: Page) => p.getByTestId('locked-banner');
const tray = (p: Page) => p.getByTestId('drafts-tray');

describe('authority: lock while typing', () => {
  it('R64 phone 390×844 (touch): the quick-add sheet keeps its text when the host locks, posts it on unlock; a draft survives a reload while locked', async () => {
    const { b, hostPage, host } = await wallWithHost();
    const phone = await openWallAt(browser, contexts, srv.http + b.links.participant, { author: 'Ana', email: 'ana@example.org' }, PHONE_TOUCH);
    const fab = phone.getByRole('button', { name: /Ajouter une activité/ });
    const sheet = phone.getByRole('dialog', { name: 'Ajouter une activité' });
    const field = sheet.getByRole('textbox', { name: 'Activité' });
    const notice = sheet.getByTestId('draft-notice');

    // 1. Typing, the host locks: the sheet stays, with its text and the message.
    const first = 'Halte-garderie pendant les ateliers';
    await fab.tap();
    await field.fill(first);
    await sheet.getByRole('combobox', { name: 'Domaine' }).selectOption('mentoring');
    await setLocked(host, true);
    await lockedBanner(phone).waitFor();
    await notice.filter({ hasText: 'Le mur est verrouillé : continuez d’écrire' }).waitFor();
    await sheet.locator('button[type="submit"]').tap();
    await notice.filter({ hasText: 'votre Post-it est gardé et sera publié dès sa réouverture' }).waitFor();
    expect(await field.inputValue()).toBe(first);
    await shot(phone, 'phone-locked-sheet');
    expect(await axeSerious(phone), 'axe: locked sheet').toEqual([]);
    await hostPage.waitForTimeout(300);
    expect((await waitForNotes(hostPage, () => true)).some((n) => n.text === first)).toBe(false);

    // 2. Unlock: posted by itself, the sheet closes, the host sees it in the chosen domain.
    await setLocked(host, false);
    await waitForNotes(hostPage, (ns) => ns.some((n) => n.text === first && n.domainId === 'mentoring'));
    await sheet.waitFor({ state: 'detached' });

    // 3. Typing, locked, kept, then the page reloads while still locked: the draft is in the tray.
    const second = 'Navette vers le centre communautaire';
    await fab.tap();
    await field.fill(second);
    await setLocked(host, true);
    await notice.filter({ hasText: 'Le mur est verrouillé' }).waitFor();
    await sheet.locator('button[type="submit"]').tap();
    await notice.filter({ hasText: 'sera publié dès sa réouverture' }).waitFor();
    await phone.reload();
    await waitLive(phone, 20_000, false); // locked: nothing to add yet
    await lockedBanner(phone).waitFor();
    await tray(phone).getByText(second).waitFor();
    expect(await tray(phone).textContent()).toContain('sera publié à la réouverture du mur');
    await shot(phone, 'phone-locked-reloaded');
    expect(await axeSerious(phone), 'axe: drafts tray (phone)').toEqual([]);

    await setLocked(host, false);
    await waitForNotes(hostPage, (ns) => ns.some((n) => n.text === second));
    await tray(phone).waitFor({ state: 'detached' });
    // Posted once each, under the draft's id: nothing doubled.
    const texts = (await waitForNotes(hostPage, () => true)).map((n) => n.text);
    expect(texts.filter((t) => t === first)).toHaveLength(1);
    expect(texts.filter((t) => t === second)).toHaveLength(1);
  });

  it('R64 laptop 1920×1080: the canvas editor and the list add field keep their text when locked; posted on unlock, also after a reload while locked', async () => {
    const { b, hostPage, host } = await wallWithHost();
    const lap = await openWallAt(browser, contexts, srv.http + b.links.participant, { author: 'Léo', email: 'leo@example.org' }, LAPTOP);
    const editor = lap.locator('.note-editor');

    // Canvas editor: typing, locked, Enter keeps it open with the message; unlock posts it.
    const first = 'Cuisine collective du jeudi';
    await typeOnCanvas(lap, 'mentoring', first);
    await setLocked(host, true);
    await lockedBanner(lap).waitFor();
    await editor.getByTestId('draft-notice').filter({ hasText: 'Le mur est verrouillé : continuez d’écrire' }).waitFor();
    await editor.locator('textarea').press('Enter');
    await editor.getByTestId('draft-notice').filter({ hasText: 'sera publié dès sa réouverture' }).waitFor();
    expect(await editor.locator('textarea').inputValue()).toBe(first);
    await shot(lap, 'laptop-locked-editor');
    expect(await axeSerious(lap), 'axe: locked editor').toEqual([]);
    await setLocked(host, false);
    await waitForNotes(hostPage, (ns) => ns.some((n) => n.text === first && n.domainId === 'mentoring'));
    await editor.waitFor({ state: 'detached' });

    // List add field: typing, locked, Enter keeps it; reload while locked: the tray has it.
    const second = 'Aide aux devoirs en ligne';
    await lap.getByRole('button', { name: 'Liste', exact: true }).click();
    const add = lap.getByLabel('Ajouter un Post-it dans « Mentorat »');
    await add.fill(second);
    await setLocked(host, true);
    await lockedBanner(lap).waitFor();
    await add.press('Enter');
    await lap.locator('.list-add').getByTestId('draft-notice').filter({ hasText: 'sera publié dès sa réouverture' }).waitFor();
    expect(await add.inputValue()).toBe(second);
    await lap.reload();
    // The device keeps the list view it chose (R100): connected, and the tray shows the draft.
    await lap.waitForSelector('[data-status="connected"]', { timeout: 20_000 });
    await tray(lap).getByText(second).waitFor();
    await shot(lap, 'laptop-locked-reloaded');
    await setLocked(host, false);
    await waitForNotes(hostPage, (ns) => ns.some((n) => n.text === second && n.domainId === 'mentoring'));
    await tray(lap).waitFor({ state: 'detached' });
  });

  it('R63 laptop: a note written offline reaches a wall locked meanwhile: the server reverts it, the page keeps it as waiting with the translated reason (FR and EN), and posts it on unlock', async () => {
    const { b, hostPage, host } = await wallWithHost();
    const lap = await openWallAt(browser, contexts, srv.http + b.links.participant, { author: 'Inès', email: 'ines@example.org' }, LAPTOP);
    const ctx = lap.context();
    await ctx.setOffline(true);
    await lap.waitForSelector('[data-testid="connection-status"][data-status="offline"]');
    // Offline, the page still believes the wall is open: the note goes into its document.
    const text = 'Banque alimentaire mobile';
    await typeOnCanvas(lap, 'mentoring', text);
    await lap.locator('.note-editor textarea').press('Enter');
    await waitForNotes(lap, (ns) => ns.some((n) => n.text === text));
    await setLocked(host, true);
    await lap.waitForTimeout(400); // y-indexeddb

    // Back online: the server reverts the note (locked) and says so; nothing is lost.
    await ctx.setOffline(false);
    await lap.getByRole('alert').filter({ hasText: 'Le mur est verrouillé par l’équipe d’animation : vos Post-it sont gardés' }).waitFor({ timeout: 20_000 });
    await tray(lap).getByText(text).waitFor();
    expect(await tray(lap).textContent()).toContain('sera publié à la réouverture du mur');
    await waitForNotes(lap, (ns) => !ns.some((n) => n.text === text));
    await shot(lap, 'laptop-refused-kept');
    expect(await axeSerious(lap), 'axe: drafts tray (laptop)').toEqual([]);
    expect((await waitForNotes(hostPage, () => true)).some((n) => n.text === text)).toBe(false);

    // Once the session is back: still one waiting entry (when the server also holds the note, R57,
    // it is shown once, as the server's), still to be posted on reopening.
    await lockedBanner(lap).waitFor();
    await lap.waitForTimeout(500);
    expect(await tray(lap).locator('li').count()).toBe(1);
    expect(await tray(lap).textContent()).toContain('sera publié à la réouverture du mur');
    // The same reason in English.
    await lap.getByRole('button', { name: 'English' }).click();
    await tray(lap).getByText('will be posted when the wall reopens').waitFor();

    await setLocked(host, false);
    await waitForNotes(hostPage, (ns) => ns.filter((n) => n.text === text).length === 1);
    await tray(lap).waitFor({ state: 'detached' });
  });

  it('R63 laptop: a note written offline reaches a wall in private writing: the server keeps it as the author’s private note, shown once, with the translated reason; nothing waits twice', async () => {
    const { b, hostPage, host } = await wallWithHost();
    const lap = await openWallAt(browser, contexts, srv.http + b.links.participant, { author: 'Oli', email: 'oli@example.org' }, LAPTOP);
    const ctx = lap.context();
    await ctx.setOffline(true);
    await lap.waitForSelector('[data-testid="connection-status"][data-status="offline"]');
    const text = 'Friperie solidaire';
    await typeOnCanvas(lap, 'mentoring', text);
    await lap.locator('.note-editor textarea').press('Enter');
    await waitForNotes(lap, (ns) => ns.some((n) => n.text === text));
    const res = await call(host, 'host:private', { enabled: true });
    expect(res.ok).toBe(true);
    await lap.waitForTimeout(400);

    await ctx.setOffline(false);
    await lap.getByRole('alert').filter({ hasText: 'Écriture privée en cours : votre Post-it est gardé en privé' }).waitFor({ timeout: 20_000 });
    // Shown once, as a private note (dashed), and not waiting in the tray.
    const mine = await waitForNotes(lap, (ns) => ns.some((n) => n.text === text && (n as { private?: boolean }).private === true));
    expect(mine.filter((n) => n.text === text)).toHaveLength(1);
    await lap.waitForTimeout(500);
    expect(await tray(lap).count()).toBe(0);
    // The host sees it among the private notes, not on the wall for everyone.
    await waitForNotes(hostPage, (ns) => ns.some((n) => n.text === text && (n as { private?: boolean }).private === true));
  });
});
