/**
 * Walls that hold records nothing should have written (docs/spec.md R58–R59): every REST path —
 * summary, exports, snapshots (save, list, time travel, restore), clustering, end of session,
 * import — answers without a 500, lists every note the wall shows, and logs what it left out by
 * wall, root, key and reason only.
 *
 * The write rules refuse such records over the wire, so the bad walls are built by appending a
 * crafted Yjs update straight to the store before the wall is loaded.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { PDFParse } from 'pdf-parse';
import { addNote, readWall, type BoardId, type ClusterSuggestions, type SnapshotInfo, type SnapshotView, type WallExport } from '@maillage/shared';
import { createBoard, startServer, type TestServer } from '../helpers/server.ts';
import { connectClient, waitFor } from '../helpers/yclient.ts';
import { call, joinSession } from '../helpers/session.ts';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv?.close();
});

const SECRET_TEXT = 'Texte confidentiel de Zoé';
const SECRET_EMAIL = 'zoe.secret@example.org';

async function api<T>(method: string, path: string, key?: string, body?: unknown): Promise<{ status: number; body: T; text: string }> {
  const res = await fetch(`${srv.http}${path}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed as T, text };
}

function ymap(fields: Record<string, unknown>): Y.Map<unknown> {
  const m = new Y.Map<unknown>();
  for (const [k, v] of Object.entries(fields)) m.set(k, v);
  return m;
}

/**
 * A wall whose stored log holds, besides one honest note: a string and a Y.Array as notes, a note
 * without text, a stock y-websocket client's note (no ownerId/org), a note whose domain is gone,
 * a string as a connector, a connector to a missing note, clusters with bad noteIds and a string
 * as a domain. Returns the ids of the notes the wall shows.
 */
async function badWall(): Promise<{ id: BoardId; hostKey: string; reviewKey: string; good: string; shown: string[] }> {
  const b = await createBoard(srv.http, { template: 'relationship-mapping' });
  const id = b.id as BoardId;
  const store = srv.server.store;
  const doc = new Y.Doc();
  for (const u of (await store.loadUpdates(id)).updates) Y.applyUpdate(doc, u);
  const before = Y.encodeStateVector(doc);
  const good = addNote(doc, { text: SECRET_TEXT, domainId: 'mentoring', author: 'Zoé', email: SECRET_EMAIL, org: 'Org' });
  doc.transact(() => {
    const notes = doc.getMap<unknown>('notes');
    notes.set('str', `${SECRET_TEXT} as a plain string`);
    notes.set('arr', new Y.Array());
    notes.set('notext', ymap({ author: 'Zoé', email: SECRET_EMAIL, domainId: 'other', createdAt: 2 }));
    notes.set('stock', ymap({ text: 'Note from a stock client', author: 'Sam', email: 'sam@example.org', domainId: 'other', x: 10, y: 20, color: '#fff59d', createdAt: 3 }));
    notes.set('orphan', ymap({ text: 'Note whose domain is gone', author: 'Lou', email: '', org: '', domainId: 'gone-domain', x: 0, y: 0, color: '#fff59d', createdAt: 4, ownerId: '' }));
    const relations = doc.getMap<unknown>('relations');
    relations.set('rstr', 'a connector as a string');
    relations.set('rdangling', ymap({ from: good, to: 'missing-note', label: '', ownerId: '', createdAt: 1 }));
    relations.set('rgood', ymap({ from: good, to: 'stock', label: 'ok', ownerId: '', createdAt: 1 }));
    const clusters = doc.getMap<unknown>('clusters');
    clusters.set('cbad', ymap({ label: 'bad', noteIds: 'not-a-list', terms: [], score: 0.5, createdAt: 1 }));
    clusters.set('cmixed', ymap({ label: 'mixed', noteIds: [good, 7, 'stock', 'missing-note'], terms: [], score: 0.9, createdAt: 1 }));
    doc.getMap<unknown>('domains').set('dstr', 'a domain as a string');
  });
  await store.appendUpdates(id, [Y.encodeStateAsUpdate(doc, before)]);
  doc.destroy();
  return { id, hostKey: b.hostKey, reviewKey: b.reviewKey, good, shown: [good, 'stock', 'orphan'].sort() };
}

/** Every warning the server logs while `fn` runs, as JSON strings. */
async function warnings<T>(fn: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  const spy = vi.spyOn(srv.server.log, 'warn');
  try {
    const result = await fn();
    return { result, lines: spy.mock.calls.map((c) => JSON.stringify(c)) };
  } finally {
    spy.mockRestore();
  }
}

function expectPrivate(lines: string[]): void {
  const all = lines.join('\n');
  for (const secret of ['Zoé', 'zoe.secret', 'confidentiel', 'Sam', 'sam@example', 'a connector as a string', 'a domain as a string']) {
    expect(all).not.toContain(secret);
  }
}

describe('walls holding bad records (R58, R59)', () => {
  it('R58 GET /api/boards/:id answers with every note the wall shows, and logs what it skipped', async () => {
    const w = await badWall();
    const { result, lines } = await warnings(() => api<{ noteCount: number; domains: { id: string }[] }>('GET', `/api/boards/${w.id}`));
    expect(result.status).toBe(200);
    expect(result.body.noteCount).toBe(3);
    expect(result.body.domains.map((d) => d.id)).not.toContain('dstr');
    const logged = lines.join('\n');
    for (const key of ['str', 'arr', 'notext', 'dstr']) expect(logged).toContain(`"record":"${key}"`);
    expect(logged).toContain('not a map (string)');
    expectPrivate(lines);
  });

  it('R58 R59 CSV, JSON and PDF exports list every note the wall shows (stock client notes, notes without a domain)', async () => {
    const w = await badWall();
    const { result: json, lines } = await warnings(() => api<WallExport>('GET', `/api/boards/${w.id}/export.json`, w.hostKey));
    expect(json.status).toBe(200);
    expect(json.body.notes.map((n) => n.id).sort()).toEqual(w.shown);
    expect(json.body.notes.find((n) => n.id === 'stock')).toMatchObject({ ownerId: '', org: '', author: 'Sam' });
    expect(json.body.relations.map((r) => r.id)).toEqual(['rgood']);
    expect(json.body.clusters.map((c) => [c.id, c.noteIds.slice().sort()])).toEqual([['cmixed', [w.good, 'stock'].sort()]]);
    expectPrivate(lines.filter((l) => !l.includes('"level"'))); // warnings only (the body is the export itself)
    for (const key of ['rstr', 'rdangling', 'cbad']) expect(lines.join('\n')).toContain(`"record":"${key}"`);

    const csv = await api<string>('GET', `/api/boards/${w.id}/export.csv?lang=fr`, w.hostKey);
    expect(csv.status).toBe(200);
    const rows = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(rows).toHaveLength(1 + 3);
    expect(csv.text).toContain('Note from a stock client');
    expect(rows.find((r) => r.includes('Note whose domain is gone'))).toMatch(/^Sans domaine,/);
    const csvEn = await api<string>('GET', `/api/boards/${w.id}/export.csv?lang=en`, w.hostKey);
    expect(csvEn.text).toContain('No domain,Note whose domain is gone');

    const pdfRes = await fetch(`${srv.http}/api/boards/${w.id}/export.pdf?lang=fr`, { headers: { authorization: `Bearer ${w.hostKey}` } });
    expect(pdfRes.status).toBe(200);
    const parser = new PDFParse({ data: new Uint8Array(await pdfRes.arrayBuffer()) });
    const text = (await parser.getText()).text;
    await parser.destroy();
    expect(text).toContain('Note from a stock client');
    expect(text).toContain('Note whose domain is gone');
    expect(text).toContain('Sans domaine');
  });

  it('R58 snapshots: save, list, time travel and restore work on a bad wall; restore keeps only what the wall shows', async () => {
    const w = await badWall();
    const saved = await api<SnapshotInfo>('POST', `/api/boards/${w.id}/snapshots`, w.hostKey, { name: 'avant' });
    expect(saved.status).toBe(201);
    expect(saved.body.noteCount).toBe(3);
    const list = await api<SnapshotInfo[]>('GET', `/api/boards/${w.id}/snapshots`, w.hostKey);
    expect(list.status).toBe(200);
    expect(list.body.map((s) => s.id)).toEqual([saved.body.id]);
    const view = await api<SnapshotView>('GET', `/api/boards/${w.id}/snapshots/${saved.body.id}`, w.hostKey);
    expect(view.status).toBe(200);
    expect(view.body.wall.notes.map((n) => n.id).sort()).toEqual(w.shown);

    // A client connected during the restore keeps syncing and ends up with the wall as shown.
    const client = connectClient(srv.ws, w.id, { key: w.hostKey });
    try {
      await client.synced;
      const { result: restored, lines } = await warnings(() => api<{ restored: SnapshotInfo; backup: SnapshotInfo }>('POST', `/api/boards/${w.id}/snapshots/${saved.body.id}/restore`, w.hostKey));
      expect(restored.status).toBe(200);
      expect(restored.body.backup.noteCount).toBe(3);
      expectPrivate(lines);
      const live = srv.server.rooms.peek(w.id);
      expect(live).toBeDefined();
      const read = readWall(live!.doc);
      expect(read.notes.map((n) => n.id).sort()).toEqual(w.shown);
      expect(read.problems).toEqual([]);
      await waitFor(client.doc, () => !client.doc.getMap('notes').has('str'), 5000, 'the restore to reach the client');
      expect(readWall(client.doc).notes.map((n) => n.id).sort()).toEqual(w.shown);
    } finally {
      client.destroy();
    }
  });

  it('R58 clustering (REST and its job) and the end of the session run on a bad wall', async () => {
    const w = await badWall();
    const clusters = await api<ClusterSuggestions>('POST', `/api/boards/${w.id}/clusters?wait=1`, w.hostKey);
    expect(clusters.status).toBe(200);
    expect(clusters.body.noteCount).toBe(3);
    const host = await joinSession(srv.http, w.id, { key: w.hostKey });
    try {
      const res = await call(host, 'host:endSession', {});
      expect(res.ok).toBe(true);
      if (res.ok) expect(res.snapshot).toMatchObject({ kind: 'end', noteCount: 3 });
    } finally {
      host.disconnect();
    }
  });

  it('R59 a JSON export with notes whose domain is gone re-imports: those notes land in a "Sans domaine" column', async () => {
    const w = await badWall();
    const json = await api<WallExport>('GET', `/api/boards/${w.id}/export.json`, w.hostKey);
    const imported = await api<{ id: string }>('POST', '/api/boards/import', undefined, json.body);
    expect(imported.status).toBe(201);
    const copy = await api<WallExport>('GET', `/api/boards/${imported.body.id}/export.json`, (imported.body as unknown as { hostKey: string }).hostKey);
    expect(copy.body.notes.map((n) => n.id).sort()).toEqual(w.shown);
    const home = copy.body.domains.find((d) => d.title.fr === 'Sans domaine');
    expect(home).toBeDefined();
    expect(copy.body.notes.find((n) => n.id === 'orphan')?.domainId).toBe(home?.id);
    // Hostile import bodies are refused with a 400, never a 500.
    for (const body of [{ ...json.body, notes: ['a string'] }, { ...json.body, domains: 'x' }, [], 'text', { format: 'maillage-wall' }]) {
      const res = await api('POST', '/api/boards/import', undefined, body);
      expect(res.status).toBe(400);
    }
  });
});

describe('notes from a stock y-websocket client (R59)', () => {
  it('R59 a note written over the wire with only the documented fields is in the summary, every export, snapshots and clustering', async () => {
    const b = await createBoard(srv.http, { template: 'relationship-mapping' });
    // A stock client: no device secret, no key, writing the documented fields by hand.
    const stock = connectClient(srv.ws, b.id);
    const host = connectClient(srv.ws, b.id, { key: b.hostKey });
    try {
      await Promise.all([stock.synced, host.synced]);
      stock.doc.transact(() => {
        for (const [i, text] of ['Mentorat par les pairs', 'Tutorat entre élèves'].entries()) {
          stock.doc.getMap<Y.Map<unknown>>('notes').set(`stock-${i}`, ymap({ text, author: 'Sam', email: 'sam@example.org', domainId: 'mentoring', x: 10, y: 20 + i * 130, color: '#fff59d', createdAt: Date.now() }));
        }
      });
      await waitFor(host.doc, () => host.doc.getMap('notes').size === 2, 5000, 'the stock notes at the host');
      await new Promise((r) => setTimeout(r, 100)); // stored
      const summary = await api<{ noteCount: number }>('GET', `/api/boards/${b.id}`);
      expect(summary.body.noteCount).toBe(2);
      const json = await api<WallExport>('GET', `/api/boards/${b.id}/export.json`, b.hostKey);
      expect(json.body.notes.map((n) => n.id).sort()).toEqual(['stock-0', 'stock-1']);
      const csv = await api<string>('GET', `/api/boards/${b.id}/export.csv`, b.hostKey);
      expect(csv.text).toContain('Tutorat entre élèves');
      const snap = await api<SnapshotInfo>('POST', `/api/boards/${b.id}/snapshots`, b.hostKey, { name: 's' });
      expect(snap.body.noteCount).toBe(2);
      const clusters = await api<ClusterSuggestions>('POST', `/api/boards/${b.id}/clusters?wait=1`, b.hostKey);
      expect(clusters.body.noteCount).toBe(2);
    } finally {
      stock.destroy();
      host.destroy();
    }
  });
});
