/**
 * Issue 18's budget, measured where it applies: a wall clustered in the production worker
 * (server/dist/worker.js on a Piscina thread, as server/src/cluster/pool.ts runs it) — 5,000
 * notes in ≤ 2 s of worker time and ≤ 300 MB.
 *
 *   npm run bench:cluster-worker [-- --notes 1000,5000,20000] [--runs 5] [--cap MB] [--quick] [--no-doc]
 *
 * Needs the server built (`npm run build -w @maillage/server`; `npm start` and `npm test` build
 * it). bench/cluster-eval.ts times clusterNotes in its own process, which also holds tsx, every
 * fixture and the wall generator; here the worker runs in a child process that holds only the
 * wall and the pool (bench/lib/clusterWorkerChild.mjs), so its resident set is what clustering
 * costs a server. The worker's groups are scored (ARI), so a fast wrong answer cannot pass.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluate } from '../server/src/cluster/evaluation.ts';
import { BUILTIN_GLOSSARY } from '../server/src/cluster/glossary.ts';
import { replicatedWall } from '../server/src/cluster/replicate.ts';
import { WORKER_HEAP_MB } from '../server/src/cluster/pool.ts';
import { loadFixture } from '../server/src/cluster/testFixtures.ts';
import { cliArgs, isMain, numberArg, numberList } from './lib/cli.ts';
import { loadavg, publish, table } from './lib/report.ts';

const CHILD = fileURLToPath(new URL('./lib/clusterWorkerChild.mjs', import.meta.url));
const WORKER = fileURLToPath(new URL('../server/dist/worker.js', import.meta.url));

export interface ClusterWorkerOptions {
  notes: number[];
  runs: number;
  /** The worker's old-generation cap, MB; default the pool's own (WORKER_HEAP_MB), as in production. */
  capMb?: number;
}

export interface ClusterWorkerRow {
  notes: number;
  /** Per run, the child's CPU time (its main thread only waits: an upper bound of the worker's). */
  cpuMs: number[];
  wallMs: number[];
  /** Child RSS with the wall read, then with the worker started and its word lists loaded. */
  rssWallMb: number;
  rssStartedMb: number;
  /** Child's high-water mark of resident memory after every run. */
  peakMb: number;
  clusters: number;
  ari: number;
}

interface ChildReport {
  afterWall: { rssMb: number };
  afterStart: { rssMb: number };
  runs: { wallMs: number; cpuMs: number; clusters: number; hwmMb: number }[];
  groups: string[][];
}

export async function run(opts: ClusterWorkerOptions): Promise<{ rows: ClusterWorkerRow[]; loadBefore: string; loadAfter: string }> {
  if (!existsSync(WORKER)) throw new Error('server/dist/worker.js is missing: run `npm run build -w @maillage/server` first');
  const loadBefore = loadavg();
  const dir = mkdtempSync(path.join(tmpdir(), 'maillage-cluster-worker-'));
  const rows: ClusterWorkerRow[] = [];
  try {
    for (const size of opts.notes) {
      const wall = replicatedWall(loadFixture('activities.jsonl'), size, BUILTIN_GLOSSARY, 7);
      const file = path.join(dir, `wall-${size}.json`);
      // Only what a wall hands the pool: the labels stay here.
      writeFileSync(file, JSON.stringify(wall.map(({ id, text, org, domainId }) => ({ id, text, org, domainId }))));
      const out = execFileSync(process.execPath, [CHILD, file, String(opts.runs), String(opts.capMb ?? WORKER_HEAP_MB)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      const r = JSON.parse(out.trim().split('\n').pop() as string) as ChildReport;
      rows.push({
        notes: size,
        cpuMs: r.runs.map((x) => x.cpuMs),
        wallMs: r.runs.map((x) => x.wallMs),
        rssWallMb: r.afterWall.rssMb,
        rssStartedMb: r.afterStart.rssMb,
        peakMb: Math.max(...r.runs.map((x) => x.hwmMb)),
        clusters: r.runs[r.runs.length - 1]?.clusters ?? 0,
        ari: evaluate(wall, { clusters: r.groups.map((noteIds, i) => ({ id: String(i), noteIds })) as never }).ari,
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { rows, loadBefore, loadAfter: loadavg() };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const f0 = (x: number): string => x.toFixed(0);

export function body(rows: ClusterWorkerRow[], runs: number, capMb: number): string {
  return [
    `${runs} runs per size in one child process (plain node: the wall and a one-thread Piscina pool on server/dist/worker.js, old generation capped at ${capMb} MB as pool.ts does), after a one-note task that starts the worker and loads its word lists.`,
    '',
    table(
      ['Notes', 'Worker CPU per run, ms: median (min–max)', 'Wall time per run, ms (median)', 'RSS, wall read, MB', 'RSS, worker started, MB', 'Peak RSS of the process, MB', 'Peak above the wall read, MB', 'Clusters', 'ARI'],
      rows.map((r) => [
        r.notes.toLocaleString('en'),
        `${f0(median(r.cpuMs))} (${f0(Math.min(...r.cpuMs))}–${f0(Math.max(...r.cpuMs))})`,
        f0(median(r.wallMs)),
        f0(r.rssWallMb),
        f0(r.rssStartedMb),
        f0(r.peakMb),
        f0(r.peakMb - r.rssWallMb),
        r.clusters,
        r.ari.toFixed(3),
      ]),
    ),
    '',
    'Budget (issue 18): 5,000 notes in ≤ 2 s of worker time and ≤ 300 MB. CPU is the whole child process (its main thread only waits; V8 collects on helper threads, so CPU can exceed wall time).',
  ].join('\n');
}

if (isMain(import.meta.url)) {
  const a = cliArgs(['notes', 'runs', 'cap']);
  const opts: ClusterWorkerOptions = {
    notes: numberList(a.values.notes, a.quick ? [300] : [1000, 5000, 20000]),
    runs: numberArg(a.values.runs, a.quick ? 1 : 5),
    capMb: numberArg(a.values.cap, WORKER_HEAP_MB),
  };
  const started = new Date();
  const res = await run(opts);
  publish({
    title: 'Clustering in the production worker (issue 18 budget)',
    script: 'cluster-worker',
    noDoc: a.noDoc,
    started,
    loadBefore: res.loadBefore,
    loadAfter: res.loadAfter,
    versionNames: ['piscina'],
    body: body(res.rows, opts.runs, opts.capMb ?? WORKER_HEAP_MB),
  });
}
