/**
 * The flood of issue 12 (docs/spec.md R53): many invented identities from one machine add private
 * notes as fast as they can while a host is connected. Before, each change re-sent every private
 * note to every host (20 identities × 100 notes pushed about 1.4 GB to one host socket and slowed
 * health checks to seconds). Now the address's cap stops the flood, each push to the host is one
 * note, and /readyz keeps answering quickly. Prints what it measured.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_LIMITS } from '@maillage/shared';
import { createBoard, startServer, type TestServer } from '../helpers/server.ts';
import { call, joinSession } from '../helpers/session.ts';

const IDENTITIES = Number(process.env.FLOOD_IDENTITIES ?? 20);
const NOTES_EACH = Number(process.env.FLOOD_NOTES_EACH ?? 30);

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv?.close();
});

describe('R53 a private-note flood from invented identities', () => {
  it(`R53 ${IDENTITIES} identities × ${NOTES_EACH} notes: capped per address, the host receives one note per push, /readyz stays fast`, async () => {
    const b = await createBoard(srv.http);
    const host = await joinSession(srv.http, b.id, { key: b.hostKey });
    let hostBytes = 0;
    host.onAny((_e: string, ...args: unknown[]) => (hostBytes += Buffer.byteLength(JSON.stringify(args))));
    await call(host, 'host:private', { enabled: true });
    const people = await Promise.all(
      Array.from({ length: IDENTITIES }, (_, i) => joinSession(srv.http, b.id, { ownerSecret: `flood-identity-${String(i).padStart(12, '0')}` })),
    );
    let probing = true;
    const latencies: number[] = [];
    const prober = (async () => {
      while (probing) {
        const t = performance.now();
        const res = await fetch(`${srv.http}/readyz`);
        latencies.push(performance.now() - t);
        expect(res.status).toBe(200);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const started = performance.now();
    const results = await Promise.all(
      people.map(async (p, i) => {
        let ok = 0;
        for (let n = 0; n < NOTES_EACH; n++) {
          const res = await call(p, 'private:add', { text: `flood ${i}/${n} ${'x'.repeat(450)}`, domainId: 'other' });
          if (res.ok) ok++;
        }
        return ok;
      }),
    );
    const ms = performance.now() - started;
    await new Promise((r) => setTimeout(r, 300));
    probing = false;
    await prober;
    const accepted = results.reduce((a, c) => a + c, 0);
    const maxReady = Math.max(...latencies);
    console.info(
      `flood: ${IDENTITIES} identities × ${NOTES_EACH} tries → ${accepted} private notes accepted in ${Math.round(ms)} ms; ` +
        `host received ${(hostBytes / 1024).toFixed(1)} KiB; /readyz max ${maxReady.toFixed(1)} ms over ${latencies.length} probes`,
    );
    expect(accepted).toBeLessThanOrEqual(SESSION_LIMITS.privateNotesPerAddress);
    expect(hostBytes).toBeLessThan(accepted * 2000 + 50_000);
    expect(maxReady).toBeLessThan(1000);
    for (const s of [host, ...people]) s.disconnect();
  });
});
