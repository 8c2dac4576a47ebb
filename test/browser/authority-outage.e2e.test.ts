/**
 * Reload after an outage (docs/spec.md R65), in real Chromium against a real server: on a wall
 * that other people have edited and deleted notes on, a participant keeps writing while the
 * server is down, then reloads — as the server comes back (phone), or while it is still down and
 * again once it is back (laptop). Every note they wrote reaches the host's page and the server's
 * JSON export; other people's deletions stay deleted and their edits stay edited.
 *
 * Before the server judged net effects (issue 12), the reconnecting page's history carried other
 * people's deletions, the server refused it (close 4409) and the page wiped its local copy: the
 * notes written during the outage were lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { addNote, deleteNote, ownerIdFromSecret, randomToken, updateNote, type NoteInput } from '@maillage/shared';
import { startServer, createBoard, type TestServer } from '../helpers/server.ts';
import { launchBrowser, waitForNotes, type NoteBox } from '../helpers/browser.ts';
import { connectClient, waitFor, type YClient } from '../helpers/yclient.ts';
import { LAPTOP, PHONE_TOUCH, eventually, exportJson, openWallAt, shot, typeOnCanvas, waitLive, within, type Size } from '../helpers/authority-browser.ts';

let srv: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const clients: YClient[] = [];
beforeAll(async () => {
  srv = await startServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  clients.forEach((c) => c.destroy());
  await Promise.all(contexts.map((c) => c.close().catch(() => {})));
  await browser?.close();
  await srv?.close();
});

const noteIds = (c: YClient) => Array.from(c.doc.getMap('notes').keys());
const noteText = (c: YClient, id: string) => (c.doc.getMap('notes').get(id) as { get(k: string): unknown } | undefined)?.get('text');

/** Adds a note through the page's UI: the quick-add sheet on a phone, the canvas editor on a laptop. */
async function addThroughUi(page: Page, phone: boolean, text: string): Promise<void> {
  if (phone) {
    await page.getByRole('button', { name: /Ajouter une activité/ }).tap();
    const sheet = page.getByRole('dialog', { name: 'Ajouter une activité' });
    await sheet.getByRole('textbox', { name: 'Activité' }).fill(text);
    await sheet.getByRole('combobox', { name: 'Domaine' }).selectOption('mentoring');
    await sheet.locator('button[type="submit"]').tap();
    await sheet.waitFor({ state: 'detached' });
  } else {
    await typeOnCanvas(page, 'mentoring', text);
    await page.locator('.note-editor textarea').press('Enter');
    await page.locator('.note-editor').waitFor({ state: 'detached' });
  }
  await waitForNotes(page, (ns) => ns.some((n) => n.text === text));
}

const has = (ns: NoteBox[], text: string) => ns.filter((n) => n.text === text).length;

describe('authority: reload after an outage', () => {
  const cases: [string, 'reload-as-it-returns' | 'reload-while-down', Size][] = [
    ['phone 390×844', 'reload-as-it-returns', PHONE_TOUCH],
    ['laptop 1920×1080', 'reload-while-down', LAPTOP],
  ];
  it.each(cases)('R65 %s: notes written while the server was down survive a reload (%s) on a wall with others’ edits and deletions', async (label, how, size) => {
    const phone = size === PHONE_TOUCH;
    const tag = phone ? 'phone' : 'laptop';
    const b = await createBoard(srv.http, { title: 'Panne' });

    // Other people: a participant (own device secret) and a host, as real y-websocket clients.
    const secret = randomToken(32);
    const other = connectClient(srv.ws, b.id, { ownerSecret: secret });
    const hostY = connectClient(srv.ws, b.id, { key: b.hostKey });
    clients.push(other, hostY);
    await Promise.all([other.synced, hostY.synced]);
    const note = (text: string): NoteInput => ({ text, domainId: 'mentoring', author: 'Autre', email: 'autre@example.org', org: '', ownerId: ownerIdFromSecret(secret) });
    const o1 = addNote(other.doc, note('Autre 1'));
    const o2 = addNote(other.doc, note('Autre 2'));
    const o3 = addNote(other.doc, note('Autre 3'));
    updateNote(other.doc, o1, { text: 'Autre 1 (modifié)' });
    deleteNote(other.doc, o2);
    await waitFor(hostY.doc, () => noteIds(hostY).includes(o3) && !noteIds(hostY).includes(o2), 5000, 'the host sees the other participant’s notes');
    deleteNote(hostY.doc, o3); // a host deletes someone else's note

    const hostPage = await openWallAt(browser, contexts, srv.http + b.links.host, { author: 'Hôte', email: 'hote@example.org' }, LAPTOP);
    const page = await openWallAt(browser, contexts, srv.http + b.links.participant, { author: 'Ana', email: 'ana@example.org' }, size);
    await waitForNotes(page, (ns) => has(ns, 'Autre 1 (modifié)') === 1 && !has(ns, 'Autre 3'));

    // Online: one note of ours; then more edits and deletions by others, which this page sees.
    const mine = [`${tag}: avant la panne`, `${tag}: pendant la panne 1`, `${tag}: pendant la panne 2`];
    await addThroughUi(page, phone, mine[0] as string);
    const o4 = addNote(other.doc, note('Autre 4'));
    deleteNote(other.doc, o1);
    await waitFor(hostY.doc, () => noteIds(hostY).includes(o4), 5000, 'note 4 reaches the host');
    updateNote(hostY.doc, o4, { text: 'Autre 4 (corrigé par l’hôte)' });
    await waitForNotes(page, (ns) => has(ns, 'Autre 4 (corrigé par l’hôte)') === 1 && !ns.some((n) => n.text.startsWith('Autre 1')));

    // The server goes down; the participant keeps writing.
    // (server.close() rather than srv.stop(): the helper's stop() is once per server helper.)
    await within(20_000, 'stopping the server', srv.server.close());
    await page.waitForSelector('[data-testid="connection-status"]:not([data-status="connected"])', { timeout: 15_000 });
    await addThroughUi(page, phone, mine[1] as string);
    await addThroughUi(page, phone, mine[2] as string);
    await page.waitForTimeout(600); // y-indexeddb stores asynchronously
    // After a few seconds cut off, the page says that what is written is kept.
    await page.getByTestId('outage-banner').filter({ hasText: 'ce que vous écrivez est gardé sur cet appareil' }).waitFor();
    await shot(page, `${tag}-outage-writing`);

    if (how === 'reload-while-down') {
      // The browser cannot even load the page (it shows its own error page); the person reloads
      // again once the server is back.
      const reloaded = await page.reload({ timeout: 10_000 }).then(
        () => 'loaded',
        () => 'failed',
      );
      expect(reloaded).toBe('failed');
      await page.waitForLoadState('load', { timeout: 5000 }).catch(() => {});
      await within(20_000, 'restarting the server', srv.restart());
      // Chromium reloads its error page by itself once the site answers again, which can cut
      // our own navigation short: whichever gets there, the wall must load.
      for (let i = 0; i < 5 && !(await page.locator('[data-testid="connection-status"]').count()); i++) {
        await page.goto(srv.http + b.links.participant, { timeout: 15_000 }).catch(() => {});
        await page.waitForLoadState('load', { timeout: 5000 }).catch(() => {});
      }
    } else {
      await within(20_000, 'restarting the server', srv.restart());
      await page.reload();
    }
    await waitLive(page, 30_000);

    // Everything the participant wrote is on the host's page and in the export; others' deletions
    // stayed deleted, their edits stayed edited.
    const expectWall = (ns: { text: string }[]) =>
      mine.every((t) => ns.filter((n) => n.text === t).length === 1) &&
      ns.filter((n) => n.text === 'Autre 4 (corrigé par l’hôte)').length === 1 &&
      !ns.some((n) => ['Autre 1', 'Autre 1 (modifié)', 'Autre 2', 'Autre 3'].includes(n.text));
    await waitForNotes(hostPage, expectWall, 30_000);
    await waitForNotes(page, expectWall, 15_000);
    const exported = await eventually(() => exportJson(srv.http, b.id, b.hostKey), (w) => expectWall(w.notes), 'the export holds the wall');
    expect(exported.notes.map((n) => n.text).sort()).toEqual([...mine, 'Autre 4 (corrigé par l’hôte)'].sort());
    expect(noteText(hostY, o4)).toBe('Autre 4 (corrigé par l’hôte)');
    expect(await page.getByTestId('outage-banner').count()).toBe(0);
    // Nothing was refused or set aside: no waiting drafts.
    expect(await page.getByTestId('drafts-tray').count()).toBe(0);
    await shot(page, `${tag}-after-reload`);
    await shot(hostPage, `${tag}-host-after`);
    expect(label).toBeTruthy();
  });
});
