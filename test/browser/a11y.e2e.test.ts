/**
 * Automated accessibility check: axe-core, injected into real Chromium, finds no serious or
 * critical violation on the landing page, the join dialog, the quick-add sheet, the list view
 * (reading, editing, confirming a delete) and the not-found page, in French and in English, at
 * phone and desktop sizes. Axe cannot judge everything (reading order, wording); it catches the
 * regressions that slip in most often: missing labels, contrast, roles and ARIA misuse.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, createBoard, type TestServer } from '../helpers/server.ts';
import { launchBrowser, personContext, DESKTOP, PHONE, type Person } from '../helpers/browser.ts';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

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

async function open(urlPath: string, person: Person | null, size: typeof PHONE | typeof DESKTOP, locale: string): Promise<Page> {
  // The app's CSP (script-src 'self') rightly refuses injected scripts; axe is a test tool.
  const ctx = await personContext(browser, person, { ...size, locale, bypassCSP: true });
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error('pageerror', e.message));
  await page.goto(srv.http + urlPath);
  return page;
}

/** Runs axe on the page as it is now; fails listing every serious or critical violation. */
async function expectNoSeriousViolations(page: Page, where: string): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const res = await axe.run(document, { resultTypes: ['violations'] });
    return res.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  });
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (serious.length) {
    console.error(`axe: ${where}\n` + serious.map((v) => `  [${v.impact}] ${v.id}: ${v.help}\n` + v.nodes.map((n) => `    ${n.target.join(' ')} — ${n.failureSummary ?? ''}`).join('\n')).join('\n'));
  }
  expect(serious.map((v) => `${v.id} (${v.nodes.length})`), where).toEqual([]);
}

describe.each([
  { lang: 'fr', locale: 'fr-CA', list: 'Liste', edit: 'Modifier', del: 'Supprimer', quickAdd: /Ajouter une activité/ },
  { lang: 'en', locale: 'en-CA', list: 'List', edit: 'Edit', del: 'Delete', quickAdd: /Add an activity/ },
])('axe finds no serious violation ($lang)', ({ lang, locale, list, edit, del, quickAdd }) => {
  it(`landing page, before and after creating a wall (${lang})`, async () => {
    const page = await open('/', null, DESKTOP, locale);
    await page.locator('form').waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
    await expectNoSeriousViolations(page, `landing (${lang})`);
    await page.locator('button[type="submit"]').click();
    await page.getByTestId('created').waitFor();
    await expectNoSeriousViolations(page, `landing, wall created (${lang})`);
  });

  it(`join dialog and quick-add sheet on a phone (${lang})`, async () => {
    const b = await createBoard(srv.http);
    const page = await open(b.links.participant, null, PHONE, locale);
    await page.getByRole('dialog').waitFor();
    await expectNoSeriousViolations(page, `join dialog (${lang})`);
    await page.locator('dialog button[type="submit"]').tap(); // shows the field errors
    await page.locator('.field-error').first().waitFor();
    await expectNoSeriousViolations(page, `join dialog with errors (${lang})`);
    await page.locator('input[name="name"]').fill('Ana');
    await page.locator('input[name="email"]').fill('ana@example.org');
    await page.locator('dialog button[type="submit"]').tap();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.waitForSelector('[data-status="connected"]');
    await page.getByRole('button', { name: quickAdd }).tap();
    await page.getByRole('dialog').waitFor();
    await expectNoSeriousViolations(page, `quick-add sheet (${lang})`);
  });

  it(`list view: reading, editing, confirming a delete (${lang})`, async () => {
    const b = await createBoard(srv.http);
    const page = await open(b.links.host, { author: 'Hôte', email: 'host@example.org', org: 'Table jeunesse' }, DESKTOP, locale);
    await page.waitForSelector('[data-status="connected"]');
    await page.getByRole('button', { name: list, exact: true }).click();
    const field = page.locator('.list-add input').first();
    await field.fill('Aide aux devoirs le mardi');
    await field.press('Enter');
    await page.locator('li.list-note').waitFor();
    await expectNoSeriousViolations(page, `list view (${lang})`);
    await page.locator('li.list-note').getByRole('button', { name: edit }).click();
    await expectNoSeriousViolations(page, `list view, editing (${lang})`);
    await page.keyboard.press('Escape');
    await page.locator('li.list-note').getByRole('button', { name: del }).click();
    await expectNoSeriousViolations(page, `list view, confirming a delete (${lang})`);
  });

  it(`not-found page (${lang})`, async () => {
    const page = await open('/b/nope-not-a-wall', null, PHONE, locale);
    await page.locator('h1').waitFor();
    await expectNoSeriousViolations(page, `not found (${lang})`);
  });
});
