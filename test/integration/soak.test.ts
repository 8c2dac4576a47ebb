/**
 * Soak, short form (docs/spec.md R48; the long form is `npm run bench:soak`): 30 minutes of a
 * busy session — 40 people adding, moving, editing and deleting their notes, awareness renewals,
 * cursors, page reloads, a host editing domains — played in 20 seconds against a server process.
 * Nothing may be lost (every client, the store and the expected wall agree); the server's heap,
 * sampled after full GCs, must stay flat, and come back down once everyone has left.
 */
import { describe, expect, it } from 'vitest';
import { runSoak } from '../../bench/soak.ts';

describe('soak', () => {
  // The session is a fixed number of ticks (bench/soak.ts): a loaded machine plays it slower, not
  // shorter, so the counts below do not depend on the load; the timeout leaves room for that.
  it('R48 30 minutes of a busy session in 20 s: no update lost, memory flat', { timeout: 150_000 }, async () => {
    const res = await runSoak({ clients: 40, walls: 2, sessionMin: 30, durationS: 20, sampleEveryS: 1 });
    if (process.env.SOAK_VERBOSE) console.log(JSON.stringify({ ...res, heapMiB: res.heapMiB.map(Math.round), rssMiB: res.rssMiB.map(Math.round) }));
    expect(res.mismatches).toEqual([]);
    expect(res.converged).toBe(true);
    // The session really happened: every kind of operation, in realistic proportions.
    expect(res.ops.add).toBeGreaterThan(200);
    expect(res.ops.move).toBeGreaterThan(300);
    expect(res.ops.edit + res.ops.delete).toBeGreaterThan(100);
    expect(res.ops.reload).toBeGreaterThan(10);
    expect(res.ops.awareness).toBeGreaterThan(2000);
    expect(res.ops.cursor).toBeGreaterThan(1000);
    expect(res.notes).toBeGreaterThan(100);
    expect(res.heapMiB.length).toBeGreaterThanOrEqual(12);
    expect(res.heapFlat, `heap (MiB) ${res.heapMiB.map(Math.round).join(', ')}; last/first third ${res.heapRatio.toFixed(2)}`).toBe(true);
    // Once everyone has left and the walls are unloaded, what the session used is given back.
    expect(res.released, `heap ${res.heapMiB[0]?.toFixed(1)} MiB before, ${res.heapAfterMiB.toFixed(1)} MiB after`).toBe(true);
  });
});
