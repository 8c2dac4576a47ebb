/**
 * The README's screenshots (docs/screenshots/wall-*, list-*, quick-add-phone, join-phone): a
 * dozen realistic activities from four organizations, seen on Ana's device at desktop (1440×900)
 * and phone (390×844, touch) sizes. Runs only with `MAILLAGE_SCREENSHOTS=1`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { addNote, ownerIdFromSecret, randomToken, type NoteInput } from '@maillage/shared';
import { startServer, createBoard, type TestServer } from '../helpers/server.ts';
import { launchBrowser, personContext, showList, waitForColumns, waitForNotes, DESKTOP, PHONE, type Person } from '../helpers/browser.ts';
import { connectClient } from '../helpers/yclient.ts';

const enabled = !!process.env.MAILLAGE_SCREENSHOTS;
let srv: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
beforeAll(async () => {
  if (!enabled) return;
  srv = await startServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close().catch(() => {})));
  await browser?.close();
  await srv?.close();
});

async function openPage(person: Person | null, size: typeof PHONE | typeof DESKTOP, urlPath: string, ownerSecret?: string): Promise<Page> {
  const ctx = await personContext(browser, person, { ...size });
  contexts.push(ctx);
  if (ownerSecret) await ctx.addInitScript((secret) => localStorage.setItem('maillage.ownerSecret', secret), ownerSecret);
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error('pageerror', e.message));
  await page.goto(srv.http + urlPath);
  return page;
}

/** A dozen realistic activities for the README's screenshots. */
const SHOWCASE: { who: Person & { color: string }; notes: [string, string][] }[] = [
  {
    who: { author: 'Ana Tremblay', email: 'ana@cje-laval.org', org: 'CJE de Laval', color: '#fff59d' },
    notes: [
      ['engage-youth', 'Café-rencontres mensuels avec les jeunes NEET du quartier'],
      ['hs-to-employment', 'Stages d’été rémunérés chez des employeurs partenaires'],
      ['mentoring', 'Jumelage avec des mentors du milieu des affaires'],
    ],
  },
  {
    who: { author: 'David Chen', email: 'david@lakeshore.example', org: 'Lakeshore School Board', color: '#90caf9' },
    notes: [
      ['graduate-high-school', 'Homework help club after school, Tuesdays and Thursdays'],
      ['graduate-high-school', 'Support for teen parents to stay in school: childcare, flexible schedule'],
      ['hs-to-postsecondary', 'Campus visits and application workshops with the local CEGEP'],
    ],
  },
  {
    who: { author: 'Fatou Diallo', email: 'fatou@codeuses.example', org: 'Les Codeuses', color: '#a5d6a7' },
    notes: [
      ['engage-youth', 'Initiation à la programmation pour jeunes femmes'],
      ['hs-to-training', 'Bootcamp de 12 semaines en développement web'],
      ['mentoring', 'Marrainage par des développeuses en emploi'],
    ],
  },
  {
    who: { author: 'Marc Gagnon', email: 'marc@northside.example', org: 'Northside Community Centre', color: '#ffcc80' },
    notes: [
      ['engage-youth', 'Midnight basketball on Fridays, with a youth worker on site'],
      ['hs-to-employment', 'First-job coaching: CV, interviews, workplace basics'],
      ['other', 'Bus passes for youth in training programs'],
    ],
  },
];

/** Seeds SHOWCASE; the first person writes with `firstSecret`, so a browser holding it owns those notes. */
async function seedShowcase(boardId: string, firstSecret: string): Promise<void> {
  const heights = new Map<string, number>();
  for (const { who, notes } of SHOWCASE) {
    const secret = who === SHOWCASE[0]?.who ? firstSecret : randomToken(32);
    const client = connectClient(srv.ws, boardId, { ownerSecret: secret });
    await client.synced;
    for (const [domainId, text] of notes) {
      const y = heights.get(domainId) ?? 104;
      const lines = Math.ceil(text.length / 26);
      heights.set(domainId, y + Math.max(96, lines * 19 + 46) + 12);
      const input: NoteInput = { text, domainId, x: 20, y, author: who.author, email: who.email, org: who.org ?? '', color: who.color, ownerId: ownerIdFromSecret(secret) };
      addNote(client.doc, input);
    }
    await new Promise((r) => setTimeout(r, 300));
    client.destroy();
  }
}

describe.runIf(enabled)('screenshots', () => {
  it('writes docs/screenshots/*.png', async () => {
    const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');
    fs.mkdirSync(out, { recursive: true });
    const b = await createBoard(srv.http, { title: 'Webinaire 3 — Cartographie des relations' });
    const anaSecret = randomToken(32);
    await seedShowcase(b.id, anaSecret);
    const me = { author: 'Ana Tremblay', email: 'ana@cje-laval.org', org: 'CJE de Laval' };

    // The screenshots are taken on Ana's device: her notes show their edit controls in the list.
    const anaWall = async (size: typeof PHONE | typeof DESKTOP) => {
      const page = await openPage(me, size, b.links.participant, anaSecret);
      await page.waitForSelector('[data-status="connected"]');
      await waitForColumns(page);
      return page;
    };
    const desk = await anaWall(DESKTOP);
    await waitForNotes(desk, (ns) => ns.length === 12);
    await desk.getByRole('button', { name: 'Voir tout le mur' }).click();
    await desk.waitForTimeout(200);
    await desk.screenshot({ path: path.join(out, 'wall-desktop.png') });
    await showList(desk);
    await desk.screenshot({ path: path.join(out, 'list-desktop.png') });

    const phone = await anaWall(PHONE);
    await waitForNotes(phone, (ns) => ns.length > 0);
    await phone.screenshot({ path: path.join(out, 'wall-phone.png') });
    await phone.getByRole('button', { name: /Ajouter une activité/ }).tap();
    await phone.getByRole('textbox', { name: 'Activité' }).fill('Ateliers de préparation aux entrevues');
    await phone.getByRole('combobox', { name: 'Domaine' }).selectOption('hs-to-employment');
    await phone.waitForTimeout(800); // let the tap highlight fade
    await phone.screenshot({ path: path.join(out, 'quick-add-phone.png') });
    await phone.keyboard.press('Escape');
    await showList(phone);
    await phone.screenshot({ path: path.join(out, 'list-phone.png') });

    const join = await openPage(null, PHONE, b.links.participant);
    await join.getByRole('dialog').waitFor();
    await join.waitForSelector('[data-status="connected"]', { state: 'attached' });
    await join.screenshot({ path: path.join(out, 'join-phone.png') });
  });
});
