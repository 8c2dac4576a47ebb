/**
 * Snapshots over the REST API with real y-websocket and socket.io clients (docs/spec.md R24–R26):
 * save, list, look back in time, restore (received live, undoable), end of session, and the
 * periodic automatic snapshots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addNote,
  deleteNote,
  listDomains,
  listNotes,
  ownerIdFromSecret,
  updateDomain,
  updateNote,
  type RestoreResult,
  type SessionState,
  type SnapshotInfo,
  type SnapshotView,
} from '@maillage/shared';
import { createBoard, startServer, type TestServer } from '../helpers/server.ts';
import { connectClient, sleep, waitFor } from '../helpers/yclient.ts';
import { call, joinSession } from '../helpers/session.ts';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv?.close();
});

const SECRET = 'secret-of-the-snapshot-participant';

async function api<T = unknown>(base: string, method: string, path: string, key?: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(base + path, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

const texts = (doc: Y.Doc) => listNotes(doc).map((n) => n.text).sort();

async function storedTexts(boardId: string): Promise<string[]> {
  const { updates } = await srv.server.store.loadUpdates(boardId as never);
  const doc = new Y.Doc();
  updates.forEach((u) => Y.applyUpdate(doc, u));
  return texts(doc);
}

describe('snapshots', () => {
  it('R24 a host saves named snapshots; the list shows name, time and note count; review may list and view them', async () => {
    const b = await createBoard(srv.http, { title: 'Séance du 12' });
    const host = connectClient(srv.ws, b.id, { key: b.hostKey });
    await host.synced;
    addNote(host.doc, { text: 'Mentorat par les pairs', domainId: 'mentoring', author: 'Léa', email: 'lea@cje.example', org: 'CJE' });
    addNote(host.doc, { text: 'Stages d’été', domainId: 'hs-to-employment', author: 'Marc', email: 'marc@cegep.example', org: 'Cégep' });
    await sleep(100);

    const before = Date.now();
    const first = await api<SnapshotInfo>(srv.http, 'POST', `/api/boards/${b.id}/snapshots`, b.hostKey, { name: 'Pause' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ name: 'Pause', kind: 'manual', noteCount: 2 });
    expect(first.body.createdAt).toBeGreaterThanOrEqual(before);

    // Only hosts save; a name is required.
    expect((await api(srv.http, 'POST', `/api/boards/${b.id}/snapshots`, undefined, { name: 'x' })).status).toBe(401);
    expect((await api(srv.http, 'POST', `/api/boards/${b.id}/snapshots`, b.reviewKey, { name: 'x' })).status).toBe(403);
    expect((await api(srv.http, 'POST', `/api/boards/${b.id}/snapshots`, b.hostKey, { name: '  ' })).status).toBe(400);

    addNote(host.doc, { text: 'Aide aux devoirs', domainId: 'graduate-high-school', author: 'Zoé', email: 'zoe@ecole.example' });
    await sleep(50);
    const second = await api<SnapshotInfo>(srv.http, 'POST', `/api/boards/${b.id}/snapshots`, b.hostKey, { name: 'Fin' });
    expect(second.body.noteCount).toBe(3);

    const list = await api<SnapshotInfo[]>(srv.http, 'GET', `/api/boards/${b.id}/snapshots`, b.hostKey);
    expect(list.status).toBe(200);
    expect(list.body.map((s) => [s.name, s.noteCount])).toEqual([
      ['Fin', 3],
      ['Pause', 2],
    ]);
    expect(list.body.every((s) => typeof s.createdAt === 'number')).toBe(true);
    expect((await api(srv.http, 'GET', `/api/boards/${b.id}/snapshots`)).status).toBe(401);
    expect((await api<SnapshotInfo[]>(srv.http, 'GET', `/api/boards/${b.id}/snapshots`, b.reviewKey)).body).toHaveLength(2);

    // Time travel: the first snapshot holds the first two notes. Review sees no email until allowed.
    const asHost = await api<SnapshotView>(srv.http, 'GET', `/api/boards/${b.id}/snapshots/${first.body.id}`, b.hostKey);
    expect(asHost.body.snapshot.name).toBe('Pause');
    expect(asHost.body.wall.title).toBe('Séance du 12');
    expect(asHost.body.wall.notes.map((n) => n.text).sort()).toEqual(['Mentorat par les pairs', 'Stages d’été']);
    expect(asHost.body.wall.notes.map((n) => n.email).sort()).toEqual(['lea@cje.example', 'marc@cegep.example']);
    expect(asHost.body.wall.domains.length).toBe(7);
    const asReview = await api<SnapshotView>(srv.http, 'GET', `/api/boards/${b.id}/snapshots/${first.body.id}?k=${b.reviewKey}`);
    expect(asReview.status).toBe(200);
    expect(asReview.body.wall.notes.every((n) => n.email === '')).toBe(true);
    const hostS = await joinSession(srv.http, b.id, { key: b.hostKey });
    expect((await call(hostS, 'host:settings', { reviewShowsEmails: true })).ok).toBe(true);
    const allowed = await api<SnapshotView>(srv.http, 'GET', `/api/boards/${b.id}/snapshots/${first.body.id}`, b.reviewKey);
    expect(allowed.body.wall.notes.map((n) => n.email).sort()).toEqual(['lea@cje.example', 'marc@cegep.example']);

    expect((await api(srv.http, 'GET', `/api/boards/${b.id}/snapshots/AAAAAAAAAAAA`, b.hostKey)).status).toBe(404);
    expect((await api(srv.http, 'GET', `/api/boards/${b.id}/snapshots/..%2F..`, b.hostKey)).status).toBe(404);
    hostS.disconnect();
    host.destroy();
  });

  it('R25 restoring a snapshot reaches live clients as a normal change, after a backup snapshot that undoes it', async () => {
    const b = await createBoard(srv.http);
    const host = connectClient(srv.ws, b.id, { key: b.hostKey });
    const part = connectClient(srv.ws, b.id, { ownerSecret: SECRET });
    await Promise.all([host.synced, part.synced]);
    const a = addNote(part.doc, { text: 'Club de lecture', domainId: 'engage-youth', ownerId: ownerIdFromSecret(SECRET) });
    const bId = addNote(host.doc, { text: 'Tutorat', domainId: 'mentoring' });
    await waitFor(host.doc, () => listNotes(host.doc).length === 2, 5000, 'both notes at the host');
    const v1 = await api<SnapshotInfo>(srv.http, 'POST', `/api/boards/${b.id}/snapshots`, b.hostKey, { name: 'v1' });

    // Everything that happens after the snapshot: an edit, a deletion, a new note, a renamed domain.
    updateNote(part.doc, a, { text: 'Club de lecture (jeudis)' });
    deleteNote(host.doc, bId);
    addNote(part.doc, { text: 'Foire de l’emploi', domainId: 'hs-to-employment', ownerId: ownerIdFromSecret(SECRET) });
    updateDomain(host.doc, 'mentoring', { title: { fr: 'Mentorat renommé', en: 'Renamed' } });
    await waitFor(host.doc, () => texts(host.doc).join('|') === 'Club de lecture (jeudis)|Foire de l’emploi', 5000, 'changes at the host');
    await waitFor(part.doc, () => listDomains(part.doc).some((d) => d.title.fr === 'Mentorat renommé'), 5000, 'rename at the participant');

    const restored = await api<RestoreResult>(srv.http, 'POST', `/api/boards/${b.id}/snapshots/${v1.body.id}/restore`, b.hostKey);
    expect(restored.status).toBe(200);
    expect(restored.body.restored.id).toBe(v1.body.id);
    expect(restored.body.backup).toMatchObject({ kind: 'restore', noteCount: 2 });

    // Both live clients receive the restore; the participant keeps their (restored) note's ownership.
    for (const c of [host, part]) {
      await waitFor(c.doc, () => texts(c.doc).join('|') === 'Club de lecture|Tutorat', 5000, 'restored notes');
      await waitFor(c.doc, () => listDomains(c.doc).find((d) => d.id === 'mentoring')?.title.fr === 'Mentorat', 5000, 'restored domain');
    }
    expect(listNotes(part.doc).find((n) => n.id === a)?.ownerId).toBe(ownerIdFromSecret(SECRET));
    expect(await storedTexts(b.id)).toEqual(['Club de lecture', 'Tutorat']);
    // The participant can still edit their note afterwards (the server accepts it).
    updateNote(part.doc, a, { text: 'Club de lecture (mardis)' });
    await waitFor(host.doc, () => texts(host.doc).includes('Club de lecture (mardis)'), 5000, 'edit after restore');

    // Nothing is lost: restoring the backup brings back what the restore replaced.
    const undo = await api<RestoreResult>(srv.http, 'POST', `/api/boards/${b.id}/snapshots/${restored.body.backup.id}/restore`, b.hostKey);
    expect(undo.status).toBe(200);
    await waitFor(part.doc, () => texts(part.doc).join('|') === 'Club de lecture (jeudis)|Foire de l’emploi', 5000, 'undone restore');
    await waitFor(part.doc, () => listDomains(part.doc).some((d) => d.title.fr === 'Mentorat renommé'), 5000, 'undone rename');

    const kinds = (await api<SnapshotInfo[]>(srv.http, 'GET', `/api/boards/${b.id}/snapshots`, b.hostKey)).body.map((s) => s.kind);
    expect(kinds.filter((k) => k === 'restore')).toHaveLength(2);
    expect((await api(srv.http, 'POST', `/api/boards/${b.id}/snapshots/${v1.body.id}/restore`, b.reviewKey)).status).toBe(403);
    expect((await api(srv.http, 'POST', `/api/boards/${b.id}/snapshots/AAAAAAAAAAAA/restore`, b.hostKey)).status).toBe(404);
    host.destroy();
    part.destroy();
  });

  it('R25 a restore of a wall nobody has open is stored and seen by the next client', async () => {
    const b = await createBoard(srv.http);
    const host = connectClient(srv.ws, b.id, { key: b.hostKey });
    await host.synced;
    addNote(host.doc, { text: 'Avant', domainId: 'other' });
    await sleep(100);
    const snap = await api<SnapshotInfo>(srv.http, 'POST', `/api/boards/${b.id}/snapshots`, b.hostKey, { name: 'avant' });
    addNote(host.doc, { text: 'Après', domainId: 'other' });
    await sleep(100);
    host.destroy();
    await sleep(400); // ROOM_IDLE_MS is 200 in tests: the wall unloads
    expect((await api(srv.http, 'POST', `/api/boards/${b.id}/snapshots/${snap.body.id}/restore`, b.hostKey)).status).toBe(200);
    expect(await storedTexts(b.id)).toEqual(['Avant']);
    const next = connectClient(srv.ws, b.id);
    await next.synced;
    expect(texts(next.doc)).toEqual(['Avant']);
    next.destroy();
  });

  it('R26 ending the session locks the wall and takes an end snapshot', async () => {
    const b = await createBoard(srv.http);
    const hostS = await joinSession(srv.http, b.id, { key: b.hostKey });
    const part = await joinSession(srv.http, b.id, { ownerSecret: SECRET });
    expect((await call(part, 'host:endSession', {})).ok).toBe(false);
    const locked = new Promise<SessionState>((r) => part.on('session:state', (s) => s.locked && r(s)));
    const res = await call(hostS, 'host:endSession', {});
    expect(res.ok).toBe(true);
    if (res.ok) expect(res.snapshot).toMatchObject({ kind: 'end', noteCount: 0 });
    expect((await locked).locked).toBe(true);
    const list = await api<SnapshotInfo[]>(srv.http, 'GET', `/api/boards/${b.id}/snapshots`, b.hostKey);
    expect(list.body.map((s) => s.kind)).toEqual(['end']);
    hostS.disconnect();
    part.disconnect();
  });

  it('R26 automatic snapshots are taken periodically, only for walls that changed since their last one', async () => {
    const auto = await startServer({ snapshotIntervalMs: 150 });
    try {
      const busy = await createBoard(auto.http);
      const idle = await createBoard(auto.http);
      const c1 = connectClient(auto.ws, busy.id, { key: busy.hostKey });
      const c2 = connectClient(auto.ws, idle.id, { key: idle.hostKey });
      await Promise.all([c1.synced, c2.synced]);
      const autos = async (id: string, key: string) =>
        (await api<SnapshotInfo[]>(auto.http, 'GET', `/api/boards/${id}/snapshots`, key)).body.filter((s) => s.kind === 'auto');
      const until = async (id: string, key: string, n: number) => {
        const start = Date.now();
        while ((await autos(id, key)).length < n) {
          if (Date.now() - start > 5000) throw new Error(`expected ${n} automatic snapshots`);
          await sleep(50);
        }
      };
      addNote(c1.doc, { text: 'Première', domainId: 'other' });
      await until(busy.id, busy.hostKey, 1);
      await sleep(500); // several rounds without change: no new snapshot
      expect(await autos(busy.id, busy.hostKey)).toHaveLength(1);
      addNote(c1.doc, { text: 'Deuxième', domainId: 'other' });
      await until(busy.id, busy.hostKey, 2);
      expect((await autos(busy.id, busy.hostKey))[0]?.noteCount).toBe(2);
      expect(await autos(idle.id, idle.hostKey)).toHaveLength(0);
      c1.destroy();
      c2.destroy();
    } finally {
      await auto.close();
    }
  });
});
