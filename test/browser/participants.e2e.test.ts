/**
 * Participants in real headless Chromium, at phone (390×844, touch) and desktop (1440×900) sizes:
 * joining without an account, the phone's quick-add sheet, own notes versus others', French and
 * English, the keyboard-only list view, offline notes merging on reconnect, and touch gestures.
 *
 * The README's screenshots are written by readme-screenshots.e2e.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, createBoard, type TestServer } from '../helpers/server.ts';
import { launchBrowser, personContext, showList, wallGeometry, waitForColumns, waitForNotes, DESKTOP, PHONE, type Person } from '../helpers/browser.ts';

let srv: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
beforeAll(async () => {
  srv = await startServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close().catch(() => {})));
  await browser?.close();
  await srv?.close();
});

type Size = typeof PHONE | typeof DESKTOP;

async function newContext(person: Person | null, size: Size, extra: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  const ctx = await personContext(browser, person, { ...size, ...extra });
  contexts.push(ctx);
  return ctx;
}

async function openPage(ctx: BrowserContext, urlPath: string, { connected = true } = {}): Promise<Page> {
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error('pageerror', e.message));
  await page.goto(srv.http + urlPath);
  if (connected) await page.waitForSelector('[data-status="connected"]');
  return page;
}

async function openWall(urlPath: string, person: Person | null, size: Size = DESKTOP): Promise<Page> {
  const page = await openPage(await newContext(person, size), urlPath);
  await waitForColumns(page);
  return page;
}

/** The list-view item showing `text` (the list must be open). */
const listItem = (page: Page, text: string) => page.locator('li.list-note', { hasText: text });

/** Waits until the list shows `text` under the domain `domainId`. */
async function waitInDomain(page: Page, domainId: string, text: string): Promise<void> {
  await page.locator(`section[data-domain-id="${domainId}"] li.list-note`, { hasText: text }).waitFor();
}

/** Presses Tab (only the keyboard) until the focused element satisfies `matches`; fails after 60 presses. */
async function tabTo(page: Page, what: string, matches: (el: Element) => boolean): Promise<void> {
  const probe = `(${matches.toString()})(document.activeElement)`;
  for (let i = 0; i < 60; i++) {
    if (await page.evaluate((src) => !!document.activeElement && (0, eval)(src), probe)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${what}`);
}

async function addOnCanvas(page: Page, domainId: string, text: string): Promise<void> {
  const { columns, origin } = await wallGeometry(page);
  const col = columns.find((c) => c.id === domainId);
  if (!col) throw new Error(`no column ${domainId}`);
  await page.mouse.click(origin.x + col.add.x, origin.y + col.add.y);
  const box = page.locator('.note-editor textarea');
  await box.fill(text);
  await box.press('Enter');
  await box.waitFor({ state: 'detached' });
}

/** Screen centre of the note showing `text` (waits for it to be drawn). */
async function noteCentre(page: Page, text: string): Promise<{ x: number; y: number }> {
  await waitForNotes(page, (ns) => ns.some((n) => n.text === text));
  const { notes, origin } = await wallGeometry(page);
  const n = notes.find((x) => x.text === text);
  if (!n) throw new Error(`no note ${text}`);
  return { x: origin.x + n.x + n.width / 2, y: origin.y + n.y + Math.min(n.height / 2, 20) };
}

/**
 * Double-clicks a note to edit it in place. The canvas may still be fitting the wall when the
 * note appears (the first zoom-to-fit animates): the note's place is read until two reads agree,
 * and a double-click that landed while it moved is tried again. A note that never opens an
 * editor still fails.
 */
async function editInPlace(page: Page, text: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    let at = await noteCentre(page, text);
    for (let i = 0; i < 10; i++) {
      await page.waitForTimeout(150);
      const again = await noteCentre(page, text);
      if (Math.abs(again.x - at.x) < 1 && Math.abs(again.y - at.y) < 1) break;
      at = again;
    }
    await page.mouse.dblclick(at.x, at.y);
    const opened = await page.locator('.note-editor textarea').waitFor({ timeout: 2000 }).then(
      () => true,
      () => false,
    );
    if (opened) return;
    if (attempt === 2) throw new Error(`double-clicking "${text}" opened no editor`);
  }
}

const htmlLang = (page: Page) => page.evaluate(() => document.documentElement.lang);

describe('participants', () => {
  it('phone: join once (validated email, consent) → quick-add sheet → the note reaches a desktop participant with the profile filled in', async () => {
    const b = await createBoard(srv.http, { title: 'Webinaire 3' });
    const ctx = await newContext(null, PHONE);
    const phone = await openPage(ctx, b.links.participant, { connected: false });
    expect(await htmlLang(phone)).toBe('fr');

    const dialog = phone.getByRole('dialog', { name: 'Avant de commencer' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('jamais sur l’écran projeté');
    await dialog.getByLabel('Nom', { exact: true }).fill('Ana Tremblay');
    await dialog.getByLabel('Courriel').fill('ana@exemple');
    await dialog.getByLabel('Organisation').fill('Carrefour jeunesse-emploi');
    await dialog.getByRole('button', { name: 'Entrer sur le mur' }).tap();
    await dialog.getByText('Adresse courriel invalide.').waitFor();
    expect(await dialog.getByLabel('Courriel').getAttribute('aria-invalid')).toBe('true');
    await dialog.getByLabel('Courriel').fill('ana@exemple.org');
    await dialog.getByRole('button', { name: 'Entrer sur le mur' }).tap();
    await dialog.waitFor({ state: 'detached' });
    await phone.waitForSelector('[data-status="connected"]');

    await phone.getByRole('button', { name: /Ajouter une activité/ }).tap();
    const sheet = phone.getByRole('dialog', { name: 'Ajouter une activité' });
    await sheet.getByRole('textbox', { name: 'Activité' }).fill('Jumelage avec des mentors du milieu des affaires');
    await sheet.getByRole('combobox', { name: 'Domaine' }).selectOption({ label: 'Mentorat' });
    await sheet.getByRole('button', { name: 'Ajouter', exact: true }).tap();
    await sheet.waitFor({ state: 'detached' });
    const [mine] = await waitForNotes(phone, (ns) => ns.some((n) => n.text.startsWith('Jumelage')));
    expect(mine?.domainId).toBe('mentoring');

    const desk = await openWall(b.links.participant, { author: 'Bo', email: 'bo@example.org' });
    await showList(desk);
    await waitInDomain(desk, 'mentoring', 'Jumelage avec des mentors');
    const byline = await listItem(desk, 'Jumelage avec des mentors').textContent();
    expect(byline).toContain('Ana Tremblay · Carrefour jeunesse-emploi');
    expect(byline).not.toContain('ana@exemple.org'); // emails are for hosts and partners, not other participants

    // Remembered on this device: the next wall opens straight away.
    const b2 = await createBoard(srv.http);
    const next = await openPage(ctx, b2.links.participant);
    await next.locator('.wall canvas').first().waitFor();
    expect(await next.getByRole('dialog').count()).toBe(0);
    const saved = JSON.parse((await next.evaluate(() => localStorage.getItem('maillage.profile'))) ?? '{}') as Record<string, string>;
    expect(saved).toMatchObject({ author: 'Ana Tremblay', email: 'ana@exemple.org', org: 'Carrefour jeunesse-emploi' });
  });

  it('desktop: a participant edits and deletes their own notes, cannot edit another’s; the host can', async () => {
    const b = await createBoard(srv.http);
    const lea = await openWall(b.links.participant, { author: 'Léa', email: 'lea@example.org' });
    const sam = await openWall(b.links.participant, { author: 'Sam', email: 'sam@example.org' });
    await addOnCanvas(lea, 'graduate-high-school', 'Aide aux devoirs');
    await addOnCanvas(sam, 'mentoring', 'Mentorat par les pairs');
    await waitForNotes(lea, (ns) => ns.some((n) => n.text === 'Mentorat par les pairs'));

    // Own note: double-click edits in place.
    await editInPlace(lea, 'Aide aux devoirs');
    await lea.locator('.note-editor textarea').fill('Aide aux devoirs le mardi');
    await lea.locator('.note-editor textarea').press('Enter');
    await waitForNotes(sam, (ns) => ns.some((n) => n.text === 'Aide aux devoirs le mardi'));

    // Someone else's note: selecting shows no actions, double-clicking opens no editor.
    const other = await noteCentre(lea, 'Mentorat par les pairs');
    await lea.mouse.click(other.x, other.y);
    await lea.mouse.dblclick(other.x, other.y);
    await lea.waitForTimeout(150);
    expect(await lea.locator('.note-actions').count()).toBe(0);
    expect(await lea.locator('.note-editor').count()).toBe(0);

    // The list view offers the same rules: controls on one's own note only.
    await showList(lea);
    expect(await listItem(lea, 'Mentorat par les pairs').getByRole('button').count()).toBe(0);
    const mine = listItem(lea, 'Aide aux devoirs le mardi');
    await mine.getByRole('button', { name: 'Supprimer' }).click();
    await mine.getByRole('button', { name: 'Oui, supprimer' }).click();
    await waitForNotes(sam, (ns) => !ns.some((n) => n.text.startsWith('Aide aux devoirs')));
    expect(await lea.getByTestId('list-status').textContent()).toContain('Post-it supprimé');

    // The host edits anyone's note, and sees emails in the list.
    const host = await openWall(b.links.host, { author: 'Hôte', email: 'hote@example.org' });
    await editInPlace(host, 'Mentorat par les pairs');
    await host.locator('.note-editor textarea').fill('Mentorat par les pairs (secondaire 4-5)');
    await host.locator('.note-editor textarea').press('Enter');
    await waitForNotes(sam, (ns) => ns.some((n) => n.text === 'Mentorat par les pairs (secondaire 4-5)'));
    await showList(host);
    expect(await listItem(host, 'secondaire 4-5').textContent()).toContain('sam@example.org');
    expect(await listItem(host, 'secondaire 4-5').getByRole('button', { name: 'Modifier' }).count()).toBe(1);
  });

  it('desktop: one click switches to English (UI and domain titles, <html lang>), kept after a reload', async () => {
    const b = await createBoard(srv.http);
    const page = await openWall(b.links.participant, { author: 'Kim', email: 'kim@example.org' });
    const titles = () => page.evaluate(() => (window as unknown as { __maillage: { columns(): { title: string }[] } }).__maillage.columns().map((c) => c.title));
    expect(await titles()).toContain('Mentorat');
    expect(await htmlLang(page)).toBe('fr');

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: 'List', exact: true }).waitFor();
    expect(await titles()).toContain('Mentoring');
    expect(await htmlLang(page)).toBe('en');
    expect(await page.getByTestId('connection-status').textContent()).toContain('Connected');

    await page.reload();
    await page.waitForSelector('[data-status="connected"]');
    expect(await htmlLang(page)).toBe('en');
    await showList(page);
    await page.getByRole('heading', { name: /^Mentoring/ }).waitFor();
    await page.getByRole('button', { name: 'Français' }).click();
    await page.getByRole('heading', { name: /^Mentorat/ }).waitFor();
    expect(await htmlLang(page)).toBe('fr');
  });

  it('desktop: the list view adds, edits, moves and deletes a note with the keyboard only; another browser sees each change', async () => {
    const b = await createBoard(srv.http);
    const page = await openWall(b.links.participant, { author: 'Noor', email: 'noor@example.org' });
    const other = await openWall(b.links.participant, { author: 'Max', email: 'max@example.org' });
    const status = () => page.getByTestId('list-status').textContent();
    const text = 'Stages d’été en entreprise';

    await tabTo(page, 'the List button', (el) => el.textContent === 'Liste');
    await page.keyboard.press('Enter');
    await tabTo(page, 'the Mentorat add field', (el) => (el as HTMLInputElement).labels?.[0]?.textContent === 'Ajouter un Post-it dans « Mentorat »');
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
    await waitForNotes(other, (ns) => ns.some((n) => n.text === text && n.domainId === 'mentoring'));
    expect(await status()).toContain('Post-it ajouté dans « Mentorat »');

    // Edit: Escape cancels, Enter saves.
    await tabTo(page, 'the Edit button', (el) => el.textContent === 'Modifier' && !!el.closest('li')?.textContent?.includes('Stages'));
    await page.keyboard.press('Enter');
    await page.keyboard.type(' — annulé');
    await page.keyboard.press('Escape');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Modifier');
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    await page.keyboard.type(' (rémunérés)');
    await page.keyboard.press('Enter');
    await waitForNotes(other, (ns) => ns.some((n) => n.text === `${text} (rémunérés)`));
    expect(await status()).toContain('Post-it modifié');

    // Move with the "Domaine" select (type-ahead picks "Autre?"), then the Move button.
    await tabTo(page, 'the Domaine select', (el) => el.tagName === 'SELECT');
    await page.keyboard.type('Autre');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Déplacer');
    await page.keyboard.press('Enter');
    await waitForNotes(other, (ns) => ns.some((n) => n.text.startsWith(text) && n.domainId === 'other'));
    await waitInDomain(page, 'other', text);
    expect(await status()).toContain('Post-it déplacé vers « Autre? »');
    // Focus followed the note into its new domain.
    await page.waitForFunction(() => document.activeElement?.closest('section')?.getAttribute('data-domain-id') === 'other');

    // Delete: the confirmation takes the focus; Enter confirms.
    await tabTo(page, 'the Delete button', (el) => el.textContent === 'Supprimer');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Oui, supprimer');
    await page.keyboard.press('Enter');
    await waitForNotes(other, (ns) => !ns.some((n) => n.text.startsWith(text)));
    expect(await status()).toContain('Post-it supprimé');
  });

  it('offline: the indicator says so, notes made offline are kept and merge on reconnect, even from a closed tab', async () => {
    const b = await createBoard(srv.http);
    const ctx = await newContext({ author: 'Rémi', email: 'remi@example.org' }, DESKTOP);
    const page = await openPage(ctx, b.links.participant);
    const other = await openWall(b.links.participant, { author: 'Zoé', email: 'zoe@example.org' });
    await showList(page);

    await ctx.setOffline(true);
    await page.waitForSelector('[data-testid="connection-status"][data-status="offline"]');
    expect(await page.getByTestId('connection-status').textContent()).toContain('Hors ligne');
    const add = async (p: Page, domain: string, text: string) => {
      const field = p.getByLabel(`Ajouter un Post-it dans « ${domain} »`);
      await field.fill(text);
      await field.press('Enter');
      await p.getByTestId('list-status').filter({ hasText: `Post-it ajouté dans « ${domain} »` }).waitFor();
    };
    await add(page, 'Mentorat', 'Note écrite hors ligne');
    await page.waitForTimeout(500);
    expect((await wallGeometry(other)).notes.some((n) => n.text === 'Note écrite hors ligne')).toBe(false);

    await ctx.setOffline(false);
    await waitForNotes(other, (ns) => ns.some((n) => n.text === 'Note écrite hors ligne'), 15_000);
    await page.waitForSelector('[data-testid="connection-status"][data-status="connected"]', { timeout: 15_000 });

    // A note written offline in a tab that is then closed survives in IndexedDB and is sent by
    // the next tab that opens the wall.
    await ctx.setOffline(true);
    await page.waitForSelector('[data-status="offline"]');
    await add(page, 'Autre?', 'Note d’un onglet fermé');
    await page.waitForTimeout(300); // y-indexeddb writes asynchronously
    await page.close();
    await ctx.setOffline(false);
    await openPage(ctx, b.links.participant);
    await waitForNotes(other, (ns) => ns.some((n) => n.text === 'Note d’un onglet fermé' && n.domainId === 'other'), 15_000);

    // Nothing lost on the server: a fresh device (no local copy) sees both notes.
    const fresh = await openWall(b.links.participant, { author: 'Neuf', email: 'neuf@example.org' });
    await waitForNotes(fresh, (ns) => ['Note écrite hors ligne', 'Note d’un onglet fermé'].every((t) => ns.some((n) => n.text === t)));
  });

  it('phone touch: a drag on an unselected note pans the wall; tap selects a note, then a drag moves it to another domain', async () => {
    const b = await createBoard(srv.http);
    const page = await openWall(b.links.participant, { author: 'Tao', email: 'tao@example.org' }, PHONE);
    const fab = page.getByRole('button', { name: /Ajouter une activité/ });
    const sheet = page.getByRole('dialog', { name: 'Ajouter une activité' });
    // The sheet closes on a tap on the dimmed wall, and on Escape (focus goes back to the button).
    await fab.tap();
    await sheet.waitFor();
    await page.touchscreen.tap(195, 150);
    await sheet.waitFor({ state: 'detached' });
    await fab.tap();
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.classList.contains('fab'))).toBe(true);
    await fab.tap();
    await sheet.getByRole('textbox', { name: 'Activité' }).fill('Aide aux devoirs');
    await sheet.getByRole('combobox', { name: 'Domaine' }).selectOption('graduate-high-school');
    await sheet.getByRole('button', { name: 'Ajouter', exact: true }).tap();
    await sheet.waitFor({ state: 'detached' });

    const cdp = await page.context().newCDPSession(page);
    const swipe = async (from: { x: number; y: number }, to: { x: number; y: number }) => {
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ ...from, id: 1 }] });
      for (let i = 1; i <= 10; i++) {
        const p = { x: from.x + ((to.x - from.x) * i) / 10, y: from.y + ((to.y - from.y) * i) / 10 };
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ ...p, id: 1 }] });
      }
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
      await page.waitForTimeout(150);
    };

    // Not selected: a swipe across the note pans the wall and leaves the note where it was.
    const before = await noteCentre(page, 'Aide aux devoirs');
    await swipe(before, { x: before.x + 40, y: before.y + 60 });
    const panned = await noteCentre(page, 'Aide aux devoirs');
    expect(panned.x - before.x).toBeGreaterThan(30);
    expect((await wallGeometry(page)).notes[0]?.domainId).toBe('graduate-high-school');

    // Tap selects (the action bar appears), then the same swipe drags the note to the first column.
    await page.touchscreen.tap(panned.x, panned.y);
    await page.getByRole('button', { name: 'Modifier' }).waitFor();
    const { columns, origin } = await wallGeometry(page);
    const target = columns.find((c) => c.id === 'engage-youth');
    if (!target) throw new Error('no column');
    await swipe(panned, { x: origin.x + target.x + target.width / 2, y: origin.y + target.y + target.height * 0.4 });
    await waitForNotes(page, (ns) => ns.some((n) => n.text === 'Aide aux devoirs' && n.domainId === 'engage-youth'));
  });

  // Known bug (reported to the wall's owner): Konva stops delivering touchmove to the stage once
  // the first finger has started a stage drag, so only the first step of a pinch zooms. Setting
  // `Konva.hitOnDragEnabled = true` fixes it (verified); flip `it.fails` to `it` then.
  it('R10 phone touch: a two-finger pinch zooms the wall', async () => {
    const b = await createBoard(srv.http);
    const page = await openWall(b.links.participant, { author: 'Tao', email: 'tao@example.org' }, PHONE);
    const width = async () => (await wallGeometry(page)).columns[0]?.width ?? 0;
    // The first fit may still be settling (the canvas code arrives on demand, then the fit):
    // wait until the width has held for half a second (seen: 280 px before the fit, 60 after).
    let w0 = await width();
    for (let i = 0, same = 0; i < 80 && same < 5; i++) {
      await page.waitForTimeout(100);
      const w = await width();
      same = w > 0 && w === w0 ? same + 1 : 0;
      w0 = w;
    }
    const cdp = await page.context().newCDPSession(page);
    const fingers = (d: number) => [{ x: 195 - d, y: 500, id: 1 }, { x: 195 + d, y: 500, id: 2 }];
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: fingers(40) });
    for (let d = 45; d <= 120; d += 5) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: fingers(d) });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    let w1 = await width();
    for (let i = 0; i < 30 && w1 <= w0 * 2; i++) {
      await page.waitForTimeout(100);
      w1 = await width();
    }
    expect(w1).toBeGreaterThan(w0 * 2);
  });
});
