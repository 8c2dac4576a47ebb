/**
 * After the session, in real Chromium (docs/spec.md R24, R27, R30): the review link shows the wall
 * read-only with filters and a search that folds accents and plurals; hosts (and review links the
 * host allowed) download a PDF report and a PNG of the wall, both checked as real files; and a
 * snapshot opens read-only (time travel).
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { PDFParse } from 'pdf-parse';
import { acceptCluster, addNote, listNotes } from '@maillage/shared';
import { createBoard, startServer, type TestServer } from '../helpers/server.ts';
import { launchBrowser, personContext, wallGeometry, DESKTOP } from '../helpers/browser.ts';
import { connectClient, waitFor, type YClient } from '../helpers/yclient.ts';
import { call, joinSession } from '../helpers/session.ts';

let srv: TestServer;
let browser: Browser;
beforeAll(async () => {
  srv = await startServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await srv?.close();
});

const NOTES = [
  { text: 'Mentorat des élèves du secondaire', domainId: 'mentoring', author: 'Léa Côté', email: 'lea@cje.example', org: 'CJE Estrie' },
  { text: 'Activités parascolaires en robotique', domainId: 'engage-youth', author: 'Marc Roy', email: 'marc@cegep.example', org: 'Cégep de Sherbrooke' },
  { text: 'Job fair for students', domainId: 'hs-to-employment', author: 'Ann Lee', email: 'ann@ymca.example', org: 'YMCA' },
  { text: 'Aide aux devoirs après l’école', domainId: 'graduate-high-school', author: 'Léa Côté', email: 'lea@cje.example', org: 'cje estrie' },
  { text: 'Stages d’été rémunérés', domainId: 'hs-to-employment', author: 'Zoé Gagnon', email: 'zoe@ville.example', org: 'Ville de Sherbrooke' },
];

/** A wall seeded over y-websocket by a host client, with one accepted cluster. */
async function seededWall(): Promise<{ b: Awaited<ReturnType<typeof createBoard>>; host: YClient; ids: string[] }> {
  const b = await createBoard(srv.http, { title: 'Bilan de l’atelier' });
  const host = connectClient(srv.ws, b.id, { key: b.hostKey });
  await host.synced;
  const ids = NOTES.map((n) => addNote(host.doc, n));
  acceptCluster(host.doc, { label: 'Soutien scolaire', noteIds: [ids[0] as string, ids[3] as string], terms: [], score: 0.7 });
  await waitFor(host.doc, () => listNotes(host.doc).length === NOTES.length);
  return { b, host, ids };
}

async function open(path: string): Promise<Page> {
  const ctx = await personContext(browser, { author: 'Hôte', email: 'hote@example.org' }, { ...DESKTOP, acceptDownloads: true });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error('pageerror', e.message));
  await page.goto(srv.http + path);
  await page.waitForSelector('[data-status="connected"]');
  return page;
}

async function shownTexts(page: Page): Promise<string[]> {
  return (await wallGeometry(page)).notes.map((n) => n.text).sort();
}

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, what: string, ms = 10_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() - start > ms) throw new Error(`timed out: ${what}; last ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Minimal PNG decoder check: signature, IHDR, and IDAT that inflates to exactly the image size. */
function decodePng(buf: Buffer): { width: number; height: number; colorType: number } {
  expect(buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  let off = 8;
  let ihdr: { width: number; height: number; depth: number; colorType: number; interlace: number } | null = null;
  const idat: Buffer[] = [];
  let ended = false;
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.subarray(off + 4, off + 8).toString('latin1');
    const data = buf.subarray(off + 8, off + 8 + len);
    expect(zlib.crc32(buf.subarray(off + 4, off + 8 + len))).toBe(buf.readUInt32BE(off + 8 + len));
    if (type === 'IHDR') ihdr = { width: data.readUInt32BE(0), height: data.readUInt32BE(4), depth: data[8]!, colorType: data[9]!, interlace: data[12]! };
    if (type === 'IDAT') idat.push(data);
    if (type === 'IEND') ended = true;
    off += 12 + len;
  }
  expect(ended).toBe(true);
  if (!ihdr) throw new Error('no IHDR');
  expect(ihdr.depth).toBe(8);
  expect(ihdr.interlace).toBe(0);
  const channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[ihdr.colorType];
  if (!channels) throw new Error(`unexpected colour type ${ihdr.colorType}`);
  const raw = zlib.inflateSync(Buffer.concat(idat));
  expect(raw.length).toBe(ihdr.height * (1 + ihdr.width * channels));
  // Every scanline starts with a valid filter type; and the image is not blank.
  for (let y = 0; y < ihdr.height; y += 97) expect(raw[y * (1 + ihdr.width * channels)]).toBeLessThanOrEqual(4);
  const sample = new Set<number>();
  for (let i = 0; i < raw.length; i += 997) sample.add(raw[i]!);
  expect(sample.size).toBeGreaterThan(16);
  if (process.env.KEEP_PNG) fs.writeFileSync(process.env.KEEP_PNG, buf);
  return ihdr;
}

describe('review and exports in the browser', () => {
  it('R27 the review link shows the wall read-only, with filters and an accent- and plural-folding search', async () => {
    const { b, host } = await seededWall();
    const page = await open(b.links.review);
    await expect.poll(() => page.getByTestId('role').textContent()).toBe('Consultation');
    await until(() => shownTexts(page), (t) => t.length === NOTES.length, 'all notes on the canvas');
    // Read-only: no column offers to add, no undo; exports are offered to every review link
    // (R73: emails blanked unless the hosts allow them).
    expect((await wallGeometry(page)).columns.every((c) => !(c as unknown as { canAdd: boolean }).canAdd)).toBe(true);
    expect(await page.getByRole('button', { name: 'Annuler' }).count()).toBe(0);
    expect(await page.locator('.export-menu').count()).toBe(1);

    const filters = page.getByRole('search', { name: 'Filtrer les Post-it' });
    await filters.waitFor();
    const search = filters.getByLabel('Rechercher');
    // Accents folded, case ignored: "ELEVES" finds "élèves" — and, across languages through the
    // clustering glossary (R155), "students".
    await search.fill('ELEVES');
    await until(() => shownTexts(page), (t) => t.join() === 'Job fair for students,Mentorat des élèves du secondaire', 'accent-folded search');
    await expect.poll(() => page.getByTestId('filter-count').textContent()).toBe('2 Post-it affichés sur 5');
    // Plurals and prefixes: "activite" finds "Activités", "stage" finds "Stages".
    await search.fill('activite');
    await until(() => shownTexts(page), (t) => t.join() === 'Activités parascolaires en robotique', 'plural search');
    await search.fill('stage remunere');
    await until(() => shownTexts(page), (t) => t.join() === 'Stages d’été rémunérés', 'two-word search');
    await search.fill('');
    await until(() => shownTexts(page), (t) => t.length === 5, 'search cleared');

    // Domain, organization (grouped across spellings), author, cluster.
    await filters.getByLabel('Domaine').selectOption('hs-to-employment');
    await until(() => shownTexts(page), (t) => t.join('|') === 'Job fair for students|Stages d’été rémunérés', 'domain filter');
    await filters.getByRole('button', { name: 'Effacer les filtres' }).click();
    await filters.getByLabel('Organisation').selectOption({ label: 'CJE Estrie (2)' });
    await until(() => shownTexts(page), (t) => t.length === 2 && t.every((x) => /Mentorat|devoirs/.test(x)), 'organization filter');
    await filters.getByRole('button', { name: 'Effacer les filtres' }).click();
    await filters.getByLabel('Nom').selectOption({ label: 'Ann Lee (1)' });
    await until(() => shownTexts(page), (t) => t.join() === 'Job fair for students', 'author filter');
    await filters.getByRole('button', { name: 'Effacer les filtres' }).click();
    await filters.getByLabel('Regroupement').selectOption({ label: 'Soutien scolaire (2)' });
    await until(() => shownTexts(page), (t) => t.join('|') === 'Aide aux devoirs après l’école|Mentorat des élèves du secondaire', 'cluster filter');

    // The list view shows the same selection, with no way to edit and no email.
    await page.getByRole('button', { name: 'Liste' }).click();
    const list = page.locator('.list-view');
    await list.waitFor();
    await expect.poll(() => list.locator('.list-note').count()).toBe(2);
    expect(await list.getByRole('button', { name: 'Modifier' }).count()).toBe(0);
    expect(await list.locator('.list-add').count()).toBe(0);
    expect(await page.content()).not.toContain('lea@cje.example');
    await filters.getByRole('button', { name: 'Effacer les filtres' }).click();
    await expect.poll(() => list.locator('.list-note').count()).toBe(5);
    expect(await page.content()).not.toContain('@cje.example');

    // Once the host allows it, the review link shows emails and may export.
    const hostS = await joinSession(srv.http, b.id, { key: b.hostKey });
    expect((await call(hostS, 'host:settings', { reviewShowsEmails: true })).ok).toBe(true);
    await expect.poll(() => list.getByText(/lea@cje\.example/).count()).toBeGreaterThan(0);
    await page.locator('.export-menu summary').waitFor();
    hostS.disconnect();
    host.destroy();
    await page.context().close();
  });

  it('R30 a host downloads a PDF report and a PNG of the whole wall at print resolution; both are valid files', async () => {
    const { b, host } = await seededWall();
    const page = await open(b.links.host);
    await until(() => shownTexts(page), (t) => t.length === NOTES.length, 'notes at the host');

    await page.locator('.export-menu summary').click();
    const [pdfDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: 'Rapport (PDF)' }).click()]);
    expect(pdfDownload.suggestedFilename()).toMatch(/^Bilan de l’atelier-\d{4}-\d\d-\d\d\.pdf$/);
    const pdf = fs.readFileSync((await pdfDownload.path()) as string);
    const parser = new PDFParse({ data: new Uint8Array(pdf) });
    try {
      const text = (await parser.getText()).text.replace(/\s+/g, ' ');
      expect(text).toContain('Bilan de l’atelier');
      for (const n of NOTES) expect(text).toContain(n.text);
      expect(text).toContain('Léa Côté · CJE Estrie · lea@cje.example');
      expect(text).toContain('Soutien scolaire');
    } finally {
      await parser.destroy();
    }

    // Zoom in first: the PNG must hold every column and note, not just what is in view.
    await page.getByRole('button', { name: 'Zoom avant' }).click();
    await page.getByRole('button', { name: 'Zoom avant' }).click();
    await page.locator('.export-menu summary').click();
    const [pngDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: 'Image du mur (PNG)' }).click()]);
    expect(pngDownload.suggestedFilename()).toMatch(/\.png$/);
    const png = fs.readFileSync((await pngDownload.path()) as string);
    const { width, height } = decodePng(png);
    expect(width).toBeGreaterThanOrEqual(3000);
    // Seven columns side by side: the image is wider than tall, with the wall's proportions.
    expect(width / height).toBeGreaterThan(1);
    // Chromium itself decodes it to the same size.
    const decoded = await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      return { w: img.naturalWidth, h: img.naturalHeight };
    }, png.toString('base64'));
    expect(decoded).toEqual({ w: width, h: height });
    // The canvas went back to culling and to the zoom the host had.
    await until(() => shownTexts(page), (t) => t.length <= NOTES.length, 'canvas restored');
    host.destroy();
    await page.context().close();
  });

  it('R24 a host opens a snapshot read-only (time travel) and comes back to the live wall', async () => {
    const { b, host } = await seededWall();
    const res = await fetch(`${srv.http}/api/boards/${b.id}/snapshots`, {
      method: 'POST',
      headers: { authorization: `Bearer ${b.hostKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Avant la pause' }),
    });
    expect(res.status).toBe(201);
    addNote(host.doc, { text: 'Ajout après la pause', domainId: 'other' });
    const page = await open(b.links.host);
    await until(() => shownTexts(page), (t) => t.length === NOTES.length + 1, 'live wall');
    await page.getByRole('button', { name: 'Instantanés' }).click();
    const panel = page.getByTestId('snapshots-panel');
    await panel.getByText('Avant la pause').waitFor();
    await panel.getByRole('button', { name: 'Voir' }).click();
    await page.getByTestId('time-travel').waitFor();
    await until(() => shownTexts(page), (t) => t.length === NOTES.length && !t.includes('Ajout après la pause'), 'snapshot on the canvas');
    expect((await wallGeometry(page)).columns.every((c) => !(c as unknown as { canAdd: boolean }).canAdd)).toBe(true);
    await page.getByTestId('time-travel').getByRole('button', { name: 'Revenir au mur en direct' }).click();
    await until(() => shownTexts(page), (t) => t.includes('Ajout après la pause'), 'back to live');
    host.destroy();
    await page.context().close();
  });
});
