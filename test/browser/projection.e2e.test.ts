/**
 * The projected wall at 1920×1080 in real Chromium (docs/spec.md R120–R121, R124–R125):
 * text measured on the drawn Konva nodes (font size × absolute scale), overview and pages, the
 * spotlight stepped through with the keys a presentation clicker sends, re-fit on resize.
 * MAILLAGE_SCREENSHOTS=1 writes docs/screenshots/15-*.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { acceptCluster, addNote, addRelation, TEMPLATES } from '@maillage/shared';
import { startServer, createBoard, type TestServer } from '../helpers/server.ts';
import { connectClient, sleep } from '../helpers/yclient.ts';
import { launchBrowser, personContext } from '../helpers/browser.ts';
import { joinSession } from '../helpers/session.ts';

const PROJECTOR = { viewport: { width: 1920, height: 1080 } };
const SHOTS = process.env.MAILLAGE_SCREENSHOTS === '1';
const SHOT_DIR = path.resolve(import.meta.dirname, '../../docs/screenshots');

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

/** Activities as partners write them: French and English, 25 to 90 characters. */
export const ACTIVITIES: [string, string, string][] = [
  ['Mentorat par les pairs au secondaire', 'Julie Tremblay', 'CJE Outaouais'],
  ['Ateliers de préparation à l’emploi pour les 16-24 ans', 'Marc Gagnon', 'Carrefour jeunesse'],
  ['Club de devoirs après l’école, trois soirs par semaine', 'Nadia Roy', 'Maison des jeunes'],
  ['Peer mentoring for first-year college students', 'John Smith', 'Heritage College'],
  ['Stages rémunérés dans les PME de la région', 'Sophie Côté', 'Chambre de commerce'],
  ['Youth advisory council at city hall', 'Kim Lee', 'City of Gatineau'],
  ['Cartographie des services jeunesse du quartier, mise à jour chaque année', 'Paul Morin', 'Table jeunesse'],
  ['Raccrochage scolaire : accompagnement individuel des décrocheurs', 'Amélie Girard', 'Commission scolaire'],
  ['After-school robotics club for girls', 'Sarah Brown', 'Boys and Girls Club'],
  ['Banque alimentaire étudiante au cégep', 'Luc Bergeron', 'Cégep de l’Outaouais'],
  ['Job fair for newcomers aged 18 to 30', 'Omar Haddad', 'YMCA'],
  ['Soutien psychosocial en milieu scolaire', 'Claire Dubé', 'CISSS'],
  ['Summer literacy camp for grades 3 to 6', 'Emma Wilson', 'Literacy Council'],
  ['Parrainage entre entreprises et jeunes entrepreneurs', 'Hugo Lefebvre', 'Futurpreneur'],
  ['Transport gratuit vers les activités sportives', 'Inès Martin', 'Ville de Gatineau'],
];

export interface Seeded {
  id: string;
  hostKey: string;
  reviewKey: string;
  links: { participant: string; host: string; review: string };
  noteIds: string[];
  domainIds: string[];
}

/** A wall of `count` notes spread unevenly over the seven domains, like a real session. */
export async function seedWall(count: number, opts: { groups?: number; relations?: boolean } = {}): Promise<Seeded> {
  const b = await createBoard(srv.http, { title: `Projection ${count}` });
  const domainIds = TEMPLATES['relationship-mapping'].domains.map((d) => d.key);
  const seed = connectClient(srv.ws, b.id, { key: b.hostKey });
  await seed.synced;
  const noteIds: string[] = [];
  seed.doc.transact(() => {
    for (let i = 0; i < count; i++) {
      const [text, author, org] = ACTIVITIES[i % ACTIVITIES.length] as [string, string, string];
      const d = domainIds[[0, 0, 1, 1, 1, 2, 3, 3, 4, 5, 6, 2][i % 12] as number] as string;
      noteIds.push(addNote(seed.doc, { text: i < ACTIVITIES.length ? text : `${text} (${Math.floor(i / ACTIVITIES.length) + 1})`, author, org, domainId: d }));
    }
  });
  for (let g = 0; g < (opts.groups ?? 0); g++) {
    acceptCluster(seed.doc, { label: ['Mentorat et pairs', 'Emploi des jeunes', 'Persévérance scolaire', 'Newcomers'][g % 4] as string, noteIds: noteIds.filter((_, i) => i % 7 === g).slice(0, 8), terms: [], score: 0.8 });
  }
  if (opts.relations) {
    addRelation(seed.doc, { from: noteIds[0] as string, to: noteIds[1] as string, label: 'se complètent' });
    addRelation(seed.doc, { from: noteIds[3] as string, to: noteIds[9] as string, label: 'même public' });
  }
  await sleep(300);
  seed.destroy();
  return { ...b, noteIds, domainIds };
}

interface Projected {
  mode: string;
  index: number;
  count: number;
  title: string;
  kind: string | null;
  font: number | null;
}
interface TextBox {
  id: string;
  text: string;
  px: number;
  /** Every word drawn (no line dropped for "…"). */
  whole: boolean;
  /** Words broken over two lines. */
  split: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export const projected = (page: Page) =>
  page.evaluate(() => {
    const p = (window as unknown as { __maillageProjection?: Projected & { noteTexts(): TextBox[] } }).__maillageProjection;
    return p ? { mode: p.mode, index: p.index, count: p.count, title: p.title, kind: p.kind, font: p.font, texts: p.noteTexts() } : null;
  });

export async function openProjection(b: Seeded, expectNotes: number, opts: { locale?: string; viewport?: { width: number; height: number }; key?: string | null } = {}): Promise<Page> {
  const ctx = await personContext(browser, { author: 'Hôte', email: 'hote@example.org' }, { ...PROJECTOR, ...(opts.viewport ? { viewport: opts.viewport } : {}), ...(opts.locale ? { locale: opts.locale } : {}) });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error('pageerror', e.message));
  const key = opts.key === undefined ? b.hostKey : opts.key;
  await page.goto(`${srv.http}/b/${b.id}?projection${key ? `#k=${key}` : ''}`);
  await page.locator('.projection-bar').waitFor();
  await expect.poll(async () => (await projected(page))?.texts.length ?? 0, { timeout: 15_000 }).toBe(expectNotes);
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  fs.mkdirSync(SHOT_DIR, { recursive: true });
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(SHOT_DIR, name) });
}

const minPx = (texts: TextBox[]) => Math.min(...texts.map((t) => t.px));

describe('projection (R120 R121)', () => {
  it('R120: 60 notes at 1920×1080: every note drawn at ≥ 18 px, on screen, none covering another; no cursors; re-fits on resize', async () => {
    const b = await seedWall(60, { groups: 3, relations: true });
    const page = await openProjection(b, 60);
    const p = await projected(page);
    if (!p) throw new Error('no projection');
    console.info(`R120 60 notes: text ${minPx(p.texts).toFixed(1)} px (min over ${p.texts.length} notes), ${p.count} view(s)`);
    expect(minPx(p.texts)).toBeGreaterThanOrEqual(18);
    expect(p.count).toBe(1); // the overview is readable: nothing to page through
    expect(new Set(p.texts.map((t) => t.id)).size).toBe(60);
    expect(p.texts.filter((t) => !t.whole).map((t) => t.text)).toEqual([]); // R190: every word drawn
    for (const t of p.texts) {
      expect(t.x).toBeGreaterThanOrEqual(0);
      expect(t.x + t.width).toBeLessThanOrEqual(1920);
      expect(t.y + t.height).toBeLessThanOrEqual(1080);
    }
    for (let i = 0; i < p.texts.length; i++) {
      for (let j = i + 1; j < p.texts.length; j++) {
        const [a, c] = [p.texts[i] as TextBox, p.texts[j] as TextBox];
        expect(a.x < c.x + c.width && c.x < a.x + a.width && a.y < c.y + c.height && c.y < a.y + a.height).toBe(false);
      }
    }
    // Wide, not a strip: the notes span most of the screen's width.
    const right = Math.max(...p.texts.map((t) => t.x + t.width));
    const left = Math.min(...p.texts.map((t) => t.x));
    expect(right - left).toBeGreaterThan(1920 * 0.85);
    // Legend of the accepted groups, colour and count (R125).
    expect(await page.getByTestId('group-legend').innerText()).toMatch(/Mentorat et pairs\s*\d+ Post-it/);
    // No cursor layer, no email (R21).
    expect(await page.evaluate(() => document.body.innerHTML)).not.toMatch(/@example\.org/);

    // Re-fit when the window changes: everything still on the smaller screen.
    await page.setViewportSize({ width: 1280, height: 720 });
    await expect.poll(async () => Math.max(...((await projected(page))?.texts ?? []).map((t) => t.x + t.width)), { timeout: 5000 }).toBeLessThanOrEqual(1280);
    const small = await projected(page);
    expect(Math.max(...(small?.texts ?? []).map((t) => t.y + t.height))).toBeLessThanOrEqual(720);
    await page.context().close();
  });

  it('R121: 150 notes: the overview fills the screen; pages and every spotlight keep text ≥ 18 px; clicker keys step through', async () => {
    const b = await seedWall(150, { groups: 2 });
    const page = await openProjection(b, 150);
    const overview = await projected(page);
    if (!overview) throw new Error('no projection');
    const xs = overview.texts.map((t) => t.x);
    const ys = overview.texts.map((t) => t.y + t.height);
    expect(Math.max(...overview.texts.map((t) => t.x + t.width)) - Math.min(...xs)).toBeGreaterThan(1920 * 0.85);
    expect(Math.max(...ys)).toBeGreaterThan(1080 * 0.7);
    console.info(`R121 150 notes: overview ${minPx(overview.texts).toFixed(1)} px, ${overview.count - 1} pages`);
    expect(overview.count).toBeGreaterThan(1);
    await shot(page, '15-projection-150.png');

    // R190: a third of the notes readable when the screen is seen at half size (≥ 18 px drawn,
    // 9 px at half size), none cut, none off the screen or over another.
    const readable = overview.texts.filter((t) => t.px >= 18);
    const sizes = overview.texts.map((t) => t.px).sort((a, b) => a - b);
    console.info(`R190 150 notes overview: ${readable.length} notes at ≥ 18 px (min ${sizes[0]?.toFixed(1)}, median ${sizes[75]?.toFixed(1)}, max ${sizes[149]?.toFixed(1)} px), ${overview.texts.filter((t) => !t.whole).length} cut`);
    expect(readable.length).toBeGreaterThanOrEqual(50);
    expect(overview.texts.filter((t) => !t.whole).map((t) => `${t.text} @${t.px}`)).toEqual([]);
    const stage = await page.getByTestId('projection-stage').boundingBox();
    if (!stage) throw new Error('no stage');
    for (const t of overview.texts) {
      expect(t.x).toBeGreaterThanOrEqual(0);
      expect(t.x + t.width).toBeLessThanOrEqual(stage.width + 0.5);
      expect(t.y + t.height).toBeLessThanOrEqual(stage.height + 0.5);
    }
    for (let i = 0; i < overview.texts.length; i++) {
      for (let j = i + 1; j < overview.texts.length; j++) {
        const [a, c] = [overview.texts[i] as TextBox, overview.texts[j] as TextBox];
        expect(a.x < c.x + c.width && c.x < a.x + a.width && a.y < c.y + c.height && c.y < a.y + a.height).toBe(false);
      }
    }
    // The smallest note opens in full on a click, and Escape closes it without leaving projection.
    const smallest = overview.texts.reduce((a, b) => (b.px < a.px ? b : a));
    await page.mouse.click(stage.x + smallest.x + 4, stage.y + smallest.y + 4);
    const dialog = page.getByTestId('projection-note-dialog');
    await expect.poll(() => dialog.innerText(), { timeout: 5000 }).toContain(smallest.text);
    expect(await page.locator('.pnf-text').evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(28);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect((await projected(page))?.index).toBe(0);

    // Pages (PageDown, as a clicker sends): every note once, each page ≥ 18 px.
    const seen = new Set<string>();
    const pagePx: number[] = [];
    for (let i = 1; i < overview.count; i++) {
      await page.keyboard.press('PageDown');
      await expect.poll(async () => (await projected(page))?.index).toBe(i);
      const p = await projected(page);
      if (!p) throw new Error('no projection');
      pagePx.push(minPx(p.texts));
      expect(minPx(p.texts)).toBeGreaterThanOrEqual(18);
      expect(p.texts.filter((t) => !t.whole).map((t) => t.text)).toEqual([]); // R190: nothing cut
      expect(p.texts.filter((t) => t.split > 0).map((t) => t.text)).toEqual([]); // nor a word split
      for (const t of p.texts) seen.add(t.id);
      if (i === 1) await shot(page, '15-projection-150-page.png');
    }
    console.info(`R121 150 notes: pages ${pagePx.map((x) => x.toFixed(1)).join(', ')} px`);
    expect(seen.size).toBe(150);
    await page.keyboard.press('PageUp');
    await expect.poll(async () => (await projected(page))?.index).toBe(overview.count - 2);

    // Spotlight one domain at a time: D, then arrows.
    await page.keyboard.press('d');
    await expect.poll(async () => (await projected(page))?.mode).toBe('domains');
    const first = await projected(page);
    if (!first) throw new Error('no projection');
    expect(first.index).toBe(0);
    expect(first.title).toMatch(/^Aider les jeunes|^\S/);
    const domainPx: number[] = [];
    const titles: string[] = [];
    for (let i = 0; i < first.count; i++) {
      if (i > 0) await page.keyboard.press('ArrowRight');
      await expect.poll(async () => (await projected(page))?.index).toBe(i);
      const p = await projected(page);
      if (!p) throw new Error('no projection');
      titles.push(p.title);
      domainPx.push(minPx(p.texts));
      expect(minPx(p.texts)).toBeGreaterThanOrEqual(18);
      if (i === 0) await shot(page, '15-spotlight-domain.png');
    }
    console.info(`R121 spotlight (domains): ${domainPx.map((x) => x.toFixed(1)).join(', ')} px`);
    expect(new Set(titles).size).toBe(titles.length);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(async () => (await projected(page))?.index).toBe(first.count - 2);
    await page.keyboard.press('Home');
    await expect.poll(async () => (await projected(page))?.index).toBe(0);

    // One group at a time, in its colour; the nav buttons do the same as the keys.
    await page.getByRole('button', { name: 'Regroupements' }).click();
    await expect.poll(async () => (await projected(page))?.mode).toBe('groups');
    const g = await projected(page);
    expect(['Mentorat et pairs', 'Emploi des jeunes']).toContain(g?.title);
    expect(minPx(g?.texts ?? [])).toBeGreaterThanOrEqual(18);
    await page.getByRole('button', { name: 'Suivant' }).click();
    await expect.poll(async () => (await projected(page))?.title).toBe(g?.title === 'Mentorat et pairs' ? 'Emploi des jeunes' : 'Mentorat et pairs');
    await shot(page, '15-spotlight-group.png');
    await page.context().close();
  });

  it('R120: a 26-note wall reads large, titles and counts apart (screenshot)', async () => {
    const b = await seedWall(26, { groups: 2, relations: true });
    const page = await openProjection(b, 26);
    const p = await projected(page);
    const px = (p?.texts ?? []).map((t) => t.px).sort((a, b) => a - b);
    console.info(`R120 26 notes: text ${px[0]?.toFixed(1)} px min, ${px[13]?.toFixed(1)} px median, ${px[25]?.toFixed(1)} px max`);
    // Each note's text is sized to its note (R190): the longest shrink rather than lose words, the
    // rest read large.
    expect(px[0]).toBeGreaterThanOrEqual(18);
    expect(px[13]).toBeGreaterThanOrEqual(26);
    expect((p?.texts ?? []).filter((t) => !t.whole).map((t) => t.text)).toEqual([]);
    await shot(page, '15-projection-26.png');
    await page.context().close();
  });
});

/** The view's title without its page number: the same on screens that page differently. */
const section = (title: string | undefined) => (title ?? '').split(' — ')[0];

describe('spotlight on every projected screen (R192)', () => {
  it('R192: a host stepping on the laptop moves the projector and back; a late screen joins where they are; a participant screen follows but does not drive', async () => {
    const b = await seedWall(90, { groups: 2 });
    const laptop = await openProjection(b, 90, { viewport: { width: 1440, height: 900 } });
    const projector = await openProjection(b, 90);
    const at = async (p: Page) => {
      const x = await projected(p);
      return `${x?.mode}|${section(x?.title)}`;
    };

    // Laptop: D (domains), then two steps; the projector shows the same domain.
    await laptop.keyboard.press('d');
    await expect.poll(() => at(projector), { timeout: 5000 }).toBe(await at(laptop));
    await laptop.keyboard.press('ArrowRight');
    await laptop.keyboard.press('ArrowRight');
    await expect.poll(async () => (await projected(laptop))?.index).toBe(2);
    await expect.poll(() => at(projector), { timeout: 5000 }).toBe(await at(laptop));
    const shown = await projected(projector);
    console.info(`R192 laptop → projector: ${shown?.title} (projector view ${shown?.index}, laptop view 2)`);
    expect(shown?.mode).toBe('domains');
    // The projector holds the laptop's first note on screen.
    const first = (await projected(laptop))?.texts[0]?.id;
    expect((await projected(projector))?.texts.map((t) => t.id)).toContain(first);
    await shot(projector, '15-spotlight-synced.png');

    // And back: a clicker on the projector moves the laptop.
    await projector.keyboard.press('PageDown');
    await expect.poll(() => at(laptop), { timeout: 5000 }).toBe(await at(projector));
    await projector.getByRole('button', { name: 'Résultats' }).click();
    await expect.poll(async () => (await projected(laptop))?.mode, { timeout: 5000 }).toBe('votes');
    await projector.keyboard.press('g');
    await expect.poll(() => at(laptop), { timeout: 5000 }).toBe(await at(projector));

    // A screen opened now starts on the groups spotlight too.
    const late = await openProjection(b, (await projected(projector))?.texts.length ?? 0);
    await expect.poll(() => at(late), { timeout: 5000 }).toBe(await at(projector));

    // A participant's projected screen follows; its own keys move only itself.
    const audience = await openProjection(b, (await projected(projector))?.texts.length ?? 0, { key: null });
    await expect.poll(() => at(audience), { timeout: 5000 }).toBe(await at(projector));
    await audience.keyboard.press('o');
    await expect.poll(async () => (await projected(audience))?.mode).toBe('wall');
    await sleep(800);
    expect((await projected(projector))?.mode).toBe('groups');
    // The server takes the spotlight from hosts only.
    const participant = await joinSession(srv.http, b.id, {});
    const refused = await new Promise<{ ok: boolean; error?: { code: string } }>((resolve) =>
      (participant.emit as unknown as (e: string, r: unknown, a: (x: { ok: boolean; error?: { code: string } }) => void) => void)('spotlight:set', { mode: 'votes', overview: false, section: null, note: null, rank: 0, at: 0 }, resolve),
    );
    participant.disconnect();
    expect(refused.ok).toBe(false);
    expect(refused.error?.code).toBe('forbidden');
    await sleep(300);
    expect((await projected(projector))?.mode).toBe('groups');
    for (const p of [laptop, projector, late, audience]) await p.context().close();
  });
});

describe('projection in English (screenshots)', () => {
  it('R190: 26 and 150 notes and the spotlight, in English, at 1920×1080', async () => {
    for (const n of [26, 150]) {
      const b = await seedWall(n, { groups: 2, relations: n === 26 });
      const page = await openProjection(b, n, { locale: 'en-CA' });
      const p = await projected(page);
      expect(p?.title).toBe('Overview');
      expect(p?.texts.filter((t) => !t.whole)).toEqual([]);
      console.info(`R190 ${n} notes (en): ${p?.texts.filter((t) => t.px >= 18).length} notes at ≥ 18 px`);
      await shot(page, `15-projection-${n}-en.png`);
      if (n === 150) {
        await page.keyboard.press('d');
        await expect.poll(async () => (await projected(page))?.mode).toBe('domains');
        expect(await page.getByTestId('projection-where').innerText()).not.toMatch(/Page \d+ sur/);
        await shot(page, '15-spotlight-domain-en.png');
        await page.keyboard.press('g');
        await expect.poll(async () => (await projected(page))?.mode).toBe('groups');
        await shot(page, '15-spotlight-group-en.png');
      }
      await page.context().close();
    }
  });
});
