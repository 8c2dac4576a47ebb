/**
 * The deployment files, checked without a Docker engine (none runs on the development machines):
 * docker-compose.yml is parsed and compared with the services and ports docs/deployment.md
 * describes (the README links there), and the nginx configuration, the Dockerfile and the
 * variable table are checked for what the scale-out deployment relies on.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../helpers/processes.ts';

const read = (file: string): string => fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');

interface Healthcheck {
  /** Always the array form here (CMD / CMD-SHELL), which the test asserts. */
  test: string[];
  interval?: string;
  timeout?: string;
  retries?: number;
}
interface Service {
  image?: string;
  build?: { context: string; dockerfile?: string } | string;
  ports?: string[];
  expose?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  healthcheck?: Healthcheck;
  command?: string[] | string;
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

// Merge keys (`<<: *app`) are part of the Compose format.
const compose = parse(read('docker-compose.yml'), { merge: true }) as Compose;
const deployment = read('docs/deployment.md');

/** Rows of the first markdown table whose header starts with `firstColumn`. */
function markdownTable(md: string, firstColumn: string): Record<string, string>[] {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => new RegExp(`^\\|\\s*${firstColumn}\\s*\\|`).test(l));
  if (start < 0) throw new Error(`no table starting with "${firstColumn}"`);
  const cells = (l: string) => l.split('|').slice(1, -1).map((c) => c.trim());
  const header = cells(lines[start]!);
  const rows: Record<string, string>[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const c = cells(line);
    rows.push(Object.fromEntries(header.map((h, i) => [h, c[i] ?? ''])));
  }
  return rows;
}
const unquote = (s: string) => s.replace(/`/g, '');
/** Compose interpolation with its default: `${PUBLIC_PORT:-8080}` → `8080`. */
const withDefaults = (s: string) => s.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');

describe('docker-compose.yml matches docs/deployment.md', () => {
  const documented = markdownTable(deployment, 'service');

  it('has exactly the documented services', () => {
    expect(Object.keys(compose.services).sort()).toEqual(documented.map((r) => unquote(r.service!)).sort());
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['app1', 'app2', 'lb', 'postgres', 'redis']));
  });

  it('uses the documented images, and builds the apps from the Dockerfile', () => {
    for (const row of documented) {
      const svc = compose.services[unquote(row.service!)]!;
      if (row.image!.includes('Dockerfile')) {
        const build = typeof svc.build === 'string' ? { context: svc.build } : svc.build;
        expect(build?.context).toBe('.');
        expect(build?.dockerfile ?? 'Dockerfile').toBe('Dockerfile');
      } else {
        expect(svc.image).toBe(unquote(row.image!));
      }
    }
  });

  it('publishes only the documented ports; the others stay internal', () => {
    for (const row of documented) {
      const svc = compose.services[unquote(row.service!)]!;
      const ports = unquote(row.ports!);
      const mapping = /^(\d+):(\d+) \(published\)$/.exec(ports);
      if (mapping) {
        expect((svc.ports ?? []).map(withDefaults)).toEqual([`${mapping[1]}:${mapping[2]}`]);
      } else {
        expect(ports).toMatch(/^\d+ \(internal\)$/);
        expect(svc.ports).toBeUndefined();
      }
    }
    // The internal ports are the ones the apps and the load balancer are pointed at.
    const internal = (name: string) => unquote(documented.find((r) => r.service === `\`${name}\``)!.ports!).split(' ')[0];
    for (const app of ['app1', 'app2']) {
      const svc = compose.services[app]!;
      expect(svc.expose).toEqual([internal(app)]);
      expect(svc.environment?.PORT).toBe(internal(app));
      expect(withDefaults(svc.environment!.DATABASE_URL!)).toMatch(new RegExp(`^postgres://[^@]+@postgres:${internal('postgres')}/\\w+$`));
      expect(svc.environment?.REDIS_URL).toBe(`redis://redis:${internal('redis')}`);
    }
  });

  it('gives every service a health check, and starts each one after what it needs is healthy', () => {
    for (const [name, svc] of Object.entries(compose.services)) {
      expect(svc.healthcheck?.test, name).toBeDefined();
    }
    expect(compose.services.postgres!.healthcheck!.test.join(' ')).toMatch(/pg_isready/);
    expect(compose.services.redis!.healthcheck!.test).toContain('ping');
    for (const app of ['app1', 'app2']) {
      // The apps' own check is readiness (database and Redis reachable), not mere liveness.
      expect(compose.services[app]!.healthcheck!.test.join(' ')).toMatch(/\/readyz/);
      expect(compose.services[app]!.depends_on).toEqual({
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
      });
    }
    expect(compose.services.lb!.depends_on).toEqual({
      app1: { condition: 'service_healthy' },
      app2: { condition: 'service_healthy' },
    });
  });

  it('keeps PostgreSQL and Redis data in named volumes, and mounts the nginx config read-only', () => {
    expect(Object.keys(compose.volumes ?? {}).sort()).toEqual(['pgdata', 'redisdata']);
    expect(compose.services.postgres!.volumes).toContain('pgdata:/var/lib/postgresql/data');
    expect(compose.services.redis!.volumes).toContain('redisdata:/data');
    const mount = compose.services.lb!.volumes!.find((v) => v.includes('nginx'))!;
    const [host, target, mode] = mount.split(':');
    expect(fs.existsSync(path.join(REPO_ROOT, host!))).toBe(true);
    expect(target).toBe('/etc/nginx/conf.d/default.conf');
    expect(mode).toBe('ro');
  });

  it('configures both apps identically, with every variable documented', () => {
    const [a, b] = [compose.services.app1!, compose.services.app2!];
    expect(a).toEqual(b);
    const vars = markdownTable(deployment, 'variable').map((r) => unquote(r.variable!));
    for (const key of Object.keys(a.environment ?? {})) expect(vars, key).toContain(key);
  });
});

describe('deploy/nginx.conf', () => {
  const conf = read('deploy/nginx.conf').replace(/#.*$/gm, '');
  const blocks = (kind: string) =>
    Object.fromEntries(Array.from(conf.matchAll(new RegExp(`${kind}\\s+(\\S+)\\s*\\{([^}]*)\\}`, 'g')), (m) => [m[1]!, m[2]!]));
  const upstreams = blocks('upstream');
  const locations = blocks('location');
  const upstreamOf = (loc: string) => /proxy_pass\s+http:\/\/(\w+)\s*;/.exec(locations[loc] ?? '')?.[1] ?? '';

  it('balances over both apps', () => {
    expect(Object.keys(upstreams).length).toBeGreaterThan(0);
    for (const body of Object.values(upstreams)) {
      expect(body).toMatch(/server\s+app1:3000\b/);
      expect(body).toMatch(/server\s+app2:3000\b/);
    }
    expect(conf).toMatch(/listen\s+80\s*;/);
  });

  it('passes websocket upgrades on /yjs/ and /socket.io/', () => {
    expect(conf).toMatch(/map\s+\$http_upgrade\s+\$connection_upgrade\s*\{[^}]*default\s+upgrade;[^}]*''\s+close;/);
    expect(conf).toMatch(/proxy_http_version\s+1\.1\s*;/);
    for (const loc of ['/yjs/', '/socket.io/']) {
      const body = locations[loc];
      expect(body, loc).toBeDefined();
      expect(body).toMatch(/proxy_set_header\s+Upgrade\s+\$http_upgrade\s*;/);
      expect(body).toMatch(/proxy_set_header\s+Connection\s+\$connection_upgrade\s*;/);
      // The apps compare Host (with its port) with the websocket's Origin.
      expect(body).toMatch(/proxy_set_header\s+Host\s+\$http_host\s*;/);
      expect(body).toMatch(/proxy_read_timeout\s+\d+[smh]\s*;/);
    }
  });

  it('keeps socket.io clients on one process (long-polling needs it)', () => {
    expect(upstreams[upstreamOf('/socket.io/')]).toMatch(/\b(ip_hash|hash\s+\S+|sticky)\b/);
    expect(upstreamOf('/')).not.toBe('');
  });
});

/**
 * The image checklist of docs/deployment.md, checked on the Dockerfile's text: hadolint is in
 * neither Debian nor the npm registry, and no Docker engine runs here. Each item is a rule that
 * hadolint or an image review would raise.
 */
describe('R163: Dockerfile checklist (docs/deployment.md, "Image checklist")', () => {
  const dockerfile = read('Dockerfile');
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const froms = instructions.filter((l) => /^FROM\s/i.test(l));
  /** Instructions of each stage, by stage name. */
  const stages = new Map<string, string[]>();
  let current: string[] = [];
  for (const l of instructions) {
    const from = /^FROM\s+\S+(?:\s+AS\s+(\S+))?/i.exec(l);
    if (from) stages.set(from[1] ?? `stage${stages.size}`, (current = []));
    current.push(l);
  }
  const lastStage = current;
  const runs = (stage: string[]) => stage.filter((l) => /^RUN\s/.test(l)).join('\n');

  it('is multi-stage on a pinned Node 24 LTS patch release (no floating tag)', () => {
    expect(froms.length).toBeGreaterThanOrEqual(2);
    const nodeImage = /ARG NODE_IMAGE=(\S+)/.exec(dockerfile)?.[1] ?? '';
    expect(nodeImage).toMatch(/^node:24\.\d+\.\d+-[a-z]+-slim$/);
    // Each stage starts from the pinned image or from an earlier stage, never from a floating tag.
    const named = new Set<string>();
    for (const f of froms) {
      const [, image, name] = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(f)!;
      if (!named.has(image!)) expect(image).toMatch(/^(\$\{NODE_IMAGE\}|\S+@sha256:[0-9a-f]{64})$/);
      if (name) named.add(name);
    }
    expect(lastStage[0]).toMatch(/^FROM\s+\$\{NODE_IMAGE\}/);
  });

  it('installs with npm ci from the lockfile: everything to build, production dependencies only for the image', () => {
    expect(dockerfile).not.toMatch(/npm install/);
    expect(runs(stages.get('build')!)).toMatch(/npm ci --no-audit --no-fund(\s|$)/);
    expect(runs(stages.get('build')!)).toMatch(/npm run build/);
    expect(runs(stages.get('prod-deps')!)).toMatch(/npm ci --no-audit --no-fund --omit=dev --workspace @maillage\/server --workspace @maillage\/shared/);
    expect(runs(stages.get('prod-deps')!)).toMatch(/npm cache clean --force/);
    // Manifests and lockfile are copied before the install, so a code change reuses its layer.
    const deps = stages.get('deps')!;
    expect(deps.some((l) => /^COPY package\.json package-lock\.json/.test(l))).toBe(true);
  });

  it('ships compiled JavaScript and no build tool: the final stage copies dist folders and production node_modules only', () => {
    expect(lastStage.some((l) => /^RUN\s.*npm (ci|install)/.test(l))).toBe(false);
    const copies = lastStage.filter((l) => /^COPY\s/.test(l));
    for (const c of copies) {
      const from = /--from=(\S+)/.exec(c)?.[1];
      expect(from, c).toBeDefined();
      if (from === 'build') expect(c).toMatch(/\/(server|client)\/dist\s/);
      // No source folder (TypeScript) reaches the image, only manifests.
      expect(c).not.toMatch(/\/(src|shared|server|client)\/\s/);
    }
    expect(copies.some((c) => /--from=prod-deps \/app(\/node_modules)?\s/.test(c))).toBe(true);
    // prod-deps holds manifests and node_modules only: it copies no source from the context.
    expect(stages.get('prod-deps')!.filter((l) => /^COPY\s/.test(l))).toEqual([]);
    // Production dependencies of the server and shared: no tsx, TypeScript, esbuild or Vite.
    for (const ws of ['server', 'shared']) {
      const deps = Object.keys((JSON.parse(read(`${ws}/package.json`)) as { dependencies?: Record<string, string> }).dependencies ?? {});
      for (const tool of ['tsx', 'typescript', 'esbuild', 'vite', 'ts-node']) expect(deps, `${ws}: ${tool}`).not.toContain(tool);
    }
  });

  it('runs `node server/dist/main.js` in exec form as a non-root user, with a health check and graceful stop', () => {
    const user = lastStage.filter((l) => /^USER\s/.test(l)).pop();
    expect(user).toBeDefined();
    expect(user!.split(/\s+/)[1]).not.toMatch(/^(root|0)(:|$)/);
    // The user switch comes after the last RUN that needs root (creating /data).
    expect(lastStage.indexOf(user!)).toBeGreaterThan(lastStage.map((l) => /^RUN\s/.test(l)).lastIndexOf(true));
    expect(lastStage.find((l) => l.startsWith('HEALTHCHECK'))).toMatch(/\/healthz/);
    const cmd = lastStage.filter((l) => l.startsWith('CMD')).pop() ?? '';
    const argv = JSON.parse(cmd.slice(3).trim()) as string[];
    expect(argv[0]).toBe('node');
    expect(argv[argv.length - 1]).toBe('server/dist/main.js');
    expect(argv).not.toContain('tsx');
    expect(lastStage).toContain('STOPSIGNAL SIGTERM');
    expect(lastStage.some((l) => /^ENV\s.*NODE_ENV=production/.test(l))).toBe(true);
    expect(lastStage.filter((l) => l.startsWith('EXPOSE'))).toEqual(['EXPOSE 3000']);
  });

  it('cleans apt lists in the same layer, installs without recommends, and uses WORKDIR rather than cd', () => {
    for (const l of instructions.filter((i) => /apt-get install/.test(i))) {
      expect(l).toMatch(/apt-get update/);
      expect(l).toMatch(/--no-install-recommends/);
      expect(l).toMatch(/-y\b/);
      expect(l).toMatch(/rm -rf \/var\/lib\/apt\/lists/);
    }
    expect(instructions.some((l) => /^RUN\s.*\bcd\s/.test(l))).toBe(false);
    expect(instructions.some((l) => /^ADD\s/.test(l))).toBe(false);
    expect(instructions.some((l) => /^RUN\s.*\bsudo\b/.test(l))).toBe(false);
  });

  it('keeps dependencies, builds, tests and local data out of the build context', () => {
    const ignored = read('.dockerignore').split('\n').map((l) => l.trim());
    for (const p of ['**/node_modules', '**/dist', 'data', '.git', 'test', 'bench', '**/*.test.ts']) expect(ignored).toContain(p);
  });
});

describe('docs/deployment.md', () => {
  it('documents every environment variable the server reads', () => {
    const config = read('server/src/config.ts');
    const schema = config.slice(config.indexOf('z.object({'), config.indexOf('});', config.indexOf('z.object({')));
    const read_ = Array.from(schema.matchAll(/^\s+([A-Z][A-Z0-9_]+):\s*z\./gm), (m) => m[1]!);
    expect(read_.length).toBeGreaterThan(5);
    const documented = markdownTable(deployment, 'variable').map((r) => unquote(r.variable!));
    for (const v of read_) expect(documented, v).toContain(v);
  });
});
