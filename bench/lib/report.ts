/**
 * What every benchmark prints and appends to docs/benchmarks.md: the machine, the versions of
 * what was measured, the load average (other work shares this machine), and markdown tables.
 * The document is shared with other benchmark owners, so it is only ever appended to.
 */
import { commandLine } from './cli.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
export const DOC_PATH = path.join(REPO_ROOT, 'docs/benchmarks.md');

const DOC_HEADER = `# Benchmarks

Measured figures, newest sections last. Each section names the command that produced it, the
machine, the versions and the load average at the time: the machines these ran on are shared
with other work, so compare figures from one section with each other rather than across
sections. Scripts append here; they never rewrite what is already written.
`;

function pkgVersion(dir: string): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, dir, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

export interface Machine {
  cpu: string;
  cores: number;
  memGiB: number;
  os: string;
  node: string;
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? '?',
    cores: cpus.length,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}

export function versions(names: string[]): Record<string, string> {
  const where: Record<string, string> = {
    yjs: 'node_modules/yjs',
    'y-websocket': 'node_modules/y-websocket',
    'y-protocols': 'node_modules/y-protocols',
    '@y/websocket-server': 'node_modules/@y/websocket-server',
    // The server workspace's own copy: the one our server, the reference host and the floor use.
    ws: 'server/node_modules/ws',
    konva: 'node_modules/konva',
    react: 'node_modules/react',
    'react-konva': 'node_modules/react-konva',
    'playwright-core': 'node_modules/playwright-core',
    'better-sqlite3': 'node_modules/better-sqlite3',
    'socket.io': 'node_modules/socket.io',
  };
  const out: Record<string, string> = {};
  for (const n of names) out[n] = pkgVersion(where[n] ?? `node_modules/${n}`);
  return out;
}

export function gitRevision(): string {
  try {
    const rev = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    return dirty ? `${rev} + uncommitted changes` : rev;
  } catch {
    return '?';
  }
}

export const loadavg = (): string => os.loadavg().map((l) => l.toFixed(2)).join(' / ');

export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  return [line(headers), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map((r) => line(r.map(String)))].join('\n');
}

export interface SectionInput {
  title: string;
  command: string;
  started: Date;
  loadBefore: string;
  loadAfter: string;
  versionNames: string[];
  extraVersions?: Record<string, string>;
  /** Markdown body: tables and notes. */
  body: string;
}

export function section(s: SectionInput): string {
  const m = machine();
  const v = { ...versions(s.versionNames), ...(s.extraVersions ?? {}) };
  return [
    `## ${s.title} — ${s.started.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `Command: \`${s.command}\`  `,
    `Machine: ${m.cpu} × ${m.cores} cores, ${m.memGiB} GiB, ${m.os}, Node ${m.node}; revision ${gitRevision()}  `,
    `Versions: ${Object.entries(v).map(([k, x]) => `${k} ${x}`).join(', ')}  `,
    `Load average (1/5/15 min) before: ${s.loadBefore}; after: ${s.loadAfter} (the machine is shared with other agents' test runs)`,
    '',
    s.body.trim(),
    '',
  ].join('\n');
}

/** Appends a section, creating the document with its header when it does not exist yet. */
export function appendToDoc(markdown: string): void {
  fs.mkdirSync(path.dirname(DOC_PATH), { recursive: true });
  try {
    fs.writeFileSync(DOC_PATH, DOC_HEADER, { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  fs.appendFileSync(DOC_PATH, `\n${markdown}`);
}

/**
 * Waits (at most `maxWaitS`) until the 1-minute load average is below `below`, so that runs
 * start on a machine as quiet as it gets. Resolves with the load it started at.
 */
export async function waitForQuiet(below: number, maxWaitS: number, log: (l: string) => void = () => undefined): Promise<number> {
  const end = Date.now() + maxWaitS * 1000;
  let said = false;
  while ((os.loadavg()[0] as number) >= below && Date.now() < end) {
    if (!said) log(`  waiting for load < ${below} (now ${(os.loadavg()[0] as number).toFixed(2)}), at most ${maxWaitS} s`);
    said = true;
    await new Promise((r) => setTimeout(r, 2000));
  }
  return os.loadavg()[0] as number;
}

/**
 * The end of every benchmark CLI: print the body, append it as a dated section (unless
 * `--no-doc`), and exit (worker processes and browsers must not keep the script alive).
 */
export function publish(p: Omit<SectionInput, 'command'> & { script: string; noDoc: boolean }): never {
  console.log(`\n${p.body}\n`);
  if (!p.noDoc) {
    const { script, noDoc: _noDoc, ...s } = p;
    appendToDoc(section({ ...s, command: commandLine(script) }));
    console.log('appended to docs/benchmarks.md');
  }
  process.exit(0);
}
