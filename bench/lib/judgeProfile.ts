/**
 * A small driver for profiling the judge alone (node --cpu-prof, valgrind --tool=callgrind):
 * builds one wall, then judges one case's update `--n` times, each on a fresh copy.
 *
 *   node --import tsx bench/lib/judgeProfile.ts --notes 5000 --case reconnect --n 40
 */
import fs from 'node:fs';
import * as Y from 'yjs';
import { prepareForJudging, judgeAndApply, type JudgeContext } from '../../server/src/auth/judge.ts';
import { cliArgs, numberArg } from './cli.ts';
import { ME, buildJudgeWall, type JudgeCaseName, type JudgeWall } from './judgeWall.ts';
import { summarize, fmt } from './stats.ts';

const a = cliArgs(['notes', 'case', 'n']);
const notes = numberArg(a.values.notes, 5000);
const c = (typeof a.values.case === 'string' ? a.values.case : 'reconnect') as JudgeCaseName;
const n = numberArg(a.values.n, 40);
const cacheFile = `/tmp/judge-wall-${notes}.json`;
let wall: JudgeWall;
if (fs.existsSync(cacheFile)) {
  const raw = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as Record<string, unknown>;
  const bytes = (s: unknown) => Uint8Array.from(Buffer.from(s as string, 'base64'));
  const u = raw.updates as Record<string, { update: string; base: 'state' | 'stateAtReconnect' }>;
  wall = { ...(raw as unknown as JudgeWall), state: bytes(raw.state), stateAtReconnect: bytes(raw.stateAtReconnect), updates: Object.fromEntries(Object.entries(u).map(([k, v]) => [k, { update: bytes(v.update), base: v.base }])) as JudgeWall['updates'] };
} else {
  wall = buildJudgeWall(notes);
  const b64 = (x: Uint8Array) => Buffer.from(x).toString('base64');
  fs.writeFileSync(cacheFile, JSON.stringify({ ...wall, state: b64(wall.state), stateAtReconnect: b64(wall.stateAtReconnect), updates: Object.fromEntries(Object.entries(wall.updates).map(([k, v]) => [k, { update: b64(v.update), base: v.base }])) }));
}
const ctx: JudgeContext = { role: 'participant', ownerId: ME, locked: false, privateWriting: false };
const { update, base } = wall.updates[c];
const state = base === 'state' ? wall.state : wall.stateAtReconnect;
const times: number[] = [];
for (let i = 0; i < n; i++) {
  const d = new Y.Doc();
  Y.applyUpdate(d, state);
  prepareForJudging(d);
  d.on('update', () => undefined);
  const t0 = performance.now();
  const r = judgeAndApply(d, update, ctx, ctx);
  times.push(performance.now() - t0);
  if (i === 0) console.log(`refusals ${r.refusals.length} fixed ${r.fixed} incomplete ${r.incomplete} update ${r.update?.length}`);
  d.destroy();
}
const s = summarize(times.slice(Math.min(5, n - 1)));
console.log(`${notes} ${c}: p50 ${fmt(s.p50, 2)} mean ${fmt(s.mean, 2)} p99 ${fmt(s.p99, 2)} ms over ${s.count}`);
