/**
 * GET /metrics during a real session (docs/spec.md R164–R169): real y-websocket and socket.io
 * clients write, get refused, run clustering; the scrape must show exactly the counts they caused,
 * labelled per process, with no wall id or key in any label. Also: the token, the documentation
 * table and the Grafana dashboard against what the server really exports.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addNote, type ClusterSuggestions } from '@maillage/shared';
import { createBoard, startServer, type TestServer } from '../helpers/server.ts';
import { connectClient, sleep, type YClient } from '../helpers/yclient.ts';
import { joinSession } from '../helpers/session.ts';
import { parseExposition, scrape, valueOf, type Sample } from '../helpers/prometheus.ts';
import { REPO_ROOT } from '../helpers/processes.ts';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv?.close();
});

/** Polls until `check` passes on a fresh scrape (gauges follow closes asynchronously). */
async function eventually(check: (s: Sample[]) => void, ms = 5000): Promise<Sample[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const s = await scrape(srv.http);
    try {
      check(s);
      return s;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(100);
    }
  }
}

const NOTES = [
  ['Mentorat entre pairs au secondaire', 'mentoring'],
  ['Peer mentoring in high school', 'mentoring'],
  ['Stages en entreprise pour les jeunes', 'other'],
  ['Youth internships with local employers', 'other'],
  ['Ateliers de préparation au marché du travail', 'other'],
  ['Job readiness workshops', 'other'],
] as const;

describe('R164–R166: /metrics during a session', () => {
  it('R164: Prometheus text format; every series labelled with the process (host, pid), Node process metrics included', async () => {
    const res = await fetch(`${srv.http}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = parseExposition(await res.text());
    expect(samples.length).toBeGreaterThan(20);
    for (const s of samples) {
      expect(s.labels.host, s.name).toBe(os.hostname());
      expect(s.labels.pid, s.name).toBe(String(process.pid));
    }
    const names = new Set(samples.map((s) => s.name));
    for (const n of ['maillage_rooms_loaded', 'maillage_updates_total', 'process_cpu_user_seconds_total', 'nodejs_eventloop_lag_seconds']) {
      expect(names, n).toContain(n);
    }
    const head = await fetch(`${srv.http}/metrics`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect((await fetch(`${srv.http}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('R165: rooms, connections by role, updates, refused writes, flush and fan-out latency, clustering jobs and store errors count what the clients did', async () => {
    const before = await scrape(srv.http);
    expect(valueOf(before, 'maillage_rooms_loaded')).toBe(0);
    const b = await createBoard(srv.http);
    const clients: YClient[] = [
      connectClient(srv.ws, b.id, { key: b.hostKey }),
      connectClient(srv.ws, b.id),
      connectClient(srv.ws, b.id, { key: b.reviewKey }),
    ];
    const [host, participant, review] = clients as [YClient, YClient, YClient];
    await Promise.all(clients.map((c) => c.synced));
    const session = await joinSession(srv.http, b.id, { key: b.hostKey, name: 'Hôte' });

    const connected = await eventually((s) => {
      expect(valueOf(s, 'maillage_rooms_loaded')).toBe(1);
      expect(valueOf(s, 'maillage_sync_connections', { role: 'host' })).toBe(1);
      expect(valueOf(s, 'maillage_sync_connections', { role: 'participant' })).toBe(1);
      expect(valueOf(s, 'maillage_sync_connections', { role: 'review' })).toBe(1);
      expect(valueOf(s, 'maillage_session_connections')).toBe(1);
    });
    expect(valueOf(connected, 'maillage_room_connections_max')).toBe(3);
    expect(valueOf(connected, 'maillage_rooms_by_connections', { le: '0' })).toBe(0);
    expect(valueOf(connected, 'maillage_rooms_by_connections', { le: '10' })).toBe(1);
    expect(valueOf(connected, 'maillage_rooms_by_connections', { le: '+Inf' })).toBe(1);

    // Six notes, one update each, from the participant: fanned out to the host and the review link.
    const base = await scrape(srv.http);
    for (const [text, domainId] of NOTES) addNote(participant.doc, { text, domainId });
    const written = await eventually((s) => {
      expect(valueOf(s, 'maillage_updates_total', { origin: 'client' }) - valueOf(base, 'maillage_updates_total', { origin: 'client' })).toBe(NOTES.length);
      expect(valueOf(s, 'maillage_fanout_duration_seconds_count') - valueOf(base, 'maillage_fanout_duration_seconds_count')).toBe(NOTES.length);
    });
    expect(valueOf(written, 'maillage_flush_duration_seconds_count')).toBeGreaterThan(valueOf(base, 'maillage_flush_duration_seconds_count'));
    expect(valueOf(written, 'maillage_flush_duration_seconds_sum')).toBeGreaterThan(valueOf(base, 'maillage_flush_duration_seconds_sum'));
    expect(valueOf(written, 'maillage_fanout_duration_seconds_bucket', { le: '+Inf' })).toBe(valueOf(written, 'maillage_fanout_duration_seconds_count'));

    // A review link writes nothing: one record put back, reason read_only, and nothing else.
    addNote(review.doc, { text: 'Écrit par un lien de relecture', domainId: 'other' });
    await eventually((s) => {
      expect(valueOf(s, 'maillage_refused_writes_total', { reason: 'read_only' }) - valueOf(base, 'maillage_refused_writes_total', { reason: 'read_only' })).toBe(1);
    });
    const refused = await scrape(srv.http);
    expect(valueOf(refused, 'maillage_refused_writes_total') - valueOf(base, 'maillage_refused_writes_total')).toBe(1);

    // One clustering job in the worker pool.
    const job = await fetch(`${srv.http}/api/boards/${b.id}/clusters?wait=1`, { method: 'POST', headers: { authorization: `Bearer ${b.hostKey}` } });
    expect(job.status).toBe(200);
    expect(((await job.json()) as ClusterSuggestions).noteCount).toBe(NOTES.length);
    const clustered = await scrape(srv.http);
    expect(valueOf(clustered, 'maillage_cluster_jobs_total', { outcome: 'ok' }) - valueOf(base, 'maillage_cluster_jobs_total', { outcome: 'ok' })).toBe(1);
    expect(valueOf(clustered, 'maillage_cluster_jobs_total', { outcome: 'failed' })).toBe(0);
    expect(valueOf(clustered, 'maillage_cluster_jobs_running')).toBe(0);
    expect(valueOf(clustered, 'maillage_cluster_job_duration_seconds_count') - valueOf(base, 'maillage_cluster_job_duration_seconds_count')).toBe(1);

    // A failing store call is a store error, by operation.
    expect(valueOf(clustered, 'maillage_store_errors_total')).toBe(0);
    const spy = vi.spyOn(Object.getPrototypeOf(srv.server.store) as { getBoard(): Promise<unknown> }, 'getBoard').mockRejectedValueOnce(new Error('disk says no'));
    try {
      expect((await fetch(`${srv.http}/api/boards/${b.id}`)).status).toBe(500);
    } finally {
      spy.mockRestore();
    }
    const failed = await scrape(srv.http);
    expect(valueOf(failed, 'maillage_store_errors_total', { operation: 'getBoard' })).toBe(1);
    expect(valueOf(failed, 'maillage_store_errors_total')).toBe(1);

    // Everyone leaves: connections fall to zero, and the wall is unloaded once idle.
    for (const c of clients) c.destroy();
    session.disconnect();
    await eventually((s) => {
      expect(valueOf(s, 'maillage_sync_connections')).toBe(0);
      expect(valueOf(s, 'maillage_session_connections')).toBe(0);
      expect(valueOf(s, 'maillage_rooms_loaded')).toBe(0);
    });
    void host;
  });

  it('R166: no label carries a wall id, a key or text; label names come from a closed set', async () => {
    const b = await createBoard(srv.http, { title: 'Titre secret du mur' });
    const c = connectClient(srv.ws, b.id, { key: b.hostKey });
    await c.synced;
    addNote(c.doc, { text: 'Texte confidentiel', domainId: 'other' });
    await sleep(200);
    const res = await fetch(`${srv.http}/metrics`);
    const text = await res.text();
    for (const secret of [b.id, b.hostKey, b.reviewKey, 'Titre secret', 'Texte confidentiel']) expect(text).not.toContain(secret);
    const allowed = new Set(['host', 'pid', 'role', 'le', 'origin', 'reason', 'operation', 'outcome', 'quantile', 'space', 'kind', 'type', 'version', 'major', 'minor', 'patch']);
    for (const s of parseExposition(text)) for (const l of Object.keys(s.labels)) expect(allowed, `${s.name}{${l}}`).toContain(l);
    c.destroy();
  });
});

describe('R167: METRICS_TOKEN', () => {
  it('R167: with a token, /metrics answers only to `Authorization: Bearer <token>`', async () => {
    const token = 'metrics-token-0123456789abcdef';
    const guarded = await startServer({ metricsToken: token });
    try {
      expect((await fetch(`${guarded.http}/metrics`)).status).toBe(401);
      expect((await fetch(`${guarded.http}/metrics`, { headers: { authorization: `Bearer ${token}x` } })).status).toBe(401);
      expect((await fetch(`${guarded.http}/metrics`, { headers: { authorization: token } })).status).toBe(401);
      const ok = await scrape(guarded.http, { authorization: `Bearer ${token}` });
      expect(valueOf(ok, 'maillage_rooms_loaded')).toBe(0);
      // The rest of the server is untouched by the token.
      expect((await fetch(`${guarded.http}/healthz`)).status).toBe(200);
    } finally {
      await guarded.close();
    }
  });

  it('R167: the public load balancer does not route /metrics (Prometheus scrapes each process directly)', () => {
    const conf = fs.readFileSync(path.join(REPO_ROOT, 'deploy/nginx.conf'), 'utf8').replace(/#.*$/gm, '');
    expect(conf).toMatch(/location\s+=\s+\/metrics\s*\{\s*(return\s+404|deny\s+all)\s*;\s*\}/);
  });
});

describe('R168–R169: documentation and dashboard match what is exported', () => {
  const exported = async () => new Set((await scrape(srv.http)).map((s) => s.name.replace(/_(bucket|sum|count)$/, '')).filter((n) => n.startsWith('maillage_')));

  it('R169: docs/deployment.md lists every maillage_* metric, and nothing else', async () => {
    const md = fs.readFileSync(path.join(REPO_ROOT, 'docs/deployment.md'), 'utf8');
    const section = md.slice(md.indexOf('## Metrics'));
    const documented = new Set(Array.from(section.matchAll(/^\|\s*`(maillage_[a-z_]+)`/gm), (m) => m[1]!));
    expect([...documented].sort()).toEqual([...(await exported())].sort());
  });

  it('R168: every query of docs/grafana-dashboard.json names exported metrics, and every maillage metric is on a panel', async () => {
    const dash = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'docs/grafana-dashboard.json'), 'utf8')) as {
      panels: { title: string; targets?: { expr: string }[] }[];
    };
    const names = await exported();
    const onPanels = new Set<string>();
    for (const p of dash.panels) {
      for (const t of p.targets ?? []) {
        for (const m of t.expr.matchAll(/\b(maillage_[a-z_]+?)(?:_bucket|_sum|_count)?\b(?=[{[\s)]|$)/g)) {
          expect(names, `${p.title}: ${t.expr}`).toContain(m[1]);
          onPanels.add(m[1]!);
        }
      }
    }
    expect([...onPanels].sort()).toEqual([...names].sort());
  });
});
