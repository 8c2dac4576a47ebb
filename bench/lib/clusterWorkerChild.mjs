/**
 * Child process of bench/cluster-worker.ts: plain node (no TypeScript loader), so the process
 * holds what a production server holds for clustering — the compiled worker (server/dist/worker.js)
 * in a Piscina thread, as server/src/cluster/pool.ts starts it — and nothing else but the wall.
 *
 *   node bench/lib/clusterWorkerChild.mjs <wall.json> <runs> [old-generation cap, MB]
 *
 * Prints one JSON line: the process's resident set (VmRSS / VmHWM from /proc/self/status) after
 * reading the wall, after the worker started and loaded its word lists, and the high-water mark
 * after each run, and the last run's groups (note ids); per run the wall time and the process CPU time (the main thread only waits, so
 * this bounds the worker's CPU from above).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { Piscina } = require('piscina');
const [file, runsArg, capArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 3);
/** Optional cap of the worker's old generation, MB: the smallest that holds the run is what it needs. */
const capMb = capArg ? Number(capArg) : undefined;

/** kB figures of /proc/self/status, in MB. */
function mem() {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
}

const notes = JSON.parse(readFileSync(file, 'utf8'));
const afterWall = mem();
const pool = new Piscina({
  filename: fileURLToPath(new URL('../../server/dist/worker.js', import.meta.url)),
  minThreads: 1,
  maxThreads: 1,
  ...(capMb ? { resourceLimits: { maxOldGenerationSizeMb: capMb } } : {}),
});
// A one-note task makes the worker start and load its word lists before anything is timed.
await pool.run({ kind: 'cluster', notes: notes.slice(0, 1), opts: {} });
const afterStart = mem();
const results = [];
let last;
for (let i = 0; i < runs; i++) {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const result = await pool.run({ kind: 'cluster', notes, opts: {} });
  const wallMs = performance.now() - t0;
  const used = process.cpuUsage(cpu);
  last = result;
  results.push({ wallMs, cpuMs: (used.user + used.system) / 1000, clusters: result.clusters.length, ...mem() });
}
await pool.close();
// The last run's groups, so the parent can score them: a fast wrong answer must not pass.
const groups = last ? last.clusters.map((c) => c.noteIds) : [];
process.stdout.write(JSON.stringify({ notes: notes.length, afterWall, afterStart, runs: results, groups }) + '\n');
