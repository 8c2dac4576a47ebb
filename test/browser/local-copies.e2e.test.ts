/**
 * One local copy per link (docs/spec.md R207), in real Chromium: a participant writes a note
 * while offline and closes the tab before it was sent; later, on the same device, they open the
 * wall's review link (read-only). The review page must show the wall as the server holds it —
 * when both links shared one IndexedDB copy, it showed the participant's unsent note to the
 * partner as if it were on the wall — and the note must still be saved once the participant link
 * is opened again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { createBoard, startServer, type TestServer } from '../helpers/server.ts';
import { launchBrowser, waitForNotes } from '../helpers/browser.ts';
import { LAPTOP, eventually, exportJson, openWallAt, typeOnCanvas, waitLive, within } from '../helpers/authority-browser.ts';

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

describe('local copies per link', () => {
  it('R207 the review link on the same device shows the wall as the server has it, and a note written offline and not yet sent is saved later', async () => {
    const b = await createBoard(srv.http, { title: 'Copies' });
    const page = await openWallAt(browser, contexts, srv.http + b.links.participant, { author: 'Ana', email: 'ana@example.org' }, LAPTOP);
    const ctx = contexts.at(-1) as BrowserContext;
    await typeOnCanvas(page, 'mentoring', 'En ligne');
    await page.locator('.note-editor textarea').press('Enter');
    await eventually(() => exportJson(srv.http, b.id, b.hostKey), (w) => w.notes.some((n) => n.text === 'En ligne'), 'the online note is saved');

    // The server goes away (Chromium's offline emulation leaves an open websocket working, so the
    // server itself stops): one more note, kept only on this device; the tab is closed before the
    // server is back.
    await within(20_000, 'stopping the server', srv.server.close());
    await page.waitForSelector('[data-testid="connection-status"]:not([data-status="connected"])', { timeout: 15_000 });
    await typeOnCanvas(page, 'mentoring', 'Écrite hors ligne');
    await page.locator('.note-editor textarea').press('Enter');
    await waitForNotes(page, (ns) => ns.some((n) => n.text === 'Écrite hors ligne'));
    await page.waitForTimeout(600); // y-indexeddb stores asynchronously
    await page.close();
    await within(20_000, 'restarting the server', srv.restart());
    expect((await exportJson(srv.http, b.id, b.hostKey)).notes.map((n) => n.text)).toEqual(['En ligne']);

    // The review link, on the same device: it shows the wall as the server has it.
    const review = await ctx.newPage();
    await review.goto(srv.http + b.links.review);
    await waitLive(review, 20_000, false);
    await waitForNotes(review, (ns) => ns.some((n) => n.text === 'En ligne'));
    await review.waitForTimeout(1500); // the device's copy, if shared, would show by now
    const shown = await review.evaluate(() => (window as unknown as { __maillage: { notes(): { text: string }[] } }).__maillage.notes().map((n) => n.text));
    expect(shown).toEqual(['En ligne']);
    await review.close();

    // The participant link again: the note written offline is still here and reaches the server.
    const again = await ctx.newPage();
    await again.goto(srv.http + b.links.participant);
    await waitLive(again);
    await waitForNotes(again, (ns) => ns.some((n) => n.text === 'Écrite hors ligne'), 15_000);
    const exported = await eventually(() => exportJson(srv.http, b.id, b.hostKey), (w) => w.notes.some((n) => n.text === 'Écrite hors ligne'), 'the offline note is saved');
    expect(exported.notes.map((n) => n.text).sort()).toEqual(['En ligne', 'Écrite hors ligne']);
    const dbs = await again.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? ''));
    expect(dbs.filter((n) => n.startsWith(`maillage:${b.id}`)).length).toBe(2); // participant + review copies
  });
});
