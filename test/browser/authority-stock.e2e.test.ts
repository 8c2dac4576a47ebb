/**
 * A stock y-websocket client's note (the documented fields only: no `ownerId`, no `org`) shows on
 * the wall in real Chromium (docs/spec.md R66, with the server side in R68): on a participant's
 * canvas and list, and at the host's, who may edit it; the participant may not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Browser, BrowserContext } from 'playwright-core';
import { startServer, createBoard, type TestServer } from '../helpers/server.ts';
import { launchBrowser, waitForNotes } from '../helpers/browser.ts';
import { connectClient, type YClient } from '../helpers/yclient.ts';
import { LAPTOP, PHONE_TOUCH, openWallAt } from '../helpers/authority-browser.ts';

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

describe('authority: stock client notes', () => {
  it('R66 a note written by a stock y-websocket client without ownerId/org shows at a participant (phone) and at the host (laptop), editable by the host only', async () => {
    const b = await createBoard(srv.http, { title: 'Client standard' });
    const stock = connectClient(srv.ws, b.id); // a participant link, no device secret
    clients.push(stock);
    await stock.synced;
    const fields = { text: 'Note d’un client standard', author: 'Script', email: 'script@example.org', domainId: 'mentoring', x: 20, y: 100, color: '#fff59d', createdAt: Date.now() };
    stock.doc.transact(() => {
      const m = new Y.Map<unknown>();
      for (const [k, v] of Object.entries(fields)) m.set(k, v);
      stock.doc.getMap('notes').set('stock-note-1', m);
    });

    const phone = await openWallAt(browser, contexts, srv.http + b.links.participant, { author: 'Ana', email: 'ana@example.org' }, PHONE_TOUCH);
    await waitForNotes(phone, (ns) => ns.some((n) => n.text === fields.text && n.domainId === 'mentoring'));
    const host = await openWallAt(browser, contexts, srv.http + b.links.host, { author: 'Hôte', email: 'hote@example.org' }, LAPTOP);
    await waitForNotes(host, (ns) => ns.some((n) => n.text === fields.text));

    // The phone view (R100, reached through the menu): the participant reads the note in full
    // and its sheet offers no edit, move or delete; the host may edit it.
    await phone.getByRole('button', { name: /Menu/ }).tap();
    await phone.getByRole('button', { name: 'Liste', exact: true }).tap();
    const card = phone.locator('.phone-card', { hasText: fields.text });
    await card.waitFor();
    await card.tap();
    const sheet = phone.getByRole('dialog');
    await sheet.getByText(fields.text).first().waitFor();
    for (const name of ['Modifier', 'Supprimer']) expect(await sheet.getByRole('button', { name, exact: true }).count()).toBe(0);
    await host.getByRole('button', { name: 'Liste', exact: true }).click();
    await host.locator('li.list-note', { hasText: fields.text }).getByRole('button', { name: 'Modifier' }).waitFor();
  });
});
