/**
 * Guards the fast note-height measurement (client/src/wall/geometry.ts) against Konva.Text's
 * own word wrap, in real Chromium: every text gets the same height from both, and the time each
 * takes over the same texts is reported. geometry.ts is bundled as it is (esbuild) and injected
 * into a blank page next to a Konva.Text-based reference.
 *
 *   npm run bench:heights -- [--count 5000] [--quick] [--no-doc]
 */
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { cliArgs, commandLine, isMain, numberArg } from '../lib/cli.ts';
import { appendToDoc, loadavg, REPO_ROOT, section, table } from '../lib/report.ts';
import { fmt } from '../lib/stats.ts';
import { noteText, rng } from '../lib/notes.ts';
import { launchBrowser } from '../../test/helpers/browser.ts';

const EDGE_CASES = [
  '',
  ' ',
  'a',
  'Jean-Philippe Tremblay-Gagnon, coordonnateur-adjoint du programme intergénérationnel-communautaire',
  'https://www.example.org/un/tres/long/chemin/sans/espaces/qui/depasse/largement/la/largeur/de/la/note',
  'Supercalifragilisticexpialidocious-antidisestablishmentarianism-pneumonoultramicroscopicsilicovolcanoconiosis',
  'Deux  espaces   ici    et\tune tabulation, puis\u00a0insécable et fin.',
  'Première ligne\nDeuxième ligne un peu plus longue que la largeur de la note pour voir\n\nAprès une ligne vide',
  'Accents combinés: e\u0301le\u0300ve, cafe\u0301, garc\u0327on — et des émojis 👩‍👩‍👧‍👦 🇨🇦 👍🏽 dans le texte',
  '中文没有空格所以必须按字符换行这一段文字足够长可以测试按字符断行的行为是否一致',
  '- liste\n- à puces - avec tirets -- doubles --- triples',
  'x'.repeat(500),
  'mot '.repeat(125),
  'a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p-q-r-s-t-u-v-w-x-y-z-a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p-q-r-s-t-u-v-w-x-y-z',
];

export interface ParityResult {
  checked: number;
  mismatches: number;
  examples: { text: string; fast: number; konva: number }[];
  fastMs: number;
  konvaMs: number;
  chromium: string;
  loadBefore: string;
  loadAfter: string;
}

export function corpus(count: number): string[] {
  const r = rng(7);
  const out = [...EDGE_CASES];
  for (let i = 0; out.length < count; i++) {
    const t = noteText(r);
    // Mix in what people type: dashes, line breaks, long words, doubled spaces.
    const k = i % 7;
    out.push(k === 1 ? t.replace(/ /g, '-') : k === 2 ? t.replace(/ /g, '\n') : k === 3 ? `${t} ${'long'.repeat(20)}` : k === 4 ? t.replace(/ /g, '  ') : t);
  }
  return out.slice(0, Math.max(count, EDGE_CASES.length));
}

export async function run(opts: { count: number; browser?: Browser }): Promise<ParityResult> {
  const loadBefore = loadavg();
  const bundle = await build({
    stdin: {
      contents: `
        import Konva from 'konva';
        import { noteHeight } from './client/src/wall/geometry.ts';
        import { LAYOUT } from '@maillage/shared';
        window.__parity = (texts) => {
          const t0 = performance.now();
          const fast = texts.map((t) => noteHeight(t));
          const t1 = performance.now();
          const m = new Konva.Text({ width: LAYOUT.noteWidth - 24, fontSize: 15, fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif', lineHeight: 1.25, wrap: 'word' });
          const konva = texts.map((t) => {
            m.text(t || ' ');
            return Math.min(LAYOUT.noteMaxHeight, Math.max(LAYOUT.noteMinHeight, Math.ceil(m.height()) + 24 + 22));
          });
          const t2 = performance.now();
          return { fast, konva, fastMs: t1 - t0, konvaMs: t2 - t1 };
        };`,
      resolveDir: REPO_ROOT,
      sourcefile: 'parity-entry.ts',
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    write: false,
    logLevel: 'silent',
  });
  const browser = opts.browser ?? (await launchBrowser());
  try {
    const page = await browser.newPage({ viewport: { width: 800, height: 600 } });
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ content: bundle.outputFiles[0]?.text ?? '' });
    const texts = corpus(opts.count);
    const res = (await page.evaluate(`window.__parity(${JSON.stringify(texts)})`)) as { fast: number[]; konva: number[]; fastMs: number; konvaMs: number };
    const examples: ParityResult['examples'] = [];
    let mismatches = 0;
    texts.forEach((text, i) => {
      if (res.fast[i] !== res.konva[i]) {
        mismatches++;
        if (examples.length < 5) examples.push({ text, fast: res.fast[i] as number, konva: res.konva[i] as number });
      }
    });
    await page.close();
    return { checked: texts.length, mismatches, examples, fastMs: res.fastMs, konvaMs: res.konvaMs, chromium: browser.version(), loadBefore, loadAfter: loadavg() };
  } finally {
    if (!opts.browser) await browser.close();
  }
}

export function render(r: ParityResult): string {
  return [
    'Note heights (client/src/wall/geometry.ts `noteHeight`) against Konva.Text\'s own word wrap, same texts, in Chromium ' +
      `${r.chromium} (generated notes plus edge cases: dashes, line breaks, long words, emoji, combining accents, CJK).`,
    '',
    table(
      ['texts', 'different heights', 'noteHeight ms', 'Konva.Text ms', 'speed-up'],
      [[r.checked, r.mismatches, fmt(r.fastMs), fmt(r.konvaMs), `${fmt(r.konvaMs / r.fastMs)}×`]],
    ),
    ...(r.examples.length ? ['', 'Differences:', ...r.examples.map((e) => `- ${JSON.stringify(e.text.slice(0, 80))}: ${e.fast} vs ${e.konva}`)] : []),
  ].join('\n');
}

if (isMain(import.meta.url)) {
  const a = cliArgs(['count']);
  const started = new Date();
  const res = await run({ count: numberArg(a.values.count, a.quick ? 500 : 5000) });
  const body = render(res);
  console.log(`\n${body}\n`);
  if (!a.noDoc) {
    appendToDoc(section({ title: 'Note height measurement', command: commandLine('heights'), started, loadBefore: res.loadBefore, loadAfter: res.loadAfter, versionNames: ['konva'], extraVersions: { chromium: res.chromium }, body }));
    console.log('appended to docs/benchmarks.md');
  }
  process.exit(res.mismatches ? 1 : 0);
}
