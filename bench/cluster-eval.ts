/**
 * Clustering evaluation (issue 18): `node --import tsx bench/cluster-eval.ts [--no-append] [--walls-only] [--no-heldout]`.
 * `--walls-only` skips the scale section (for judging a change on the small walls in a minute);
 * `--no-heldout` leaves out the two held-out walls, so judging a change does not look at them.
 *
 * 1. Scale: the labelled fixture grown to 300, 1,000 and 5,000 notes by paraphrase, language
 *    switches, dropped words and typos (server/src/cluster/replicate.ts), clustered with and
 *    without the built-in glossary; ARI, NMI, pairwise precision/recall/F1, overall and per
 *    language; CPU time of the run (median of 3 after a warm-up, user + system of the process,
 *    which includes V8's collector threads) and memory (heap growth, peak RSS).
 * 2. Held-out walls (never tuned on), the tuning fixture and the validation walls
 *    (activities-holdout, tuning-earlychild, tuning-aging), with and without the glossary. For each small wall
 *    also the spread of ARI over 20 random 90 % subsamples (mean ± standard deviation): on walls of
 *    60 notes a change smaller than about two of these deviations is noise, not a finding.
 *
 * Prints a markdown section and appends it, dated, to docs/benchmarks.md. Short on purpose: the
 * machine is shared.
 */
import { appendFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { clusterNotes } from '../server/src/cluster/clusterNotes.ts';
import { evaluate, type Evaluation, type Labelled } from '../server/src/cluster/evaluation.ts';
import { BUILTIN_GLOSSARY } from '../server/src/cluster/glossary.ts';
import { replicatedWall } from '../server/src/cluster/replicate.ts';
import { loadFixture } from '../server/src/cluster/testFixtures.ts';
import type { ClusterNote, ClusterOptions } from '../server/src/cluster/types.ts';

const REPORT = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));
// 20,000 is the engine's limit (validate.ts); round 7 (R257) made it score like the smaller walls.
const SIZES = [300, 1000, 5000, 20000];
const RUNS = 3;

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const mb = (bytes: number): string => (bytes / 1e6).toFixed(0);
const f3 = (x: number | undefined): string => (x === undefined ? '–' : x.toFixed(3));

interface Row {
  set: string;
  notes: number;
  glossary: boolean;
  e: Evaluation;
  clusters: number;
  cpuMs?: number;
  heapMb?: string;
  spread?: string;
}

function run(notes: ClusterNote[], opts: ClusterOptions): { cpuMs: number; heap: number; result: ReturnType<typeof clusterNotes> } {
  collect();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const cpu = process.cpuUsage();
  const result = clusterNotes(notes, { ...opts, onProgress: () => (peak = Math.max(peak, process.memoryUsage().heapUsed)) });
  const used = process.cpuUsage(cpu);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  return { cpuMs: (used.user + used.system) / 1000, heap: peak - base, result };
}

function measure(set: string, notes: (ClusterNote & Labelled)[], glossary: boolean, timed: boolean): Row {
  const opts: ClusterOptions = glossary ? {} : { replaceGlossary: true };
  const first = run(notes, opts); // warm-up when timed
  const runs = timed ? Array.from({ length: RUNS }, () => run(notes, opts)) : [first];
  return {
    set,
    notes: notes.length,
    glossary,
    e: evaluate(notes, first.result),
    clusters: first.result.clusters.length,
    ...(timed ? { cpuMs: median(runs.map((r) => r.cpuMs)), heapMb: mb(Math.max(...runs.map((r) => r.heap))) } : {}),
  };
}

/** ARI over `runs` random 90 % subsamples of a labelled wall (seeded, so reruns agree). */
function subsampleSpread(notes: (ClusterNote & Labelled)[], opts: ClusterOptions, runs = 20): string {
  let seed = 42;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const aris: number[] = [];
  for (let r = 0; r < runs; r++) {
    const sub = notes.filter(() => rnd() < 0.9);
    aris.push(evaluate(sub, clusterNotes(sub, opts)).ari);
  }
  const mean = aris.reduce((a, b) => a + b, 0) / runs;
  const sd = Math.sqrt(aris.reduce((a, b) => a + (b - mean) ** 2, 0) / (runs - 1));
  return `${mean.toFixed(3)} ± ${sd.toFixed(3)}`;
}

const templates = loadFixture('activities.jsonl');
const load = loadavg().map((l) => l.toFixed(2)).join(', ');
const rows: Row[] = [];
for (const size of process.argv.includes('--walls-only') ? [] : SIZES) {
  const wall = replicatedWall(templates, size, BUILTIN_GLOSSARY, 7);
  rows.push(measure('activities, replicated', wall, true, true));
  rows.push(measure('activities, replicated', wall, false, false));
}
const fixtures: Row[] = [];
const HELDOUT = process.argv.includes('--no-heldout') ? [] : ['heldout-food.jsonl', 'heldout-housing.jsonl'];
for (const name of ['activities.jsonl', 'activities-holdout.jsonl', 'tuning-earlychild.jsonl', 'tuning-aging.jsonl', ...HELDOUT]) {
  for (const glossary of [true, false]) {
    const notes = loadFixture(name);
    fixtures.push({ ...measure(name, notes, glossary, false), spread: subsampleSpread(notes, glossary ? {} : { replaceGlossary: true }) });
  }
}
const peakRss = process.resourceUsage().maxRSS * 1024;

const line = (r: Row, spread = false): string =>
  `| ${r.set} | ${r.notes.toLocaleString('en')} | ${r.glossary ? 'yes' : 'no'} | ${f3(r.e.ari)} | ${f3(r.e.nmi)} | ${f3(r.e.precision)} / ${f3(r.e.recall)} / ${f3(r.e.f1)} | ${f3(r.e.fr?.ari)} | ${f3(r.e.en?.ari)} | ${r.clusters} |${spread ? ` ${r.spread ?? '–'} |` : ''}`;
const header = ['| Set | Notes | Glossary | ARI | NMI | Pairwise P / R / F1 | ARI FR | ARI EN | Clusters |', '|-----|------:|:--------:|----:|----:|:-------------------:|-------:|-------:|---------:|'];
const spreadHeader = [`${header[0]} ARI on 90 % subsamples (20) |`, `${header[1]}----------------------------:|`];
const cpu = cpus();
const section = [
  `## Clustering quality at scale and on held-out walls (issue 18) — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  '',
  `\`node --import tsx bench/cluster-eval.ts\`. Machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, Node ${process.version}, load average ${load} at start.`,
  '',
  '### Scale (replicated labelled wall)',
  '',
  '| Notes | CPU per run (median of 3) | Heap growth |',
  '|------:|--------------------------:|------------:|',
  ...rows.filter((r) => r.cpuMs !== undefined).map((r) => `| ${r.notes.toLocaleString('en')} | ${(r.cpuMs as number).toFixed(0)} ms | ${r.heapMb} MB |`),
  '',
  `Peak RSS of the whole benchmark process: ${mb(peakRss)} MB.`,
  '',
  ...header,
  ...rows.map((r) => line(r)),
  '',
  '### Fixtures, validation and held-out walls',
  '',
  ...spreadHeader,
  ...fixtures.map((r) => line(r, true)),
  '',
].join('\n');
console.log(section);
if (!process.argv.includes('--no-append') && !process.argv.includes('--walls-only') && HELDOUT.length > 0) {
  appendFileSync(REPORT, `\n${section}`);
  console.error(`appended to ${REPORT}`);
}
