/**
 * Clustering benchmark: `npm run bench:cluster`.
 *
 * Builds synthetic walls of 1,000 and 5,000 notes from the labelled fixture's vocabulary (noisy
 * variations of real notes, see server/src/cluster/synthetic.ts), times `clusterNotes` on each
 * (median of several runs after a warm-up), records memory, scores quality (ARI/NMI) on the
 * labelled fixtures, prints a markdown report and appends it, dated, to docs/benchmarks.md.
 *
 * The machine may be shared: the load average is recorded with the numbers so that a slow run
 * can be told from a slow engine.
 */
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { clusterNotes } from '../server/src/cluster/clusterNotes.ts';
import { adjustedRandIndex, normalizedMutualInfo } from '../server/src/cluster/metrics.ts';
import { syntheticWall } from '../server/src/cluster/synthetic.ts';
import { loadFixture, type LabelledNote } from '../server/src/cluster/testFixtures.ts';
import { CLUSTER_PHASES, type ClusterNote, type ClusterPhase } from '../server/src/cluster/types.ts';

const SIZES = [
  { notes: 1000, runs: 7, budgetMs: 500 },
  { notes: 5000, runs: 3, budgetMs: 5000 },
];
const REPORT = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));

interface Timing {
  notes: number;
  medianMs: number;
  minMs: number;
  /** Median CPU time of the process per run (user + system): less sensitive to a busy machine. */
  cpuMs: number;
  phases: Record<ClusterPhase, number>;
  clusters: number;
  unclustered: number;
  /** Largest heap growth seen during a run, from a collected baseline (sampled at each phase). */
  heapMb: number;
  rssMb: number;
  budgetMs: number;
}

// A collectable heap between runs makes "memory used by one run" measurable; the npm script's
// node flags are fixed, so the collector is exposed at run time.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const mb = (bytes: number): number => Math.round(bytes / 1e5) / 10;

/** One timed run, with the time spent in each phase. */
function timedRun(notes: ClusterNote[]): { ms: number; cpuMs: number; heapBytes: number; phases: Record<ClusterPhase, number>; clusters: number; unclustered: number } {
  const marks: [ClusterPhase, number][] = [];
  collect();
  const baseline = process.memoryUsage().heapUsed;
  let peak = baseline;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = clusterNotes(notes, {
    onProgress: (p) => {
      marks.push([p.phase, performance.now()]);
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    },
  });
  const end = performance.now();
  const used = process.cpuUsage(cpu);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  const phases = Object.fromEntries(CLUSTER_PHASES.map((p) => [p, 0])) as Record<ClusterPhase, number>;
  marks.forEach(([phase, at], k) => (phases[phase] = (marks[k + 1]?.[1] ?? end) - at));
  return { ms: end - start, cpuMs: (used.user + used.system) / 1000, heapBytes: peak - baseline, phases, clusters: result.clusters.length, unclustered: result.unclustered.length };
}

function bench(templates: LabelledNote[], size: (typeof SIZES)[number]): Timing {
  const wall = syntheticWall(templates, size.notes, 2024);
  timedRun(wall); // warm-up: JIT and the compiled glossary
  const runs = Array.from({ length: size.runs }, () => timedRun(wall));
  const phases = Object.fromEntries(CLUSTER_PHASES.map((p) => [p, median(runs.map((r) => r.phases[p]))])) as Record<ClusterPhase, number>;
  return {
    notes: size.notes,
    medianMs: median(runs.map((r) => r.ms)),
    minMs: Math.min(...runs.map((r) => r.ms)),
    cpuMs: median(runs.map((r) => r.cpuMs)),
    phases,
    clusters: runs[0]?.clusters ?? 0,
    unclustered: runs[0]?.unclustered ?? 0,
    heapMb: mb(Math.max(...runs.map((r) => r.heapBytes))),
    rssMb: mb(process.memoryUsage().rss),
    budgetMs: size.budgetMs,
  };
}

function quality(name: string): { name: string; notes: number; groups: number; ari: number; nmi: number; clusters: number } {
  const notes = loadFixture(name);
  const result = clusterNotes(notes);
  const clusterOf = new Map<string, string>();
  for (const c of result.clusters) for (const id of c.noteIds) clusterOf.set(id, c.id);
  const truth = notes.map((n) => n.group);
  const predicted = notes.map((n) => clusterOf.get(n.id) ?? `alone:${n.id}`);
  return {
    name,
    notes: notes.length,
    groups: new Set(truth.filter((g) => !g.startsWith('solo'))).size,
    ari: adjustedRandIndex(truth, predicted),
    nmi: normalizedMutualInfo(truth, predicted),
    clusters: result.clusters.length,
  };
}

const templates = loadFixture('activities.jsonl');
const load = loadavg().map((l) => l.toFixed(2)).join(', ');
const timings = SIZES.map((s) => bench(templates, s));
const scores = ['activities.jsonl', 'activities-holdout.jsonl'].map(quality);
const peakRss = mb(process.resourceUsage().maxRSS * 1024);
const cpu = cpus();

const lines = [
  `## ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  '',
  `Machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, Node ${process.version}, load average ${load} (1/5/15 min) at start.`,
  '',
  '| Notes | Median | Min | CPU | tokenize | vectorize | similarity | cluster | label | Budget | Clusters | Unclustered | Heap growth | RSS |',
  '|------:|-------:|----:|----:|---------:|----------:|-----------:|--------:|------:|-------:|---------:|------------:|----------:|----:|',
  ...timings.map(
    (t) =>
      `| ${t.notes.toLocaleString('en')} | ${t.medianMs.toFixed(0)} ms | ${t.minMs.toFixed(0)} ms | ${t.cpuMs.toFixed(0)} ms | ${CLUSTER_PHASES.map((p) => `${t.phases[p].toFixed(0)} ms`).join(' | ')} | ${t.medianMs <= t.budgetMs ? '✅' : '❌'} < ${t.budgetMs} ms | ${t.clusters} | ${t.unclustered} | ${t.heapMb} MB | ${t.rssMb} MB |`,
  ),
  '',
  `Median and Min are wall-clock times, CPU the process's CPU time per run (it includes V8's garbage-collector threads). Phases are medians. Heap growth: most heap a run held above the collected baseline (sampled at each phase); RSS after the last run; peak RSS of the benchmark process: ${peakRss} MB.`,
  '',
  '| Fixture | Notes | True groups | Clusters found | ARI | NMI |',
  '|---------|------:|------------:|---------------:|----:|----:|',
  ...scores.map((s) => `| ${s.name} | ${s.notes} | ${s.groups} | ${s.clusters} | ${s.ari.toFixed(3)} | ${s.nmi.toFixed(3)} |`),
  '',
];
const section = lines.join('\n');
console.log(section);

if (!existsSync(REPORT)) {
  writeFileSync(
    REPORT,
    '# Benchmarks\n\nAppended by `npm run bench:cluster` (bench/cluster.ts): clustering time on synthetic walls built from the labelled fixture, and quality (ARI/NMI) on the fixtures. Newest last.\n\n',
  );
}
appendFileSync(REPORT, `${section}\n`);
console.error(`appended to ${REPORT}`);
