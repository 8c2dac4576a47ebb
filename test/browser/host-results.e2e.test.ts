/**
 * The host's live results and the session's edges in real Chromium (docs/spec.md R122–R129):
 * ranked vote results in the host panel and on the projector, the timer's end on every screen,
 * the end of the session for a participant and a review partner, the host panel docked beside the
 * wall, notes that never cover one another, connectors above notes, no cursors on phones.
 * MAILLAGE_SCREENSHOTS=1 writes docs/screenshots/15-*.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { addNote, addRelation, randomToken, TEMPLATES } from '@maillage/shared';
import { startServer, createBoard, type TestServer } from '../helpers/server.ts';
import { connectClient, sleep } from '../helpers/yclient.ts';
import { joinSession, call, type SessionClient } from '../helpers/session.ts';
import { launchBrowser, personContext, wallGeometry, waitForNotes, PHONE, type NoteBox } from '../helpers/browser.ts';

const PROJECTOR = { viewport: { width: 1920, height: 1080 } };
const SHOTS = process.env.MAILLAGE_SCREENSHOTS === '1';
const SHOT_DIR = path.resolve(import.meta.dirname, '../../docs/screenshots');
const DOMAINS = TEMPLATES['relationship-mapping'].domains.map((d) => d.key);

let srv: TestServer;
let browser: Browser;
const sockets: SessionClient[] = [];
beforeAll(async () => {
  srv = await startServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await browser?.close();
  await srv?.close();
});

type Board = Awaited<ReturnType<typeof createBoard>>;

async function seed(b: Board, notes: [text: string, org: string, domain: number, x?: number, y?: number][]): Promise<string[]> {
  const c = connectClient(srv.ws, b.id, { key: b.hostKey });
  await c.synced;
  const ids = notes.map(([text, org, d, x, y]) => addNote(c.doc, { text, org, author: `Auteur ${org}`, domainId: DOMAINS[d] as string, ...(x !== undefined ? { x } : {}), ...(y !== undefined ? { y } : {}) }));
  await sleep(300);
  c.destroy();
  return ids;
}

async function open(url: string, opts: Parameters<Browser['newContext']>[0] = PROJECTOR, who: string | null = 'Hôte'): Promise<Page> {
  const ctx = await personContext(browser, who ? { author: who, email: `${who.toLowerCase().replace(/\W/g, '')}@example.org` } : null, opts);
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error('pageerror', e.message));
  await page.goto(url);
  await page.waitForSelector('[data-status="connected"], .projection-bar');
  return page;
}

async function host(b: Board): Promise<SessionClient> {
  const s = await joinSession(srv.http, b.id, { key: b.hostKey });
  sockets.push(s);
  return s;
}

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  fs.mkdirSync(SHOT_DIR, { recursive: true });
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(SHOT_DIR, name) });
}

describe('host results and session edges', () => {
  it('R122: vote results ranked in the host panel (note, votes, organization) and on the projector', async () => {
    const b = await createBoard(srv.http, { title: 'Vote' });
    const texts: [string, string, number][] = [
      ['Mentorat par les pairs au secondaire', 'CJE Outaouais', 5],
      ['Peer mentoring for first-year college students', 'Heritage College', 5],
      ['Stages rémunérés dans les PME de la région', 'Chambre de commerce', 4],
      ['Club de devoirs après l’école', 'Maison des jeunes', 1],
      ['Youth advisory council at city hall', 'City of Gatineau', 0],
      ['Banque alimentaire étudiante au cégep', 'Cégep de l’Outaouais', 2],
    ];
    const ids = await seed(b, texts);
    const h = await host(b);
    expect((await call(h, 'host:vote', { action: 'open', dots: 3 })).ok).toBe(true);
    // Five voters: note 2 gets 5 dots, note 0 gets 3, notes 3 and 5 get 2 each (a tie), note 1 gets 1.
    const plan = [[2, 0, 3], [2, 0, 5], [2, 0, 3], [2, 5, 1], [2]];
    for (const dots of plan) {
      const voter = await joinSession(srv.http, b.id, { ownerSecret: randomToken(24) });
      sockets.push(voter);
      for (const i of dots) expect((await call(voter, 'vote:cast', { noteId: ids[i] as string, add: true })).ok).toBe(true);
    }
    const page = await open(`${srv.http}/b/${b.id}#k=${b.hostKey}`);
    await page.getByRole('button', { name: 'Animation' }).click();
    const ranking = page.getByTestId('host-results').getByTestId('vote-ranking');
    await expect.poll(() => ranking.locator('li').count()).toBe(5);
    const rows = await ranking.locator('li').evaluateAll((els) => els.map((e) => ({ rank: e.getAttribute('data-rank'), votes: e.getAttribute('data-votes'), text: (e as HTMLElement).innerText })));
    expect(rows.map((r) => [r.rank, r.votes])).toEqual([
      ['1', '5'],
      ['2', '3'],
      ['3', '2'],
      ['3', '2'],
      ['5', '1'],
    ]);
    expect(rows[0]?.text).toContain('Stages rémunérés dans les PME de la région');
    expect(rows[0]?.text).toContain('Chambre de commerce');
    expect(rows[0]?.text).toContain('5 points');
    // The tie keeps the wall's domain order: "Club de devoirs" (domain 2) before "Banque alimentaire" (domain 3).
    expect(rows[2]?.text).toContain('Club de devoirs');
    expect(rows[3]?.text).toContain('Banque alimentaire');
    expect(rows.map((r) => r.text).join(' ')).not.toContain('Youth advisory'); // no votes, not ranked
    // The panel sits beside the wall, not over it (R127).
    const wallBox = await page.locator('.wall').boundingBox();
    const panelBox = await page.locator('.host-panel').boundingBox();
    expect(wallBox && panelBox && wallBox.x + wallBox.width).toBeLessThanOrEqual((panelBox?.x ?? 0) + 1);
    await shot(page, '15-host-results.png');

    // Projected: the same order, large.
    await page.getByRole('button', { name: 'Projeter les résultats' }).click();
    const projected = page.locator('.projection-votes').getByTestId('vote-ranking');
    await expect.poll(() => projected.locator('li').count()).toBe(5);
    expect(await projected.locator('li').evaluateAll((els) => els.map((e) => e.getAttribute('data-note-id')))).toEqual(rows.map((_, i) => [ids[2], ids[0], ids[3], ids[5], ids[1]][i]));
    const px = await projected.locator('.vr-text').first().evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
    console.info(`R122 projected ranking: note text ${px} px`);
    expect(px).toBeGreaterThanOrEqual(28);
    await shot(page, '15-vote-ranking.png');
    await page.context().close();
  });

  it('R123: the timer\'s end shows on every screen (participant, projector with a beep), then clears', async () => {
    const b = await createBoard(srv.http, { title: 'Minuterie' });
    await seed(b, [['Mentorat par les pairs', 'CJE', 0]]);
    const participant = await open(`${srv.http}/b/${b.id}`, { viewport: { width: 1280, height: 800 } }, 'Ana');
    const projector = await open(`${srv.http}/b/${b.id}?projection#k=${b.hostKey}`);
    const h = await host(b);
    expect((await call(h, 'host:timer', { action: 'start', seconds: 3 })).ok).toBe(true);
    for (const p of [participant, projector]) await expect.poll(() => p.getByTestId('countdown').textContent()).toMatch(/00:0[1-3]/);
    for (const p of [participant, projector]) await p.getByTestId('timer-ended').waitFor({ timeout: 8000 });
    expect(await participant.getByTestId('timer-ended').innerText()).toMatch(/Temps écoulé/);
    await expect.poll(() => projector.evaluate(() => (window as unknown as { __maillageBeeps?: number }).__maillageBeeps ?? 0)).toBe(1);
    expect(await participant.evaluate(() => (window as unknown as { __maillageBeeps?: number }).__maillageBeeps ?? 0)).toBe(0);
    // Then it clears: no banner, no red 00:00 left behind.
    for (const p of [participant, projector]) {
      await p.getByTestId('timer-ended').waitFor({ state: 'detached', timeout: 12_000 });
      expect(await p.getByTestId('countdown').count()).toBe(0);
    }
    for (const p of [participant, projector]) await p.context().close();
  });

  it('R193: the projector\'s end sound can be muted; the choice survives a reload on that device and is bilingual', async () => {
    const b = await createBoard(srv.http, { title: 'Sourdine' });
    await seed(b, [['Mentorat par les pairs', 'CJE', 0]]);
    const projector = await open(`${srv.http}/b/${b.id}?projection#k=${b.hostKey}`);
    const toggle = projector.getByTestId('sound-toggle');
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    expect(await toggle.innerText()).toMatch(/Son de fin : activé/);
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    expect(await toggle.innerText()).toMatch(/Son de fin : coupé/);
    await projector.reload();
    await projector.waitForSelector('.projection-bar');
    expect(await projector.getByTestId('sound-toggle').getAttribute('aria-pressed')).toBe('false');
    // Muted: the banner shows, no sound.
    const h = await host(b);
    expect((await call(h, 'host:timer', { action: 'start', seconds: 2 })).ok).toBe(true);
    await expect.poll(() => projector.getByTestId('countdown').count(), { timeout: 5000 }).toBe(1);
    await projector.getByTestId('timer-ended').waitFor({ timeout: 8000 });
    await sleep(500);
    expect(await projector.evaluate(() => (window as unknown as { __maillageBeeps?: number }).__maillageBeeps ?? 0)).toBe(0);
    // Sound back on: the next end beeps once.
    await projector.getByTestId('sound-toggle').click();
    expect((await call(h, 'host:timer', { action: 'start', seconds: 2 })).ok).toBe(true);
    await expect.poll(() => projector.evaluate(() => (window as unknown as { __maillageBeeps?: number }).__maillageBeeps ?? 0), { timeout: 10_000 }).toBe(1);
    await projector.context().close();
    // English.
    const en = await open(`${srv.http}/b/${b.id}?projection#k=${b.hostKey}`, { ...PROJECTOR, locale: 'en-CA' });
    expect(await en.getByTestId('sound-toggle').innerText()).toMatch(/End sound: on/);
    await en.context().close();
  });

  it('R126: ending the session shows participants and review partners a thank-you and what comes next, no "locked" banner', async () => {
    const b = await createBoard(srv.http, { title: 'Fin' });
    await seed(b, [['Mentorat par les pairs', 'CJE', 0]]);
    const participant = await open(`${srv.http}/b/${b.id}`, { viewport: { width: 1280, height: 800 } }, 'Ana');
    const review = await open(`${srv.http}/b/${b.id}#k=${b.reviewKey}`, { viewport: { width: 1280, height: 800 } }, null);
    const phone = await open(`${srv.http}/b/${b.id}`, { ...PHONE, deviceScaleFactor: 3 }, 'Téléphone');
    await waitForNotes(participant, (ns) => ns.length === 1);
    const h = await host(b);
    expect((await call(h, 'host:endSession', {})).ok).toBe(true);

    const dialog = participant.getByTestId('session-ended');
    await dialog.waitFor();
    expect(await dialog.innerText()).toMatch(/Séance terminée — merci/);
    expect(await dialog.innerText()).toMatch(/lien de consultation/);
    await shot(participant, '15-session-ended-participant.png');
    await phone.getByTestId('session-ended').waitFor();
    await shot(phone, '15-session-ended-phone.png');
    await dialog.getByRole('button', { name: 'Voir le mur' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await participant.getByTestId('session-ended-banner').innerText()).toMatch(/Séance terminée/);
    expect(await participant.getByTestId('locked-banner').count()).toBe(0);

    const banner = review.getByTestId('session-ended-banner');
    await banner.waitFor();
    expect(await banner.innerText()).toMatch(/exports/);
    expect(await review.getByTestId('locked-banner').count()).toBe(0);
    expect(await review.getByTestId('session-ended').count()).toBe(0); // no dialog in the reviewer's way
    // Opened after the end, too.
    const later = await open(`${srv.http}/b/${b.id}#k=${b.reviewKey}`, { viewport: { width: 1280, height: 800 } }, null);
    await later.getByTestId('session-ended-banner').waitFor();
    expect(await later.getByTestId('locked-banner').count()).toBe(0);
    for (const p of [participant, review, later, phone]) await p.context().close();
  });

  it('R128 R124: notes never land on one another (same stored place, a drop on another note); connectors above the notes, stacked ones curve out', async () => {
    const b = await createBoard(srv.http, { title: 'Place' });
    // Three notes written at the very same place (two people adding at once, a stock client's default).
    const ids = await seed(b, [
      ['Première activité', 'A', 0, 20, 120],
      ['Deuxième activité', 'B', 0, 20, 120],
      ['Troisième activité', 'C', 0, 20, 120],
      ['Dans une autre colonne', 'D', 1],
    ]);
    const c = connectClient(srv.ws, b.id, { key: b.hostKey });
    await c.synced;
    addRelation(c.doc, { from: ids[0] as string, to: ids[1] as string, label: 'se complètent' });
    await sleep(200);
    c.destroy();
    const page = await open(`${srv.http}/b/${b.id}#k=${b.hostKey}`, { viewport: { width: 1440, height: 900 } });
    const notes = await waitForNotes(page, (ns) => ns.length === 4);
    const overlaps = (ns: NoteBox[]) =>
      ns.flatMap((a, i) => ns.slice(i + 1).filter((o) => a.x < o.x + o.width && o.x < a.x + a.width && a.y < o.y + o.height && o.y < a.y + a.height).map((o) => [a.text, o.text]));
    expect(overlaps(notes)).toEqual([]);
    // Single file, one below the other (same x, three different y).
    const col0 = notes.filter((n) => n.domainId === DOMAINS[0]).sort((p, q) => p.y - q.y);
    expect(new Set(col0.map((n) => Math.round(n.x))).size).toBe(1);
    expect(new Set(col0.map((n) => Math.round(n.y))).size).toBe(3);

    // Drag the note of column 2 onto the middle of "Deuxième": it joins column 1's flow, on top of nothing.
    // The canvas re-fits while the page settles (banners arriving change its height, R127): wait
    // until nothing moves before aiming.
    let last = '';
    await expect
      .poll(async () => {
        const now = JSON.stringify((await wallGeometry(page)).notes.map((n) => [Math.round(n.x), Math.round(n.y)]));
        const same = now === last;
        last = now;
        return same;
      }, { interval: 300 })
      .toBe(true);
    const notesNow = (await wallGeometry(page)).notes;
    col0.splice(0, col0.length, ...notesNow.filter((n) => n.domainId === DOMAINS[0]).sort((p, q) => p.y - q.y));
    const { origin } = await wallGeometry(page);
    const moving = notesNow.find((n) => n.text === 'Dans une autre colonne') as NoteBox;
    const target = col0[1] as NoteBox;
    await page.mouse.move(origin.x + moving.x + moving.width / 2, origin.y + moving.y + 10);
    await page.mouse.down();
    await page.mouse.move(origin.x + target.x + target.width / 2, origin.y + target.y + target.height / 2, { steps: 12 });
    await page.mouse.up();
    const after = await waitForNotes(page, (ns) => ns.filter((n) => n.domainId === DOMAINS[0]).length === 4);
    expect(overlaps(after)).toEqual([]);
    const xs = new Set(after.filter((n) => n.domainId === DOMAINS[0]).map((n) => Math.round(n.x)));
    expect(xs.size).toBe(1); // snapped into the column's single file

    // Connectors are drawn above the notes (R124).
    const layers = await page.evaluate(() => (window as unknown as { __maillage: { layers(): string[] } }).__maillage.layers());
    expect(layers.indexOf('relations')).toBeGreaterThan(layers.indexOf('notes'));
    await page.context().close();
  });

  it('R129: no remote cursors on a phone (narrow, touch); a desktop shows them', async () => {
    const b = await createBoard(srv.http, { title: 'Curseurs' });
    const phone = await open(`${srv.http}/b/${b.id}`, { ...PHONE, deviceScaleFactor: 3 }, 'Téléphone');
    // Phones open on the list (R100); this person chose the canvas, where cursors would be drawn.
    await phone.evaluate(() => localStorage.setItem('maillage.view', 'canvas'));
    await phone.reload();
    await phone.waitForSelector('[data-status="connected"]');
    const desk = await open(`${srv.http}/b/${b.id}`, { viewport: { width: 1440, height: 900 } }, 'Bureau');
    const shown = (p: Page) => p.evaluate(() => (window as unknown as { __maillage?: { cursorsShown: boolean; layers(): string[] } }).__maillage);
    await expect.poll(async () => (await shown(phone))?.cursorsShown).toBe(false);
    expect((await phone.evaluate(() => (window as unknown as { __maillage: { layers(): string[] } }).__maillage.layers()))).not.toContain('cursors');
    await expect.poll(async () => (await shown(desk))?.cursorsShown).toBe(true);
    expect(await desk.evaluate(() => (window as unknown as { __maillage: { layers(): string[] } }).__maillage.layers())).toContain('cursors');
    for (const p of [phone, desk]) await p.context().close();
  });
});

describe('cluster triage', () => {
  it('R130: suggestions strongest first, named from their notes in the host language, with their halo colour; bulk accept', async () => {
    const b = await createBoard(srv.http, { title: 'Triage' });
    await seed(b, [
      ['Ateliers d’entrepreneuriat pour les jeunes', 'CJE Outaouais', 4],
      ['Entrepreneurship workshops for youth', 'YMCA', 0],
      ['Aide aux devoirs après l’école', 'Maison des jeunes', 1],
      ['After-school homework help', 'Boys and Girls Club', 1],
      ['Cours de cuisine communautaire', 'Centre communautaire', 6],
    ]);
    const page = await open(`${srv.http}/b/${b.id}#k=${b.hostKey}`, { viewport: { width: 1440, height: 900 } });
    await page.getByRole('button', { name: 'Regroupements' }).click();
    await page.getByRole('button', { name: 'Trouver les activités semblables' }).click();
    const items = page.locator('.clusters-panel .cluster-list > li.cluster');
    await expect.poll(() => items.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
    const found = await items.evaluateAll((els) =>
      els.map((e) => ({
        score: Number(e.getAttribute('data-score')),
        name: (e.querySelector('input[aria-label="Nom du groupe"]') as HTMLInputElement).value,
        color: e.querySelector('.halo-key')?.getAttribute('data-color'),
      })),
    );
    for (let i = 1; i < found.length; i++) expect(found[i]!.score).toBeLessThanOrEqual(found[i - 1]!.score);
    for (const f of found) {
      // A phrase from a French note (the host reads French), not a list of keywords.
      expect(f.name).toMatch(/^(Ateliers d’entrepreneuriat|Aide aux devoirs|Cours de cuisine)/);
      expect(f.color).toMatch(/^#[0-9a-f]{6}$/);
    }
    // The halo on the wall has the colour shown next to the suggestion.
    const halos = await page.evaluate(() => (window as unknown as { __maillage: { halos(): { color: string; suggested: boolean }[] } }).__maillage.halos());
    expect(halos.some((h) => h.suggested && h.color === found[0]!.color)).toBe(true);
    await shot(page, '15-cluster-triage.png');

    await page.getByLabel('Tout sélectionner').check();
    await page.getByRole('button', { name: `Retenir la sélection (${found.length})` }).click();
    await page.getByRole('tab', { name: 'Groupes retenus' }).click();
    await expect.poll(() => page.locator('.clusters-panel .cluster').count()).toBe(found.length);
    expect(await page.getByTestId('group-legend').innerText()).toContain(found[0]!.name);
    await page.context().close();
  });
});
