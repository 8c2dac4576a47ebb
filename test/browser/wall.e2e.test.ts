/**
 * The live wall in real headless Chromium (docs/spec.md R3, R9): two browser contexts on one wall;
 * a note added in a column by one appears for the other; dragging it to another column changes
 * its domain for both; undo only undoes one's own change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, createBoard, type TestServer } from '../helpers/server.ts';
import { launchBrowser, personContext, wallGeometry, waitForColumns, waitForNotes, DESKTOP } from '../helpers/browser.ts';

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

async function openWall(path: string, person: { author: string; email: string; org?: string }): Promise<Page> {
  const ctx = await personContext(browser, person, DESKTOP);
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error('pageerror', e.message));
  await page.goto(srv.http + path);
  await page.waitForSelector('[data-status="connected"]');
  await waitForColumns(page);
  return page;
}

async function addNoteVia(page: Page, domainId: string, text: string): Promise<void> {
  const { columns, origin } = await wallGeometry(page);
  const col = columns.find((c) => c.id === domainId);
  if (!col) throw new Error(`no column ${domainId}`);
  await page.mouse.click(origin.x + col.add.x, origin.y + col.add.y);
  const box = page.locator('.note-editor textarea');
  await box.waitFor();
  await box.fill(text);
  await box.press('Enter');
  await box.waitFor({ state: 'detached' });
}

describe('the wall in two browsers', () => {
  it('R3 R8 a note added in one browser appears in the other; dragging it to another column moves it for both; undo is one\'s own', async () => {
    const b = await createBoard(srv.http, { title: 'E2E' });
    const host = await openWall(b.links.host, { author: 'Hôte', email: 'host@example.org' });
    const guest = await openWall(b.links.participant, { author: 'Ana', email: 'ana@example.org', org: 'CJE' });

    await addNoteVia(host, 'mentoring', 'Jumelage mentor-mentoré');
    const [seen] = await waitForNotes(guest, (ns) => ns.some((n) => n.text === 'Jumelage mentor-mentoré'));
    expect(seen?.domainId).toBe('mentoring');

    // Drag on the host's screen from the note to the "Autre?" column.
    const { notes, columns, origin } = await wallGeometry(host);
    const note = notes.find((n) => n.text === 'Jumelage mentor-mentoré');
    const target = columns.find((c) => c.id === 'other');
    if (!note || !target) throw new Error('missing note or column');
    await host.mouse.move(origin.x + note.x + note.width / 2, origin.y + note.y + 10);
    await host.mouse.down();
    const to = { x: origin.x + target.x + target.width / 2, y: origin.y + target.y + target.height * 0.25 };
    await host.mouse.move(to.x, to.y, { steps: 12 });
    await host.mouse.up();
    await waitForNotes(host, (ns) => ns.some((n) => n.text === 'Jumelage mentor-mentoré' && n.domainId === 'other'));
    await waitForNotes(guest, (ns) => ns.some((n) => n.text === 'Jumelage mentor-mentoré' && n.domainId === 'other'));

    // The guest adds a note of their own, then the host undoes: only the host's move is undone.
    await addNoteVia(guest, 'engage-youth', 'Ateliers d’entrepreneuriat');
    await waitForNotes(host, (ns) => ns.some((n) => n.text === 'Ateliers d’entrepreneuriat'));
    const o = (await wallGeometry(host)).origin;
    await host.mouse.click(o.x + 5, o.y + 5); // empty wall: clears the selection
    await host.keyboard.press('Control+z');
    await waitForNotes(guest, (ns) => ns.some((n) => n.text === 'Jumelage mentor-mentoré' && n.domainId === 'mentoring'));
    const after = await waitForNotes(host, (ns) => ns.some((n) => n.text === 'Ateliers d’entrepreneuriat'));
    expect(after.some((n) => n.text === 'Ateliers d’entrepreneuriat')).toBe(true);
    // Redo with the toolbar button brings the move back.
    await host.getByRole('button', { name: 'Rétablir' }).click();
    await waitForNotes(guest, (ns) => ns.some((n) => n.text === 'Jumelage mentor-mentoré' && n.domainId === 'other'));

    await host.context().close();
    await guest.context().close();
  });

  it('R9 edit in place and delete own note; the change reaches the other browser', async () => {
    const b = await createBoard(srv.http);
    const a = await openWall(b.links.participant, { author: 'Léa', email: 'lea@example.org' });
    const c = await openWall(b.links.participant, { author: 'Sam', email: 'sam@example.org' });
    await addNoteVia(a, 'graduate-high-school', 'Aide aux devoirs');
    await waitForNotes(c, (ns) => ns.some((n) => n.text === 'Aide aux devoirs'));
    const { notes, origin } = await wallGeometry(a);
    const n = notes.find((x) => x.text === 'Aide aux devoirs');
    if (!n) throw new Error('note missing');
    await a.mouse.dblclick(origin.x + n.x + n.width / 2, origin.y + n.y + n.height / 2);
    const box = a.locator('.note-editor textarea');
    await box.fill('Aide aux devoirs le mardi');
    await box.press('Enter');
    await waitForNotes(c, (ns) => ns.some((x) => x.text === 'Aide aux devoirs le mardi'));
    // Select then delete through the note's action bar.
    await a.mouse.click(origin.x + n.x + n.width / 2, origin.y + n.y + n.height / 2);
    await a.getByRole('button', { name: 'Supprimer' }).click();
    await waitForNotes(c, (ns) => !ns.some((x) => x.text.startsWith('Aide aux devoirs')));
    await a.context().close();
    await c.context().close();
  });

  it('R10 zoom buttons and the mouse wheel change the scale; fit brings every column into view', async () => {
    const b = await createBoard(srv.http);
    const page = await openWall(b.links.participant, { author: 'Zoé', email: 'zoe@example.org' });
    // The wall fits itself once the page has laid out, and zooms ease in: every width is read
    // once it has settled, and every change is awaited, not slept on.
    const width = async () => (await wallGeometry(page)).columns[0]?.width ?? 0;
    const settled = async () => {
      let last = -1;
      let same = 0;
      for (let i = 0; i < 100 && same < 3; i++) {
        const w = await width();
        same = w > 0 && w === last ? same + 1 : 0;
        last = w;
        await page.waitForTimeout(100);
      }
      return last;
    };
    const before = await settled();
    await page.getByRole('button', { name: 'Zoom avant' }).click();
    await expect.poll(width, { timeout: 10_000 }).toBeGreaterThan(before * 1.1);
    const zoomed = await settled();
    await page.mouse.move(400, 400);
    await page.mouse.wheel(0, 300);
    await expect.poll(width, { timeout: 10_000 }).toBeLessThan(zoomed);
    await page.getByRole('button', { name: 'Voir tout le mur' }).click();
    const fits = async () => {
      const { columns } = await wallGeometry(page);
      const last = columns[columns.length - 1];
      return !!last && last.x + last.width <= DESKTOP.viewport.width && (columns[0]?.x ?? -1) >= 0;
    };
    await expect.poll(fits, { timeout: 10_000 }).toBe(true);
    await page.context().close();
  });

  it('R20 presence: names in the panel and a live cursor with the other person\'s name', async () => {
    const b = await createBoard(srv.http);
    const a = await openWall(b.links.participant, { author: 'Amélie Curseur', email: 'amelie@example.org' });
    const c = await openWall(b.links.participant, { author: 'Carl', email: 'carl@example.org' });
    await c.getByTestId('participants').click();
    await c.getByRole('list').getByText('Amélie Curseur').waitFor();
    const o = (await wallGeometry(a)).origin;
    const texts = () => c.evaluate(() => (window as unknown as { __maillage: { texts(): string[] } }).__maillage.texts());
    const start = Date.now();
    // Move until the cursor shows up on the other screen (the first moves may precede the join).
    while (!(await texts()).includes('Amélie Curseur')) {
      if (Date.now() - start > 10_000) throw new Error('cursor never arrived');
      await a.mouse.move(o.x + 300 + (Date.now() % 100), o.y + 300, { steps: 3 });
      await a.waitForTimeout(150);
    }
    expect((await texts()).join(' ')).not.toContain('@');
    await a.context().close();
    await c.context().close();
  });

  it('R22 a connector drawn between two notes, with a label, is seen by a second browser', async () => {
    const b = await createBoard(srv.http);
    const a = await openWall(b.links.participant, { author: 'Rita', email: 'rita@example.org', org: 'Maison des jeunes' });
    const c = await openWall(b.links.participant, { author: 'Sami', email: 'sami@example.org' });
    await addNoteVia(a, 'mentoring', 'Mentorat scolaire');
    await addNoteVia(a, 'hs-to-employment', 'Stages en entreprise');
    const notes = await waitForNotes(a, (ns) => ns.length === 2);
    const from = notes.find((n) => n.text === 'Mentorat scolaire');
    const to = notes.find((n) => n.text === 'Stages en entreprise');
    if (!from || !to) throw new Error('notes missing');
    const o = (await wallGeometry(a)).origin;
    await a.mouse.click(o.x + from.x + from.width / 2, o.y + from.y + from.height / 2);
    await a.getByRole('button', { name: 'Relier' }).click();
    await a.mouse.click(o.x + to.x + to.width / 2, o.y + to.y + to.height / 2);
    const label = a.getByLabel('Nature du lien');
    await label.fill('se complètent');
    await label.press('Enter');
    type Rel = { from: string; to: string; label: string };
    const rels = () => c.evaluate(() => (window as unknown as { __maillage: { relations(): Rel[] } }).__maillage.relations());
    await expect.poll(rels, { timeout: 10_000 }).toEqual([{ id: expect.any(String), from: from.id, to: to.id, label: 'se complètent' }]);
    const texts = await c.evaluate(() => (window as unknown as { __maillage: { texts(): string[] } }).__maillage.texts());
    expect(texts).toContain('se complètent');
    await a.context().close();
    await c.context().close();
  });
});
