/**
 * The PDF report of a big wall shares the event loop with every wall on the process (docs/spec.md
 * R209). Anyone with a review link may ask for it, and a 5,000-note report is seconds of layout:
 * drawn in one go, it froze every live wall of the process for that long (measured by the round-4
 * attack: 7–9 s at 5,000 notes under load). The report now gives the loop back between batches
 * of notes, so a live wall keeps answering meanwhile.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { serverForFile, importBigWall, timed, type Api } from '../helpers/attack.ts';

const env = serverForFile();

describe('R209 a big PDF report does not hold the event loop', () => {
  it('R209 two 5,000-note reports asked at once: both complete and valid, and the loop is never held for long', async () => {
    const { status, id, reviewKey } = await importBigWall(env.api, 5000);
    expect(status).toBe(201);
    await env.api('GET', `/api/boards/${id}/export.json`, reviewKey); // the wall's first load, not the report's cost
    const h = monitorEventLoopDelay({ resolution: 10 });
    h.enable();
    // Turns of the event loop while the reports are laid out: a load-independent measure of
    // whether the layout gives the loop back (a stalled loop runs none of these).
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    let pdfs: Awaited<ReturnType<Api>>[];
    let ms: number;
    try {
      ({ ms, value: pdfs } = await timed(() => Promise.all([1, 2].map(() => env.api('GET', `/api/boards/${id}/export.pdf?lang=fr`, reviewKey)))));
    } finally {
      ticking = false;
      h.disable();
    }
    const held = h.max / 1e6;
    console.log(`R209 two 5,000-note PDFs in ${Math.round(ms)} ms; event loop held at most ${Math.round(held)} ms; ${turns} turns`);
    for (const p of pdfs) {
      expect(p.status).toBe(200);
      expect(p.headers.get('content-type')).toBe('application/pdf');
      expect(p.text.startsWith('%PDF-')).toBe(true);
    }
    // Paced, a 5,000-note report gives the loop back every 40 notes: 125 turns or more (the two
    // reports interleave, so one turn can serve both). Drawn in one go a report gave none back
    // until it was done (the loop was held 1.3 s at load ~4, 7–9 s at load 10; paced, 0.33 s —
    // what is left is building the wall's export).
    expect(turns).toBeGreaterThanOrEqual(Math.floor(5000 / 40));
  }, 120_000);
});
