/**
 * Round 4 attack suite (helper A): our own server attacked as a hostile person would, on every
 * transport but the judging of Yjs updates (docs/security.md, "Round 4 attacks"; R210–R219).
 * Each finding has a test here that failed before its fix; attacks that held are tested too, so
 * that they keep holding.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createBoard, startServer, type TestServer } from '../helpers/server.ts';
import { apiFor, bigWallExport, timed, type Api } from '../helpers/attack.ts';

let srv: TestServer;
let api: Api;
beforeAll(async () => {
  srv = await startServer();
  api = apiFor(srv.http);
});
afterAll(async () => {
  await srv?.close();
});

/** Runs `fn` and reports how long the event loop was held at most meanwhile (ms). */
async function loopHeld<T>(fn: () => Promise<T>): Promise<{ ms: number; held: number; value: T }> {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  try {
    const t = await timed(fn);
    return { ...t, held: h.max / 1e6 };
  } finally {
    h.disable();
  }
}

describe('R210 exports a review link can repeat do not hold the event loop per row', () => {
  it('R210 the CSV of a 5,000-note wall costs about what its JSON costs (one date formatter, not one per row)', async () => {
    const imp = await api('POST', '/api/boards/import', undefined, bigWallExport(5000));
    expect(imp.status).toBe(201);
    const { id, reviewKey } = imp.body as { id: string; reviewKey: string };
    // Warm both paths (the wall's first load from the store is shared).
    await api('GET', `/api/boards/${id}/export.json`, reviewKey);
    const json = await loopHeld(() => api('GET', `/api/boards/${id}/export.json`, reviewKey));
    // The server runs in this process: count the formatters it builds while answering.
    const Real = Intl.DateTimeFormat;
    let built = 0;
    const spy = vi.spyOn(Intl, 'DateTimeFormat').mockImplementation(function (this: unknown, ...args: ConstructorParameters<typeof Real>) {
      built++;
      return new Real(...args);
    } as unknown as typeof Real);
    let csv: Awaited<ReturnType<typeof loopHeld<Awaited<ReturnType<Api>>>>>;
    try {
      csv = await loopHeld(() => api('GET', `/api/boards/${id}/export.csv?tz=America/Montreal&lang=fr`, reviewKey));
    } finally {
      spy.mockRestore();
    }
    expect(csv.value.status).toBe(200);
    expect(csv.value.text.split('\r\n').length).toBeGreaterThan(5000);
    // Measured before the fix (load ~10, nice 19): JSON held the loop 0.5–0.7 s, CSV 2.2–5.3 s,
    // one formatter built per row (5,000). Now a handful per request, whatever the wall's size.
    console.log(`R210 json ${Math.round(json.ms)} ms (loop held ${Math.round(json.held)}), csv ${Math.round(csv.ms)} ms (held ${Math.round(csv.held)}), formatters built ${built}`);
    expect(built).toBeLessThan(10);
  });
});
