/**
 * A resync never costs a participant their writes (docs/spec.md R63): notes the page made that
 * have not reached the server yet (frames held back here by a WebSocket route, as on a network
 * that swallows them) are still sent after the server closes the connection with
 * `CloseCode.Resync` (4509). The old client cleared its local copy (memory and IndexedDB) on the
 * resync code and lost them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { CloseCode } from '@maillage/shared';
import { startServer, createBoard, type TestServer } from '../helpers/server.ts';
import { launchBrowser, personContext, waitForNotes } from '../helpers/browser.ts';
import { eventually, exportJson, LAPTOP, typeOnCanvas, waitLive } from '../helpers/authority-browser.ts';

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

describe('authority: resync', () => {
  it('R63 a participant’s notes not yet on the server survive a 4509 resync and reach the wall', async () => {
    const b = await createBoard(srv.http, { title: 'Resync' });
    const ctx = await personContext(browser, { author: 'Rui', email: 'rui@example.org' }, LAPTOP);
    contexts.push(ctx);
    const page = await ctx.newPage();
    // Every /yjs socket goes through this route; while `swallow` is on, the page's frames to the
    // server are dropped (the page believes them sent).
    let swallow = false;
    await page.routeWebSocket(/\/yjs\//, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((m) => {
        if (!swallow) server.send(m);
      });
    });
    await page.goto(srv.http + b.links.participant);
    await waitLive(page);

    swallow = true;
    const texts = ['Pas encore envoyé 1', 'Pas encore envoyé 2'];
    for (const t of texts) {
      await typeOnCanvas(page, 'mentoring', t);
      await page.locator('.note-editor textarea').press('Enter');
      await page.locator('.note-editor').waitFor({ state: 'detached' });
    }
    await waitForNotes(page, (ns) => texts.every((t) => ns.some((n) => n.text === t)));
    await page.waitForTimeout(300);
    expect((await exportJson(srv.http, b.id, b.hostKey)).notes.map((n) => n.text)).toEqual([]);

    // The server asks every participant connection of the wall to resync.
    const room = srv.server.rooms.peek(b.id as never);
    expect(room).toBeTruthy();
    swallow = false;
    let closed = 0;
    for (const peer of Array.from(room?.peers.keys() ?? [])) {
      if (peer.role === 'participant') {
        peer.close(CloseCode.Resync, 'test resync');
        closed++;
      }
    }
    expect(closed).toBeGreaterThan(0);

    // The page reconnects with its copy intact and sends what the server never got.
    const exported = await eventually(() => exportJson(srv.http, b.id, b.hostKey), (w) => texts.every((t) => w.notes.some((n) => n.text === t)), 'the notes reach the server', 20_000);
    expect(exported.notes.map((n) => n.text).sort()).toEqual([...texts].sort());
    await waitForNotes(page, (ns) => texts.every((t) => ns.filter((n) => n.text === t).length === 1));
    expect(await page.getByTestId('drafts-tray').count()).toBe(0);
  });
});
