/**
 * Helpers for the round-4 attack suite (test/integration/attack-round4.test.ts): big walls made
 * through the import route, raw REST calls with a key, timing.
 */
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll } from 'vitest';
import { startServer, type TestServer } from './server.ts';

export interface Api {
  (method: string, path: string, key?: string, body?: unknown): Promise<{ status: number; body: unknown; text: string; headers: Headers }>;
}

export function apiFor(base: string): Api {
  return async (method, path, key, body) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed, text, headers: res.headers };
  };
}

/** Imports a wall of `n` notes (bigWallExport) through the REST API: the answer's status, the wall's id and keys. */
export async function importBigWall(api: Api, n: number): Promise<{ status: number; id: string; hostKey: string; reviewKey: string }> {
  const imp = await api('POST', '/api/boards/import', undefined, bigWallExport(n));
  return { status: imp.status, ...(imp.body as { id: string; hostKey: string; reviewKey: string }) };
}

/** A wall export with `n` notes spread over the seven domains, `orgs` organizations. */
export function bigWallExport(n: number, orgs = 60): Record<string, unknown> {
  const domains = Array.from({ length: 7 }, (_, i) => ({ id: `d${i}`, title: { fr: `Domaine ${i}`, en: `Domain ${i}` }, order: i, color: '#ffffff' }));
  const words = ['mentorat', 'emploi', 'logement', 'santé', 'école', 'jeunes', 'familles', 'transport', 'alimentation', 'culture', 'sport', 'aînés'];
  const notes = Array.from({ length: n }, (_, i) => ({
    id: `n${i}`,
    text: `Activité ${i}: ${words[i % words.length]} et ${words[(i * 7) % words.length]} pour le quartier ${i % 13}`,
    author: `Personne ${i % 300}`,
    email: '',
    org: `Organisme ${i % orgs}`,
    domainId: `d${i % 7}`,
    x: (i % 7) * 300,
    y: Math.floor(i / 7) * 120,
    color: '#fff59d',
    createdAt: 1_700_000_000_000 + i,
    ownerId: `owner-${i % 300}`,
  }));
  return { format: 'maillage-wall', version: 1, title: 'Grand mur', template: 'relationship-mapping', createdAt: 1_700_000_000_000, domains, notes, clusters: [], relations: [] };
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

/** One server for the whole test file, started before its tests and closed after them. */
export function serverForFile(): { readonly srv: TestServer; readonly api: Api } {
  const env = {} as { srv: TestServer; api: Api };
  beforeAll(async () => {
    env.srv = await startServer();
    env.api = apiFor(env.srv.http);
  });
  afterAll(async () => {
    await env.srv?.close();
  });
  return env;
}
