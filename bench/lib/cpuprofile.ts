/**
 * Reads a V8 .cpuprofile (node --cpu-prof) and lists where the time went: self time per
 * function and per file, heaviest first. Used to find the cause when a target is missed:
 *   node --import tsx bench/lib/cpuprofile.ts <file.cpuprofile> [top]
 */
import fs from 'node:fs';
import { isMain } from './cli.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface Hot {
  name: string;
  ms: number;
  share: number;
}

export function summarizeProfile(file: string, top = 25): { totalMs: number; busyMs: number; functions: Hot[]; files: Hot[] } {
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000));
  const fn = new Map<string, number>();
  const files = new Map<string, number>();
  let busy = 0;
  for (const [id, ms] of self) {
    const n = byId.get(id);
    if (!n) continue;
    const f = n.callFrame;
    const idle = f.functionName === '(idle)' || f.functionName === '(program)';
    if (!idle) busy += ms;
    const short = f.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/work\/main\//, '');
    const key = `${f.functionName || '(anonymous)'} ${short}:${f.lineNumber + 1}`;
    fn.set(key, (fn.get(key) ?? 0) + ms);
    const fileKey = idle ? f.functionName : short.replace(/\/[^/]*$/, '') || '(native)';
    files.set(fileKey, (files.get(fileKey) ?? 0) + ms);
  }
  const total = (p.endTime - p.startTime) / 1000;
  const rank = (m: Map<string, number>): Hot[] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms, share: ms / total }));
  return { totalMs: total, busyMs: busy, functions: rank(fn), files: rank(files) };
}

if (isMain(import.meta.url)) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: cpuprofile.ts <file.cpuprofile> [top]');
  const s = summarizeProfile(file, Number(process.argv[3] ?? 25));
  console.log(`profile ${(s.totalMs / 1000).toFixed(1)} s, busy ${(s.busyMs / 1000).toFixed(2)} s`);
  for (const h of s.functions) console.log(`${h.ms.toFixed(0).padStart(7)} ms ${(h.share * 100).toFixed(1).padStart(5)} %  ${h.name}`);
  console.log('-- by folder');
  for (const h of s.files) console.log(`${h.ms.toFixed(0).padStart(7)} ms ${(h.share * 100).toFixed(1).padStart(5)} %  ${h.name}`);
}
