/**
 * Personal data on the device (issue 13), in real Chromium against an in-process server:
 * - R92 a deleted wall leaves nothing in the browsers that had it: the one that has it open when
 *   the host deletes it, and one whose tab was closed before and that opens the link afterwards
 *   (IndexedDB databases listed and every store of every database searched, localStorage too);
 * - R92 "Remove me and my notes": the person's notes leave the wall and the local copies (theirs
 *   and the host's);
 * - R90 R91 the join dialog says who sees the email, defaults to "hosts and reviewers if
 *   allowed", and the email travels once over socket.io (`contact:set`), never on the document
 *   channel; screenshots at phone (touch) and laptop size.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, createBoard, type TestServer } from '../helpers/server.ts';
import { launchBrowser, personContext, waitForNotes } from '../helpers/browser.ts';
import { connectClient, type YClient } from '../helpers/yclient.ts';
import { LAPTOP, PHONE_TOUCH, eventually, openWallAt, typeOnCanvas, waitLive } from '../helpers/authority-browser.ts';
import { REPO_ROOT } from '../helpers/processes.ts';

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

interface DeviceScan {
  /** Names of this origin's IndexedDB databases. */
  databases: string[];
  /** `database/store: needle` for every stored value containing a needle. */
  hits: string[];
  /** localStorage keys whose key or value contains a needle. */
  storage: string[];
}

/**
 * Searches everything this origin keeps in the browser for the needles: every object store of
 * every IndexedDB database (values decoded as UTF-8 when binary — Yjs writes strings as UTF-8)
 * and every localStorage entry. Opens databases read-only and closes them at once.
 */
async function scanDevice(page: Page, needles: string[]): Promise<DeviceScan> {
  return page.evaluate(async (needles) => {
    const dec = new TextDecoder();
    const asText = (v: unknown): string => (v instanceof Uint8Array ? dec.decode(v) : v instanceof ArrayBuffer ? dec.decode(new Uint8Array(v)) : JSON.stringify(v) ?? '');
    const dbs = await indexedDB.databases();
    const hits: string[] = [];
    for (const info of dbs) {
      if (!info.name) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open(info.name as string);
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      for (const store of Array.from(db.objectStoreNames)) {
        const values = await new Promise<unknown[]>((resolve, reject) => {
          const r = db.transaction(store, 'readonly').objectStore(store).getAll();
          r.onsuccess = () => resolve(r.result as unknown[]);
          r.onerror = () => reject(r.error);
        });
        for (const v of values) for (const n of needles) if (asText(v).includes(n)) hits.push(`${info.name}/${store}: ${n}`);
      }
      db.close();
    }
    const storage: string[] = [];
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i) ?? '';
      const v = localStorage.getItem(k) ?? '';
      if (needles.some((n) => k.includes(n) || v.includes(n))) storage.push(k);
    }
    return { databases: dbs.map((d) => d.name ?? ''), hits, storage };
  }, needles);
}

/** Writes a note with a stock y-websocket client (as a script or an old client would). */
async function stockNote(boardId: string, id: string, text: string): Promise<void> {
  const c = connectClient(srv.ws, boardId);
  clients.push(c);
  await c.synced;
  c.doc.transact(() => {
    const m = new Y.Map<unknown>();
    for (const [k, v] of Object.entries({ text, author: 'Script', domainId: 'mentoring', x: 20, y: 100, color: '#fff59d', createdAt: Date.now() })) m.set(k, v);
    c.doc.getMap('notes').set(id, m);
  });
}

const screenshotsTo = (): string => {
  const dir = process.env.MAILLAGE_SCREENSHOTS ? path.join(REPO_ROOT, 'docs/screenshots') : fs.mkdtempSync(path.join(os.tmpdir(), 'personal-shots-'));
  fs.mkdirSync(dir, { recursive: true });
  console.log(`personal screenshots: ${dir}`);
  return dir;
};

describe('personal data on the device', () => {
  it('R92 a wall deleted by its host leaves nothing in IndexedDB or localStorage: the open tab, and a closed one when it opens the link again', async () => {
    const b = await createBoard(srv.http, { title: 'Mur à effacer' });
    const secret = `Texte-du-mur-efface-${Date.now().toString(36)}`;
    const typed = `Brouillon-du-mur-efface-${Date.now().toString(36)}`;
    await stockNote(b.id, 'to-erase-1', secret);
    const url = srv.http + b.links.participant;

    // A: open while the wall is deleted; it also has a draft in an open editor.
    const open = await openWallAt(browser, contexts, url, { author: 'Ana', email: 'ana@example.org' }, LAPTOP);
    await waitForNotes(open, (ns) => ns.some((n) => n.text === secret));
    await typeOnCanvas(open, 'mentoring', typed);
    // B: had the wall once, tab closed before the deletion (the context keeps its storage).
    const closed = await openWallAt(browser, contexts, url, { author: 'Bo', email: 'bo@example.org' }, PHONE_TOUCH);
    await waitForNotes(closed, (ns) => ns.some((n) => n.text === secret));
    const closedCtx = closed.context();
    // B also opened the review link once: a second local copy of the wall (one per link, R207).
    const reviewTab = await closedCtx.newPage();
    await reviewTab.goto(srv.http + b.links.review);
    await waitForNotes(reviewTab, (ns) => ns.some((n) => n.text === secret));
    await reviewTab.close();
    const copiesOf = (dbs: string[]) => dbs.filter((d) => d.startsWith(`maillage:${b.id}`));

    const needles = [secret, typed, b.id];
    const beforeOpen = await eventually(() => scanDevice(open, needles), (s) => s.hits.some((h) => h.includes(secret)) && s.storage.length > 0, 'A keeps a local copy');
    const beforeClosed = await eventually(() => scanDevice(closed, needles), (s) => s.hits.some((h) => h.includes(secret)), 'B keeps a local copy');
    expect(beforeOpen.databases).toContain(`maillage:${b.id}`);
    expect(beforeClosed.databases).toContain(`maillage:${b.id}`);
    expect(copiesOf(beforeClosed.databases)).toHaveLength(2);
    await closed.close();

    const del = await fetch(`${srv.http}/api/boards/${b.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${b.hostKey}` } });
    expect(del.status).toBe(204);

    await open.getByText('Ce mur a été supprimé', { exact: false }).first().waitFor({ timeout: 15_000 });
    const afterOpen = await eventually(() => scanDevice(open, needles), (s) => s.hits.length === 0 && s.storage.length === 0 && !s.databases.includes(`maillage:${b.id}`), 'A forgets the wall');
    expect(afterOpen).toEqual({ databases: afterOpen.databases.filter((d) => d !== `maillage:${b.id}`), hits: [], storage: [] });

    // B opens the link later: the server no longer knows the wall (4404); its copy goes too.
    const again = await closedCtx.newPage();
    const stillThere = await scanDevice(again, needles).catch(() => null); // about:blank has no origin storage
    expect(stillThere === null || stillThere.hits.length === 0).toBe(true);
    await again.goto(url);
    await again.getByText('n’existe pas', { exact: false }).first().waitFor({ timeout: 15_000 });
    const afterClosed = await eventually(() => scanDevice(again, needles), (s) => s.hits.length === 0 && s.storage.length === 0 && copiesOf(s.databases).length === 0, 'B forgets the wall, every link\'s copy');
    expect(afterClosed.hits).toEqual([]);
    expect(afterClosed.storage).toEqual([]);
    expect(copiesOf(afterClosed.databases)).toEqual([]);
  });

  it('R92 "Remove me and my notes" (confirmed) erases the person\'s notes from the wall and from the local copies of their browser and of the host\'s', async () => {
    const b = await createBoard(srv.http, { title: 'Effacer une personne' });
    const mine = `Note-de-Lea-${Date.now().toString(36)}`;
    const other = `Note-de-Script-${Date.now().toString(36)}`;
    await stockNote(b.id, 'stays-1', other);
    const lea = await openWallAt(browser, contexts, srv.http + b.links.participant, { author: 'Léa', email: 'lea@example.org' }, LAPTOP);
    await typeOnCanvas(lea, 'mentoring', mine);
    await lea.keyboard.press('Enter');
    await waitForNotes(lea, (ns) => ns.some((n) => n.text === mine));
    const host = await openWallAt(browser, contexts, srv.http + b.links.host, { author: 'Hôte', email: 'hote@example.org' }, LAPTOP);
    await waitForNotes(host, (ns) => ns.some((n) => n.text === mine) && ns.some((n) => n.text === other));
    await eventually(() => scanDevice(host, [mine]), (s) => s.hits.length > 0, 'the host keeps Léa\'s note locally');

    await lea.getByTestId('my-details').click();
    await lea.screenshot({ path: path.join(screenshotsTo(), 'my-details-laptop.png') });
    lea.once('dialog', (d) => void d.accept());
    await lea.getByTestId('erase-me').click();
    await lea.getByText('Vous avez été retiré·e de ce mur, avec 1 Post-it.').waitFor({ timeout: 15_000 });

    for (const page of [lea, host]) {
      await waitForNotes(page, (ns) => !ns.some((n) => n.text === mine) && ns.some((n) => n.text === other));
      const s = await eventually(() => scanDevice(page, [mine, 'lea@example.org']), (x) => x.hits.length === 0, 'no local copy keeps the erased note');
      expect(s.hits).toEqual([]);
      // The others' notes are still there, locally too.
      expect((await scanDevice(page, [other])).hits.length).toBeGreaterThan(0);
    }
    const contacts = (await (await fetch(`${srv.http}/api/boards/${b.id}/contacts`, { headers: { authorization: `Bearer ${b.hostKey}` } })).json()) as { contacts: { email: string }[] };
    expect(contacts.contacts.map((c) => c.email)).not.toContain('lea@example.org');
  });

  it('R90 R91 the join dialog says who sees the email (default: hosts, and reviewers if allowed); the email goes once over socket.io and never on the document channel — phone and laptop', async () => {
    const b = await createBoard(srv.http, { title: 'Qui voit mon courriel' });
    const out = screenshotsTo();
    const cases = [
      { size: PHONE_TOUCH, file: 'join-phone.png', lang: 'fr', email: 'mia@example.org', pick: null, expectShare: 'review' },
      { size: LAPTOP, file: 'join-laptop.png', lang: 'en', email: 'noor@example.org', pick: 'Only the hosts of this wall', expectShare: 'hosts' },
    ] as const;
    for (const c of cases) {
      const ctx = await personContext(browser, null, { ...c.size, locale: c.lang === 'en' ? 'en-CA' : 'fr-CA' });
      contexts.push(ctx);
      const page = await ctx.newPage();
      const docFrames: string[] = [];
      const sessionFrames: string[] = [];
      page.on('websocket', (ws) => {
        ws.on('framesent', (f) => {
          const text = typeof f.payload === 'string' ? f.payload : f.payload.toString('utf8');
          (ws.url().includes('/yjs') ? docFrames : sessionFrames).push(text);
        });
      });
      // socket.io starts on HTTP long-polling before it upgrades: its POST bodies count too.
      page.on('request', (r) => {
        if (r.url().includes('/socket.io/') && r.method() === 'POST') sessionFrames.push(r.postData() ?? '');
      });
      await page.goto(srv.http + b.links.participant);
      const dialog = page.getByRole('dialog');
      await dialog.waitFor();
      if (c.lang === 'en' && (await page.locator('html').getAttribute('lang')) !== 'en') await page.locator('button.lang').first().click();
      const review = c.lang === 'en' ? /The hosts, and partners reviewing the wall after the session if the hosts allow it/ : /L’équipe d’animation, et les partenaires qui consultent le mur après la séance si l’animation le permet/;
      expect(await dialog.getByRole('radio', { name: review }).isChecked()).toBe(true);
      await dialog.getByText(c.lang === 'en' ? 'Your email is never written on a note' : 'Votre courriel n’est jamais écrit sur un Post-it', { exact: false }).waitFor();
      await dialog.getByTestId('retention').waitFor();
      expect(await dialog.getByTestId('retention').textContent()).toContain(c.lang === 'en' ? 'erased 30 days after the session ends' : 'effacé 30 jours après la fin de la séance');
      await dialog.getByRole('textbox', { name: c.lang === 'en' ? 'Name' : 'Nom' }).fill(c.lang === 'en' ? 'Noor' : 'Mia');
      await dialog.getByRole('textbox', { name: c.lang === 'en' ? 'Email' : 'Courriel' }).fill(c.email);
      if (c.pick) await dialog.getByRole('radio', { name: c.pick }).check();
      await page.waitForTimeout(400); // let the tap highlight fade before the picture
      await page.screenshot({ path: path.join(out, c.file), fullPage: false });
      await dialog.getByRole('button', { name: c.lang === 'en' ? 'Enter the wall' : 'Entrer sur le mur' }).click();
      await waitLive(page);
      await typeOnCanvas(page, 'mentoring', `Note de ${c.expectShare}`);
      await page.keyboard.press('Enter');
      await waitForNotes(page, (ns) => ns.some((n) => n.text === `Note de ${c.expectShare}`));
      // On a phone "My details" sits in the wall's menu (R106).
      const phone = c.size === PHONE_TOUCH;
      if (phone) await page.getByRole('button', { name: /Menu/ }).click();
      await page.getByTestId('my-details').click();
      await page.screenshot({ path: path.join(out, `my-details-${c.file}`) });
      await page.getByTestId('my-details').click();
      if (phone && (await page.getByRole('button', { name: 'Fermer', exact: true }).count()) > 0) await page.getByRole('button', { name: 'Fermer', exact: true }).click();

      const contacts = await eventually(
        async () => (await (await fetch(`${srv.http}/api/boards/${b.id}/contacts`, { headers: { authorization: `Bearer ${b.hostKey}` } })).json()) as { contacts: { email: string; share: string }[] },
        (r) => r.contacts.some((x) => x.email === c.email),
        'the contact store has the email',
      );
      expect(contacts.contacts.find((x) => x.email === c.email)?.share).toBe(c.expectShare);
      expect(docFrames.length).toBeGreaterThan(0);
      expect(docFrames.filter((f) => f.includes(c.email))).toEqual([]);
      expect(sessionFrames.filter((f) => f.includes('contact:set') && f.includes(c.email)), JSON.stringify(sessionFrames.filter((f) => f.includes('contact:set')))).toHaveLength(1);
    }
  });

  it('R92 a host erases a person from the people list (confirmed): their notes leave the wall and both browsers\' local copies; the others stay', async () => {
    const b = await createBoard(srv.http, { title: 'Effacer depuis la liste' });
    const hers = `Note-de-Kim-${Date.now().toString(36)}`;
    const other = `Note-qui-reste-${Date.now().toString(36)}`;
    await stockNote(b.id, 'stays-2', other);
    const kim = await openWallAt(browser, contexts, srv.http + b.links.participant, { author: 'Kim', email: 'kim@example.org' }, LAPTOP);
    await typeOnCanvas(kim, 'mentoring', hers);
    await kim.keyboard.press('Enter');
    const host = await openWallAt(browser, contexts, srv.http + b.links.host, { author: 'Hôte', email: 'hote@example.org' }, LAPTOP);
    await waitForNotes(host, (ns) => ns.some((n) => n.text === hers) && ns.some((n) => n.text === other));

    await host.getByTestId('participants').click();
    const authors = host.getByTestId('authors');
    await authors.getByText('Kim').waitFor();
    await host.screenshot({ path: path.join(screenshotsTo(), 'people-erase-laptop.png') });
    host.once('dialog', (d) => {
      expect(d.message()).toContain('Effacer Kim de ce mur pour de bon : 1 Post-it');
      void d.accept();
    });
    await authors.getByRole('button', { name: 'Effacer Kim et ses Post-it' }).click();
    await host.getByText('Effacé·e, avec 1 Post-it.').waitFor({ timeout: 15_000 });

    for (const page of [kim, host]) {
      await waitForNotes(page, (ns) => !ns.some((n) => n.text === hers) && ns.some((n) => n.text === other));
      const s = await eventually(() => scanDevice(page, [hers]), (x) => x.hits.length === 0, 'no local copy keeps the erased note');
      expect(s.hits).toEqual([]);
    }
  });

  it('R93 the wall-creation form shows the contact retention default (30 days after the session) and sends the host\'s choice', async () => {
    const ctx = await personContext(browser, null, { ...LAPTOP });
    contexts.push(ctx);
    const page = await ctx.newPage();
    await page.goto(srv.http + '/');
    await expect.poll(() => page.getByTestId('retention-summary').textContent()).toContain('Coordonnées effacées 30 jours après la séance.');
    const field = page.getByRole('spinbutton', { name: /Effacer les coordonnées/ });
    expect(await field.inputValue()).toBe('30');
    await field.fill('1');
    await expect.poll(() => page.getByTestId('retention-summary').textContent()).toContain('Coordonnées effacées 1 jour après la séance.');
    await field.fill('0');
    await expect.poll(() => page.getByTestId('retention-summary').textContent()).toContain('Coordonnées conservées jusqu’à la suppression du mur.');
    await field.fill('7');
    const posted = page.waitForRequest((r) => r.url().endsWith('/api/boards') && r.method() === 'POST');
    await page.getByRole('button', { name: 'Créer le mur' }).click();
    expect(JSON.parse((await posted).postData() ?? '{}')).toMatchObject({ contactRetentionDays: 7 });
    await page.getByTestId('created').waitFor();
  });
});
