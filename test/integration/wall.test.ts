/**
 * The live wall end to end over the network (docs/spec.md R1–R8): real server, real SQLite, real
 * y-websocket clients.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { addNote, listNotes, listDomains, updateNote, LIMITS, CloseCode, encodeUpdate } from '@maillage/shared';
import { createBoard, startServer, type TestServer } from '../helpers/server.ts';
import { connectClient, waitFor, sleep } from '../helpers/yclient.ts';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv?.close();
});

/** Opens a raw websocket and resolves with the close code the server sends. */
function rawSocket(url: string): { ws: WebSocket; closed: Promise<number>; opened: Promise<void> } {
  const ws = new WebSocket(url);
  const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
  const opened = new Promise<void>((r, j) => {
    ws.on('open', () => r());
    ws.on('error', j);
  });
  return { ws, closed, opened };
}

describe('REST: walls', () => {
  it('R1 POST /api/boards creates a wall from the relationship-mapping template', async () => {
    const b = await createBoard(srv.http, { title: 'Webinaire 3' });
    expect(b.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(b.hostKey.length).toBeGreaterThanOrEqual(32);
    expect(b.links.participant).toBe(`/b/${b.id}`);
    expect(b.links.host.startsWith(`/b/${b.id}`)).toBe(true);
    const res = await fetch(`${srv.http}/api/boards/${b.id}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { title: string; domains: { title: { fr: string; en: string } }[]; noteCount: number };
    expect(body.title).toBe('Webinaire 3');
    expect(body.noteCount).toBe(0);
    expect(body.domains.map((d) => d.title.fr)).toEqual([
      'Mobiliser et impliquer les jeunes sous-représentés',
      "Obtenir un diplôme d'études secondaires",
      'Passer des études secondaires aux études postsecondaires',
      'Passer des études secondaires à un programme de formation',
      'Passer des études secondaires à un emploi',
      'Mentorat',
      'Autre?',
    ]);
    expect(body.domains[5]?.title.en).toBe('Mentoring');
  });

  it('R1 ids are unguessable and distinct', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 20; i++) ids.add((await createBoard(srv.http)).id);
    expect(ids.size).toBe(20);
  });

  it('R2 unknown wall and bad bodies get JSON errors', async () => {
    const missing = await fetch(`${srv.http}/api/boards/AAAAAAAAAAAAAAAAAAAAAA`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not_found');
    const pathy = await fetch(`${srv.http}/api/boards/..%2F..%2Fetc%2Fpasswd`);
    expect(pathy.status).toBe(404);
    const badJson = await fetch(`${srv.http}/api/boards`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"title": ',
    });
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as { error: { code: string } }).error.code).toBe('bad_request');
    const badTemplate = await fetch(`${srv.http}/api/boards`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ template: 'nope' }),
    });
    expect(badTemplate.status).toBe(400);
    const extra = await fetch(`${srv.http}/api/boards`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'x'.repeat(LIMITS.boardTitle + 1) }),
    });
    expect(extra.status).toBe(400);
    const huge = await fetch(`${srv.http}/api/boards`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'x'.repeat(LIMITS.restBodyBytes + 10) }),
    });
    expect(huge.status).toBe(413);
    const unknownApi = await fetch(`${srv.http}/api/nothing`);
    expect(unknownApi.status).toBe(404);
  });
});

describe('sync: two y-websocket clients', () => {
  it('R3 a note made by one client appears in the other, and moves too', async () => {
    const b = await createBoard(srv.http);
    const a = connectClient(srv.ws, b.id);
    const c = connectClient(srv.ws, b.id, { key: b.hostKey }); // moving someone else's note takes a host
    await Promise.all([a.synced, c.synced]);
    expect(listDomains(a.doc)).toHaveLength(7);
    const id = addNote(a.doc, { text: 'Ateliers de mentorat', domainId: 'mentoring', author: 'Ana', email: 'ana@example.org' });
    await waitFor(c.doc, () => listNotes(c.doc).some((n) => n.id === id), 5000, 'note on second client');
    updateNote(c.doc, id, { domainId: 'other', x: 40, y: 200 });
    await waitFor(a.doc, () => listNotes(a.doc).find((n) => n.id === id)?.domainId === 'other', 5000, 'move on first client');
    a.destroy();
    c.destroy();
  });

  it('R4 notes survive a server restart', async () => {
    const b = await createBoard(srv.http);
    const a = connectClient(srv.ws, b.id);
    await a.synced;
    const id = addNote(a.doc, { text: 'Tutorat en ligne', domainId: 'graduate-high-school', author: 'Li' });
    await sleep(100); // one event-loop turn of write-behind, plus the network
    a.destroy();
    await srv.restart();
    const c = connectClient(srv.ws, b.id);
    await c.synced;
    expect(listNotes(c.doc).map((n) => n.id)).toContain(id);
    const summary = (await (await fetch(`${srv.http}/api/boards/${b.id}`)).json()) as { noteCount: number };
    expect(summary.noteCount).toBe(1);
    c.destroy();
  });

  it('R5 a malformed frame closes only that connection; others keep syncing', async () => {
    const b = await createBoard(srv.http);
    const good1 = connectClient(srv.ws, b.id);
    const good2 = connectClient(srv.ws, b.id);
    await Promise.all([good1.synced, good2.synced]);
    const bad = rawSocket(`${srv.ws}/${b.id}`);
    await bad.opened;
    bad.ws.send(Buffer.from([0, 2, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2])); // update with absurd length
    expect(await bad.closed).toBe(CloseCode.BadMessage);
    const bad2 = rawSocket(`${srv.ws}/${b.id}`);
    await bad2.opened;
    bad2.ws.send(encodeUpdate(new Uint8Array([1, 2, 3, 4, 5, 200, 7]))); // well-framed garbage update
    expect(await bad2.closed).toBe(CloseCode.BadMessage);
    const bad3 = rawSocket(`${srv.ws}/${b.id}`);
    await bad3.opened;
    bad3.ws.send('hello'); // text frame
    expect(await bad3.closed).toBe(CloseCode.BadMessage);
    const id = addNote(good1.doc, { text: 'Still alive', domainId: 'other' });
    await waitFor(good2.doc, () => listNotes(good2.doc).some((n) => n.id === id), 5000, 'sync after bad frames');
    good1.destroy();
    good2.destroy();
  });

  it('R5 an oversized frame is refused (1009) and the wall keeps serving', async () => {
    const b = await createBoard(srv.http);
    const good = connectClient(srv.ws, b.id);
    await good.synced;
    const big = rawSocket(`${srv.ws}/${b.id}`);
    await big.opened;
    const doc = new Y.Doc();
    doc.getMap('notes').set('x', 'y'.repeat(LIMITS.wsMessageBytes + 100));
    big.ws.send(encodeUpdate(Y.encodeStateAsUpdate(doc)));
    expect(await big.closed).toBe(1009);
    const other = connectClient(srv.ws, b.id);
    await other.synced;
    const id = addNote(other.doc, { text: 'after big frame', domainId: 'other' });
    await waitFor(good.doc, () => listNotes(good.doc).some((n) => n.id === id), 5000, 'sync after big frame');
    expect(good.doc.getMap('notes').has('x')).toBe(false);
    good.destroy();
    other.destroy();
  });

  it('R2 an unknown or malformed wall id closes with 4404', async () => {
    const s = rawSocket(`${srv.ws}/AAAAAAAAAAAAAAAAAAAAAA`);
    expect(await s.closed).toBe(CloseCode.NotFound);
    const p = rawSocket(`${srv.ws}/..%2Fsecret`);
    expect(await p.closed).toBe(CloseCode.NotFound);
  });

  it('R6 a wall nobody is connected to is unloaded from memory', async () => {
    const b = await createBoard(srv.http);
    const a = connectClient(srv.ws, b.id);
    await a.synced;
    expect(srv.server.rooms.peek(b.id as never)).toBeDefined();
    a.destroy();
    await sleep(600); // roomIdleMs is 200 in tests
    expect(srv.server.rooms.peek(b.id as never)).toBeUndefined();
  });
});
