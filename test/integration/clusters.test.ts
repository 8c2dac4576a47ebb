/**
 * Clustering end to end (docs/spec.md R23): seeded notes, the host starts clustering over the
 * REST API, a socket.io client receives progress and the result, and an accepted cluster enters
 * the document for everyone; participants cannot accept clusters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { acceptCluster, addNote, listClusters, type ClusterSuggestions } from '@maillage/shared';
import { createBoard, startServer, type TestServer } from '../helpers/server.ts';
import { connectClient, waitFor, sleep } from '../helpers/yclient.ts';
import { joinSession } from '../helpers/session.ts';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv?.close();
});

const NOTES: [string, string, string][] = [
  ['Ateliers d’entrepreneuriat pour les jeunes', 'CJE Outaouais', 'hs-to-employment'],
  ['Entrepreneurship workshops for youth', 'YMCA', 'engage-youth'],
  ['Atelier entreprenariat au secondaire', 'École Jean-XXIII', 'graduate-high-school'],
  ['Aide aux devoirs le soir', 'Maison des jeunes', 'graduate-high-school'],
  ['After-school homework help', 'Boys and Girls Club', 'graduate-high-school'],
  ['Homework club with volunteer tutors', 'Library', 'engage-youth'],
  ['Jumelage mentor-mentoré', 'Grands Frères Grandes Sœurs', 'mentoring'],
  ['Mentoring program matching youth with mentors', 'Big Brothers', 'mentoring'],
  ['Visites de cégeps et d’universités', 'Carrefour', 'hs-to-postsecondary'],
  ['Cours de cuisine communautaire', 'Centre communautaire', 'other'],
];

describe('clustering', () => {
  it('R23 the host runs clustering over the API; progress and result arrive over socket.io; an accepted cluster reaches everyone', async () => {
    const b = await createBoard(srv.http);
    const host = connectClient(srv.ws, b.id, { key: b.hostKey });
    const other = connectClient(srv.ws, b.id);
    await Promise.all([host.synced, other.synced]);
    for (const [text, org, domainId] of NOTES) addNote(host.doc, { text, org, domainId, author: 'A' });
    await sleep(200);
    const hostS = await joinSession(srv.http, b.id, { key: b.hostKey });
    const progress: { phase: string; fraction: number }[] = [];
    hostS.on('cluster:progress', (p) => progress.push(p));
    const result = new Promise<ClusterSuggestions>((r) => hostS.once('cluster:result', r));

    const noKey = await fetch(`${srv.http}/api/boards/${b.id}/clusters`, { method: 'POST' });
    expect(noKey.status).toBe(401);
    const res = await fetch(`${srv.http}/api/boards/${b.id}/clusters`, { method: 'POST', headers: { authorization: `Bearer ${b.hostKey}` } });
    expect(res.status).toBe(202);
    const { jobId } = (await res.json()) as { jobId: string };
    const r = await result;
    expect(r.jobId).toBe(jobId);
    expect(progress.map((p) => p.phase)).toContain('done');
    expect(progress.length).toBeGreaterThan(2);
    expect(r.noteCount).toBe(NOTES.length);
    const texts = (ids: string[]) => ids.map((id) => host.doc.getMap<Y.Map<unknown>>('notes').get(id)?.get('text') as string);
    const entrepreneurship = r.clusters.find((c) => texts(c.noteIds).some((t) => t.startsWith('Entrepreneurship')));
    expect(entrepreneurship && texts(entrepreneurship.noteIds).some((t) => t.startsWith('Ateliers d’entrepreneuriat'))).toBe(true);
    expect(r.clusters.every((c) => !texts(c.noteIds).includes('Cours de cuisine communautaire'))).toBe(true);
    // R172: each suggestion says what joined its notes (the concept shared across languages here).
    expect(entrepreneurship?.evidence?.shared.some((t) => t.concept === 'entrepreneurship')).toBe(true);
    expect(r.clusters.every((c) => c.evidence && typeof c.evidence.weak === 'boolean')).toBe(true);

    // GET returns the same suggestions; the host accepts one into the document.
    const got = (await (await fetch(`${srv.http}/api/boards/${b.id}/clusters`, { headers: { authorization: `Bearer ${b.hostKey}` } })).json()) as { suggestions: ClusterSuggestions };
    expect(got.suggestions.jobId).toBe(jobId);
    const pick = r.clusters[0];
    if (!pick) throw new Error('no cluster suggested');
    acceptCluster(host.doc, { id: pick.id, label: pick.label, noteIds: pick.noteIds, terms: pick.terms, score: pick.score });
    await waitFor(other.doc, () => listClusters(other.doc).length === 1, 5000, 'accepted cluster at the other client');

    // A participant cannot accept clusters.
    const p = connectClient(srv.ws, b.id, { ownerSecret: 'participant-secret-000001' });
    await p.synced;
    acceptCluster(p.doc, { label: 'mine', noteIds: [], terms: [], score: 0.5 });
    await expect.poll(() => p.denials.at(-1) ?? '', { timeout: 5000 }).toMatch(/^host_only/);
    await waitFor(p.doc, () => listClusters(p.doc).length === 1, 5000, 'participant put back');
    expect(listClusters(other.doc)).toHaveLength(1);

    // Rejecting a suggestion removes it and keeps it out of the next run.
    const second = r.clusters[1];
    if (second) {
      const after = new Promise<ClusterSuggestions>((res3) => hostS.once('cluster:result', res3));
      hostS.emit('host:clusterReject', { clusterId: second.id }, () => {});
      expect((await after).clusters.some((c) => c.id === second.id)).toBe(false);
      const rerun = (await (await fetch(`${srv.http}/api/boards/${b.id}/clusters?wait=1`, { method: 'POST', headers: { authorization: `Bearer ${b.hostKey}` } })).json()) as ClusterSuggestions;
      expect(rerun.clusters.some((c) => c.id === second.id)).toBe(false);
    }
    hostS.disconnect();
    for (const c of [host, other, p]) c.destroy();
  });
});
