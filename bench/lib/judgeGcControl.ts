/**
 * A control for the fresh-copy method of bench/judge.ts (issue 12): times the same calls on a
 * fresh copy of the wall with and without a forced full collection right before them, to show how
 * much of the fresh-copy figures is the harness (lazy sweeping of the copies' garbage on the main
 * thread after `gc()`) rather than judging.
 *
 *   node --expose-gc --import tsx bench/lib/judgeGcControl.ts [--notes 5000] [--case reconnect] [--n 40]
 *
 * Settle modes per sample: none (call right after the copy), gc (forced full collection, then
 * the call), sleep (50 ms idle, no collection). Prints p50 / max per phase.
 */
import * as Y from 'yjs';
import { prepareForJudging, judgeAndApply, type JudgeContext } from '../../server/src/auth/judge.ts';
import { withoutKnownDeletions } from '../../server/src/auth/knownDeletions.ts';
import { cliArgs, numberArg } from './cli.ts';
import { ME, buildJudgeWall, type JudgeCaseName } from './judgeWall.ts';
import { fmt, sleep, summarize } from './stats.ts';

const a = cliArgs(['notes', 'case', 'n']);
const c = (typeof a.values.case === 'string' ? a.values.case : 'reconnect') as JudgeCaseName;
const n = numberArg(a.values.n, 40);
const wall = buildJudgeWall(numberArg(a.values.notes, 5000));
const ctx: JudgeContext = { role: 'participant', ownerId: ME, locked: false, privateWriting: false };
const { update, base } = wall.updates[c];
const state = base === 'state' ? wall.state : wall.stateAtReconnect;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const fresh = () => {
  const d = new Y.Doc();
  Y.applyUpdate(d, state);
  prepareForJudging(d);
  d.on('update', () => undefined);
  return d;
};
for (const mode of ['none', 'gc', 'sleep'] as const) {
  const phases: Record<string, number[]> = { 'strip known deletions': [], 'Y.applyUpdate alone': [], judgeAndApply: [] };
  const settle = async () => {
    if (mode === 'gc') gc();
    if (mode === 'sleep') await sleep(50);
  };
  const time = async (phase: string, call: (d: Y.Doc) => void) => {
    const d = fresh();
    await settle();
    const t = performance.now();
    call(d);
    if (i >= 5) phases[phase]?.push(performance.now() - t);
    d.destroy();
  };
  let i = 0;
  for (; i < n + 5; i++) {
    await time('strip known deletions', (d) => withoutKnownDeletions(d, update));
    await time('Y.applyUpdate alone', (d) => Y.applyUpdate(d, update));
    await time('judgeAndApply', (d) => judgeAndApply(d, update, ctx, ctx));
  }
  for (const [phase, v] of Object.entries(phases)) {
    const s = summarize(v);
    console.log(`${c} ${mode.padEnd(5)} ${phase.padEnd(22)} p50 ${fmt(s.p50, 2)} max ${fmt(s.max, 2)} ms`);
  }
}
