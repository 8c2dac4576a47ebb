/**
 * The production layout, built and served here (docs/spec.md R160–R162), since no Docker engine
 * runs on these machines: the Dockerfile's commands in a temporary folder, then the server
 * started with plain `node` from a folder that holds only what the image's final stage holds.
 *
 *   build      `npm run build -w @maillage/server` (server/build.mjs, as in `npm run build`) into
 *              the runtime folder; the client bundle is the repository's client/dist when built
 *              (the README's test command builds it first), else `vite build` into the folder.
 *   prod-deps  `npm ci --no-audit --no-fund --omit=dev --workspace @maillage/server --workspace
 *              @maillage/shared` on the manifests and lockfile alone, with two differences, both
 *              for time: `--prefer-offline` (the npm cache), and `--ignore-scripts`, the native
 *              better-sqlite3 addon being copied from this repository's own `npm ci` (same locked
 *              version, same Node) — compiling SQLite again takes minutes on a loaded machine.
 *   runtime    the prod-deps folder (manifests, node_modules, the workspaces' own node_modules),
 *              server/dist, client/dist — nothing else, no TypeScript, no tsx.
 *
 * Then a stock y-websocket client writes notes, the REST export shows them, clustering runs in the
 * compiled worker threads, /metrics counts the writes, and SIGTERM stops it cleanly.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNote, type ClusterSuggestions } from '@maillage/shared';
import { REPO_ROOT } from '../helpers/processes.ts';
import { connectClient, waitFor, type YClient } from '../helpers/yclient.ts';
import { listNotes } from '@maillage/shared';
import { scrape, valueOf } from '../helpers/prometheus.ts';

interface Lockfile {
  packages: Record<string, { version?: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; dev?: boolean }>;
}
interface Manifest {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
}
const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, file), 'utf8')) as T;
const WORKSPACES = ['shared', 'server', 'client'] as const;
const BUILD_TOOLS = ['tsx', 'typescript', 'esbuild', 'vite', 'ts-node', '@vitejs/plugin-react'];

describe('R160: the lockfile installs with npm ci', () => {
  const lock = readJson<Lockfile>('package-lock.json');

  it('R160: the lockfile records exactly the ranges every package.json declares', () => {
    const root = readJson<Manifest>('package.json');
    expect(lock.packages['']?.dependencies ?? {}).toEqual(root.dependencies ?? {});
    expect(lock.packages['']?.devDependencies ?? {}).toEqual(root.devDependencies ?? {});
    for (const ws of WORKSPACES) {
      const m = readJson<Manifest>(`${ws}/package.json`);
      expect(lock.packages[ws]?.dependencies ?? {}, ws).toEqual(m.dependencies ?? {});
      expect(lock.packages[ws]?.devDependencies ?? {}, ws).toEqual(m.devDependencies ?? {});
    }
  });

  it("R160: every platform's optional packages of esbuild and rollup are locked (npm ci refused the lockfile without them)", () => {
    for (const pkg of ['esbuild', 'rollup']) {
      const optional = Object.keys(lock.packages[`node_modules/${pkg}`]?.optionalDependencies ?? {});
      expect(optional.length, pkg).toBeGreaterThan(10);
      for (const name of optional) expect(lock.packages[`node_modules/${name}`], name).toBeDefined();
    }
  });

  it('R160: the benchmark-only reference server is pinned exactly (later releases need @y/y@*, which resolves to nothing)', () => {
    const root = readJson<Manifest>('package.json');
    expect(root.devDependencies?.['@y/websocket-server']).toBe('0.1.1');
    expect(lock.packages['node_modules/@y/websocket-server']?.version).toBe('0.1.1');
    expect(lock.packages['node_modules/@y/websocket-server']?.dev).toBe(true);
  });

  it('R160: README, .ci/run and the Dockerfile install with npm ci', () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm ci && npm test');
    const ci = fs.readFileSync(path.join(REPO_ROOT, '.ci/run'), 'utf8').replace(/#.*$/gm, '');
    expect(ci).toMatch(/^npm ci && npm test$/m);
    expect(ci).not.toMatch(/npm install/);
  });
});

describe('R161: compiled server, no build tool in production', () => {
  it('R161: no workspace has a build tool among its production dependencies; tsx and esbuild are root devDependencies', () => {
    for (const ws of WORKSPACES.filter((w) => w !== 'client')) {
      const deps = Object.keys(readJson<Manifest>(`${ws}/package.json`).dependencies ?? {});
      for (const tool of BUILD_TOOLS) expect(deps, `${ws}: ${tool}`).not.toContain(tool);
    }
    const root = readJson<Manifest>('package.json');
    expect(root.devDependencies).toHaveProperty('tsx');
    expect(root.devDependencies).toHaveProperty('esbuild');
  });

  it('R161: `npm start` builds client and server, then runs the compiled server with plain node', () => {
    const root = readJson<Manifest>('package.json');
    expect(root.scripts?.start).toBe('npm run build && npm run start:server');
    expect(root.scripts?.build).toMatch(/-w @maillage\/client/);
    expect(root.scripts?.build).toMatch(/-w @maillage\/server/);
    expect(root.scripts?.['start:server']).toMatch(/^node (--enable-source-maps )?server\/dist\/main\.js$/);
    expect(readJson<Manifest>('server/package.json').scripts?.build).toBe('node build.mjs');
  });
});

/** Runs a command, failing with its output when it fails. */
function run(cmd: string, args: string[], cwd: string, timeoutMs: number): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false' } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}):\n${(r.stdout ?? '').slice(-2000)}\n${(r.stderr ?? '').slice(-4000)}`);
  return `${r.stdout}${r.stderr}`;
}

describe('R162: the production layout serves a live wall with plain node', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-production-'));
  const deps = path.join(tmp, 'prod-deps');
  const app = path.join(tmp, 'app');
  const dataDir = path.join(tmp, 'data');
  let child: ChildProcess | null = null;
  let base = '';
  const logs: string[] = [];
  let exited: Promise<number | null> = Promise.resolve(null);

  beforeAll(async () => {
    // prod-deps: manifests and lockfile only, as the Dockerfile's deps stage copies them.
    for (const f of ['package.json', 'package-lock.json', ...WORKSPACES.map((w) => `${w}/package.json`)]) {
      fs.mkdirSync(path.dirname(path.join(deps, f)), { recursive: true });
      fs.copyFileSync(path.join(REPO_ROOT, f), path.join(deps, f));
    }
    run('npm', ['ci', '--no-audit', '--no-fund', '--omit=dev', '--workspace', '@maillage/server', '--workspace', '@maillage/shared', '--prefer-offline', '--ignore-scripts'], deps, 540_000);
    const addon = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';
    const locked = readJson<Lockfile>('package-lock.json').packages['node_modules/better-sqlite3']?.version;
    expect(readJson<{ version: string }>('node_modules/better-sqlite3/package.json').version).toBe(locked);
    fs.mkdirSync(path.dirname(path.join(deps, addon)), { recursive: true });
    fs.copyFileSync(path.join(REPO_ROOT, addon), path.join(deps, addon));
    // The server's ws (8.x) is its own, nested: the root one is 6.x for a benchmark-only package.
    const files = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir) : []);
    expect([...files(path.join(deps, 'node_modules')), ...files(path.join(deps, 'server/node_modules'))]).toContain('ws');

    // runtime: what the final stage copies — the whole prod-deps folder (manifests, node_modules
    // and the workspaces' own node_modules), then the two dist folders.
    fs.renameSync(deps, app);
    // build: the server compiled straight into the runtime folder; the client bundle as built.
    run('npm', ['run', 'build', '-w', '@maillage/server', '--', '--outdir', path.join(app, 'server/dist')], REPO_ROOT, 120_000);
    const clientDist = path.join(REPO_ROOT, 'client/dist');
    if (fs.existsSync(path.join(clientDist, 'index.html'))) fs.cpSync(clientDist, path.join(app, 'client/dist'), { recursive: true });
    else run('npx', ['vite', 'build', 'client', '--outDir', path.join(app, 'client/dist'), '--emptyOutDir'], REPO_ROOT, 300_000);

    // Started as the image's CMD, with the image's environment.
    fs.mkdirSync(dataDir);
    child = spawn(process.execPath, ['--enable-source-maps', 'server/dist/main.js'], {
      cwd: app,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, CLIENT_DIST: path.join(app, 'client/dist'), LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    exited = new Promise((r) => child!.once('exit', (code) => r(code)));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "maillage listening" line:\n${logs.join('\n')}`)), 30_000);
      const onData = (chunk: Buffer) => {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
          logs.push(line);
          if (line.includes('maillage listening')) {
            clearTimeout(timer);
            resolve((JSON.parse(line) as { port: number }).port);
          }
        }
      };
      child!.stdout!.on('data', onData);
      child!.stderr!.on('data', onData);
      void exited.then((code) => reject(new Error(`exited (${code}) before listening:\n${logs.join('\n')}`)));
    });
    base = `http://127.0.0.1:${port}`;
  }, 900_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('R162: the runtime folder holds compiled JavaScript and production dependencies only', () => {
    const modules = fs.readdirSync(path.join(app, 'node_modules'));
    for (const tool of BUILD_TOOLS.filter((t) => !t.startsWith('@'))) expect(modules, tool).not.toContain(tool);
    expect(modules).not.toContain('react');
    const dist = fs.readdirSync(path.join(app, 'server/dist'));
    expect(dist).toEqual(expect.arrayContaining(['main.js', 'worker.js']));
    expect(dist.filter((f) => f.endsWith('.ts'))).toEqual([]);
    expect(fs.existsSync(path.join(app, 'server/src'))).toBe(false);
    expect(fs.existsSync(path.join(app, 'shared/src'))).toBe(false);
  });

  it('R162: a stock y-websocket client writes notes, the REST export shows them, clustering runs in compiled workers, /metrics counts the writes', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const index = await fetch(`${base}/`);
    expect(index.status).toBe(200);
    expect(await index.text()).toMatch(/<div id="root">/);

    const created = await fetch(`${base}/api/boards`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Production' }) });
    expect(created.status).toBe(201);
    const b = (await created.json()) as { id: string; hostKey: string };
    const ws = base.replace(/^http/, 'ws') + '/yjs';
    const writer: YClient = connectClient(ws, b.id);
    const reader: YClient = connectClient(ws, b.id, { key: b.hostKey });
    try {
      await Promise.all([writer.synced, reader.synced]);
      const texts = ['Mentorat par les pairs', 'Peer mentoring for youth', 'Stages en entreprise', 'Youth internships'];
      for (const text of texts) addNote(writer.doc, { text, domainId: 'other' });
      await waitFor(reader.doc, () => listNotes(reader.doc).length === texts.length, 10_000, 'notes at the second client');

      const exported = await fetch(`${base}/api/boards/${b.id}/export.json`, { headers: { authorization: `Bearer ${b.hostKey}` } });
      expect(exported.status).toBe(200);
      const body = await exported.text();
      for (const text of texts) expect(body).toContain(text);

      const job = await fetch(`${base}/api/boards/${b.id}/clusters?wait=1`, { method: 'POST', headers: { authorization: `Bearer ${b.hostKey}` } });
      expect(job.status).toBe(200);
      expect(((await job.json()) as ClusterSuggestions).noteCount).toBe(texts.length);

      const metrics = await scrape(base);
      expect(valueOf(metrics, 'maillage_updates_total', { origin: 'client' })).toBe(texts.length);
      expect(valueOf(metrics, 'maillage_cluster_jobs_total', { outcome: 'ok' })).toBe(1);
    } finally {
      writer.destroy();
      reader.destroy();
    }
  });

  it('R162: SIGTERM stops it gracefully (exit 0) and the notes are on disk', async () => {
    child!.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(logs.some((l) => l.includes('maillage stopped'))).toBe(true);
    expect(fs.readdirSync(dataDir)).toContain('maillage.sqlite');
    expect(logs.filter((l) => /"level":(50|60)/.test(l))).toEqual([]);
  });
});
