/**
 * The contact store from the server's side (issue 13, docs/spec.md R84–R89): validation and the
 * "never widen" rule, REST per role, private notes without emails, walls and snapshots written
 * before issue 13, imports, and the retention period after the end of the session. Real server,
 * real SQLite, real socket.io and y-websocket clients.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addNote, initBoard, listNotes, ownerIdFromSecret, randomToken, roots, type BoardId, type WallExport } from '@maillage/shared';
import { createBoard, startServer, type TestServer } from '../helpers/server.ts';
import { connectClient, sleep, waitFor } from '../helpers/yclient.ts';
import { call, joinSession } from '../helpers/session.ts';
import { dataDirHits, pollUntilNone } from '../helpers/personal-store.ts';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer({ contactSweepMs: 0 });
});
afterAll(async () => {
  await srv?.close();
});

const tag = () => randomToken(16).replace(/[^A-Za-z0-9]/g, 'x').toLowerCase();
const get = (path: string, key?: string) => fetch(srv.http + path, { headers: key ? { authorization: `Bearer ${key}` } : {} });
const contactsOf = (id: string) => srv.server.store.listContacts(id as BoardId);

describe('contact store (issue 13)', () => {
  it('R84 R89 contact:set validates (the message never quotes the email), needs a device secret, and is refused to review links', async () => {
    const b = await createBoard(srv.http);
    const secret = `secret-${tag()}`;
    const p = await joinSession(srv.http, b.id, { ownerSecret: secret });
    const bad = await call(p, 'contact:set', { email: 'not an email <x@y>', share: 'review' });
    expect(bad.ok).toBe(false);
    expect(JSON.stringify(bad)).not.toContain('not an email');
    expect((await call(p, 'contact:set', { email: 'a@b.example', share: 'everyone' as never })).ok).toBe(false);
    const ok = await call(p, 'contact:set', { email: ' me@set.example ', share: 'participants' });
    expect(ok).toMatchObject({ ok: true, contact: { email: 'me@set.example', share: 'participants' } });
    expect((await contactsOf(b.id)).map((c) => [c.ownerId, c.email, c.share])).toEqual([[ownerIdFromSecret(secret), 'me@set.example', 'participants']]);
    const anon = await joinSession(srv.http, b.id);
    expect(await call(anon, 'contact:set', { email: 'x@y.example', share: 'review' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    const review = await joinSession(srv.http, b.id, { key: b.reviewKey });
    expect(await call(review, 'contact:set', { email: 'x@y.example', share: 'review' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    for (const s of [p, anon, review]) s.disconnect();
  });

  it('R84 an email written on a note never widens the person’s choice; a new person gets review; the document keeps none', async () => {
    const b = await createBoard(srv.http);
    const t = tag();
    const secret = `secret-${t}`;
    const owner = ownerIdFromSecret(secret);
    const s = await joinSession(srv.http, b.id, { ownerSecret: secret });
    expect((await call(s, 'contact:set', { email: `first.${t}@x.example`, share: 'hosts' })).ok).toBe(true);
    const c = connectClient(srv.ws, b.id, { ownerSecret: secret });
    await c.synced;
    addNote(c.doc, { text: 'n', domainId: 'mentoring', author: 'A', email: `second.${t}@x.example`, ownerId: owner });
    await expect.poll(async () => (await contactsOf(b.id)).map((x) => [x.email, x.share]), { timeout: 3000 }).toEqual([[`second.${t}@x.example`, 'hosts']]);
    // Someone the store never saw: the default choice.
    const other = connectClient(srv.ws, b.id, { ownerSecret: `other-${t}` });
    await other.synced;
    addNote(other.doc, { text: 'o', domainId: 'mentoring', author: 'O', email: `other.${t}@x.example`, ownerId: ownerIdFromSecret(`other-${t}`) });
    await expect.poll(async () => (await contactsOf(b.id)).find((x) => x.email === `other.${t}@x.example`)?.share, { timeout: 3000 }).toBe('review');
    await waitFor(c.doc, () => listNotes(c.doc).length === 2);
    await expect.poll(() => JSON.stringify(roots(c.doc).notes.toJSON()).includes('@x.example'), { timeout: 3000 }).toBe(false);
    c.destroy();
    other.destroy();
    s.disconnect();
  });

  it('R85 GET /contacts: host all with their choice, review only those allowed and only with permission, participant link 403', async () => {
    const b = await createBoard(srv.http);
    const t = tag();
    const people = [
      ['hosts', `h.${t}@x.example`],
      ['review', `r.${t}@x.example`],
      ['participants', `p.${t}@x.example`],
    ] as const;
    const sockets = [];
    for (const [share, email] of people) {
      const s = await joinSession(srv.http, b.id, { ownerSecret: `s-${share}-${t}` });
      expect((await call(s, 'contact:set', { email, share })).ok).toBe(true);
      sockets.push(s);
    }
    const emails = async (key?: string) => {
      const res = await get(`/api/boards/${b.id}/contacts`, key);
      return { status: res.status, emails: res.status === 200 ? ((await res.json()) as { contacts: { email: string }[] }).contacts.map((c) => c.email).sort() : [] };
    };
    expect(await emails(b.hostKey)).toEqual({ status: 200, emails: people.map(([, e]) => e).sort() });
    expect(await emails(b.reviewKey)).toEqual({ status: 200, emails: [] });
    expect((await emails()).status).toBe(403);
    const host = await joinSession(srv.http, b.id, { key: b.hostKey });
    expect((await call(host, 'host:settings', { reviewShowsEmails: true })).ok).toBe(true);
    expect(await emails(b.reviewKey)).toEqual({ status: 200, emails: [`p.${t}@x.example`, `r.${t}@x.example`] });
    for (const s of [...sockets, host]) s.disconnect();
  });

  it('R84 a private note written with an email keeps none: the email goes to the contact store', async () => {
    const b = await createBoard(srv.http);
    const t = tag();
    const host = await joinSession(srv.http, b.id, { key: b.hostKey });
    expect((await call(host, 'host:private', { enabled: true })).ok).toBe(true);
    const p = await joinSession(srv.http, b.id, { ownerSecret: `priv-${t}` });
    const added = await call(p, 'private:add', { text: 'privé', domainId: 'mentoring', author: 'P', email: `priv.${t}@x.example` });
    expect(added.ok).toBe(true);
    const rows = await srv.server.store.listSessionRecords(b.id as BoardId, { kind: 'private' });
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(`priv.${t}`);
    expect((await contactsOf(b.id)).map((c) => c.email)).toEqual([`priv.${t}@x.example`]);
    host.disconnect();
    p.disconnect();
  });

  it('R84 a note held while the wall is locked keeps no email: it goes to the contact store, and the note is posted without it', async () => {
    const t = tag();
    const b = await createBoard(srv.http);
    const id = b.id as BoardId;
    const secret = `held-${t}`;
    const owner = ownerIdFromSecret(secret);
    const host = await joinSession(srv.http, b.id, { key: b.hostKey });
    expect((await call(host, 'host:lock', { locked: true })).ok).toBe(true);
    const c = connectClient(srv.ws, b.id, { ownerSecret: secret });
    await c.synced;
    const noteId = addNote(c.doc, { text: `retenue ${t}`, domainId: 'mentoring', author: 'H', email: `held.${t}@x.example`, ownerId: owner });
    await expect.poll(async () => (await srv.server.store.listSessionRecords(id, { kind: 'held' })).length, { timeout: 3000 }).toBe(1);
    expect(JSON.stringify(await srv.server.store.listSessionRecords(id, { kind: 'held' }))).not.toContain(`held.${t}`);
    expect((await contactsOf(id)).map((x) => [x.ownerId, x.email])).toEqual([[owner, `held.${t}@x.example`]]);
    expect((await call(host, 'host:lock', { locked: false })).ok).toBe(true);
    const watcher = connectClient(srv.ws, b.id, { key: b.hostKey });
    await watcher.synced;
    await waitFor(watcher.doc, () => roots(watcher.doc).notes.has(noteId), 3000, 'held note posted');
    expect(JSON.stringify(roots(watcher.doc).notes.toJSON())).not.toContain(`held.${t}`);
    c.destroy();
    watcher.destroy();
    host.disconnect();
  });

  it('R87 a wall and snapshots written before issue 13: emails move to the contact store (the live wall’s win), then no snapshot holds one', async () => {
    const t = tag();
    const b = await createBoard(srv.http);
    const id = b.id as BoardId;
    // Written as an old server did: emails on the notes, in the log and in a snapshot.
    const doc = new Y.Doc();
    Y.applyUpdate(doc, (await srv.server.store.loadUpdates(id)).updates[0]!);
    const live = addNote(doc, { text: 'live', domainId: 'mentoring', author: 'L', email: `live.${t}@old.example`, ownerId: 'owner-live' });
    addNote(doc, { text: 'gone since', domainId: 'mentoring', author: 'G', email: `gone.${t}@old.example`, ownerId: 'owner-gone' });
    await srv.server.store.saveSnapshot({ id: 'AAAAAAAAAAAAAAAAAAAAAA' as never, boardId: id, name: 'old', kind: 'manual', createdAt: 1, noteCount: 2 }, Y.encodeStateAsUpdate(doc));
    roots(doc).notes.delete(listNotes(doc).find((n) => n.id !== live)!.id);
    roots(doc).notes.get(live)?.set('email', `live-new.${t}@old.example`);
    await srv.server.store.compact(id, Y.encodeStateAsUpdate(doc), (await srv.server.store.loadUpdates(id)).lastSeq);
    const room = await srv.server.rooms.get(id);
    srv.server.rooms.release(room!);
    await srv.server.erasure.idle();
    expect((await contactsOf(id)).map((c) => [c.ownerId, c.email, c.share])).toEqual([
      ['owner-gone', `gone.${t}@old.example`, 'review'],
      ['owner-live', `live-new.${t}@old.example`, 'review'],
    ]);
    // The contact store holds them now; the log and the snapshot no longer do.
    await expect.poll(async () => (await srv.server.store.loadUpdates(id)).updates.some((u) => Buffer.from(u).includes('old.example')), { timeout: 3000 }).toBe(false);
    const snap = await srv.server.store.getSnapshot(id, 'AAAAAAAAAAAAAAAAAAAAAA' as never);
    expect(Buffer.from(snap!.state).includes('old.example')).toBe(false);
  });

  it('R29 R84 an imported wall keeps its emails in the contact store (an author id is made for notes without one), none in the document; exporting again gives them back', async () => {
    const t = tag();
    const d = new Y.Doc();
    initBoard(d, { title: `Import ${t}`, template: 'relationship-mapping' });
    const wall: WallExport = {
      format: 'maillage-wall',
      version: 1,
      title: `Import ${t}`,
      template: 'relationship-mapping',
      createdAt: 1,
      domains: [{ id: 'mentoring', title: { fr: 'Mentorat', en: 'Mentoring' }, order: 0, color: '#ffffff' }],
      notes: [
        { id: 'n1', text: 'avec auteur', author: 'A', email: `a.${t}@imp.example`, org: 'O', domainId: 'mentoring', x: 0, y: 0, color: '#fff59d', createdAt: 1, ownerId: 'owner-a' },
        { id: 'n2', text: 'sans auteur', author: 'B', email: `b.${t}@imp.example`, org: 'O', domainId: 'mentoring', x: 0, y: 0, color: '#fff59d', createdAt: 1, ownerId: '' },
      ],
      clusters: [],
      relations: [],
    };
    const res = await fetch(`${srv.http}/api/boards/import`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(wall) });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: BoardId; hostKey: string };
    const stored = (await srv.server.store.loadUpdates(created.id)).updates;
    expect(stored.some((u) => Buffer.from(u).includes('imp.example'))).toBe(false);
    const contacts = await contactsOf(created.id);
    expect(contacts.map((c) => c.email).sort()).toEqual([`a.${t}@imp.example`, `b.${t}@imp.example`]);
    expect(contacts.find((c) => c.email.startsWith('b.'))?.ownerId).toMatch(/^i-/);
    const again = (await (await get(`/api/boards/${created.id}/export.json`, created.hostKey)).json()) as WallExport;
    expect(again.notes.map((n) => n.email).sort()).toEqual([`a.${t}@imp.example`, `b.${t}@imp.example`]);
    d.destroy();
  });

  it('R87 a note deleted on the wall leaves every earlier snapshot within ~1 s; a restore’s own deletions stay in its backup (undo)', async () => {
    const t = tag();
    const b = await createBoard(srv.http);
    const id = b.id as BoardId;
    const host = connectClient(srv.ws, b.id, { key: b.hostKey });
    await host.synced;
    const post = (path: string, body: unknown = {}) =>
      fetch(`${srv.http}/api/boards/${b.id}${path}`, { method: 'POST', headers: { authorization: `Bearer ${b.hostKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const erased = addNote(host.doc, { text: `effacee ${t}`, domainId: 'mentoring', author: 'E' });
    await sleep(100);
    const before = (await (await post('/snapshots', { name: 'avant' })).json()) as { id: string };
    roots(host.doc).notes.delete(erased);
    const snapHas = async (sid: string, text: string) => Buffer.from((await srv.server.store.getSnapshot(id, sid as never))!.state).includes(text);
    await expect.poll(() => snapHas(before.id, `effacee ${t}`), { timeout: 3000 }).toBe(false);
    // Restoring an earlier state deletes the newer note; the backup keeps it, so the restore can be undone.
    const later = addNote(host.doc, { text: `apres ${t}`, domainId: 'mentoring', author: 'A' });
    await sleep(100);
    const restored = (await (await post(`/snapshots/${before.id}/restore`)).json()) as { backup: { id: string } };
    await waitFor(host.doc, () => !roots(host.doc).notes.has(later), 3000, 'restore at the host');
    await sleep(1500);
    expect(await snapHas(restored.backup.id, `apres ${t}`)).toBe(true);
    host.destroy();
  });

  it('R88 retention: the default is 30 days and shown in session:state; contact details are erased that long after the end of the session, 0 keeps them', async () => {
    const t = tag();
    const dflt = await createBoard(srv.http);
    expect((dflt as unknown as { contactRetentionDays: number }).contactRetentionDays).toBe(30);
    const b = await createBoard(srv.http, { contactRetentionDays: 2 });
    const keep = await createBoard(srv.http, { contactRetentionDays: 0 });
    const host = await joinSession(srv.http, b.id, { key: b.hostKey });
    expect(host.states.at(-1)).toMatchObject({ contactRetentionDays: 2, sessionEndedAt: null });
    const keepHost = await joinSession(srv.http, keep.id, { key: keep.hostKey });
    for (const [wall, label] of [[b, 'swept'], [keep, 'kept']] as const) {
      const p = await joinSession(srv.http, wall.id, { ownerSecret: `ret-${label}-${t}` });
      expect((await call(p, 'contact:set', { email: `${label}.${t}@ret.example`, share: 'review' })).ok).toBe(true);
      p.disconnect();
    }
    const ended = await call(host, 'host:endSession', {});
    expect(ended.ok).toBe(true);
    expect((await call(keepHost, 'host:endSession', {})).ok).toBe(true);
    await expect.poll(() => host.states.at(-1)?.sessionEndedAt ?? null, { timeout: 2000 }).not.toBeNull();
    const endedAt = host.states.at(-1)!.sessionEndedAt!;
    const day = 24 * 60 * 60 * 1000;
    await srv.server.erasure.sweep(endedAt + day);
    expect(await contactsOf(b.id)).toHaveLength(1);
    await srv.server.erasure.sweep(endedAt + 2 * day + 1);
    expect(await contactsOf(b.id)).toEqual([]);
    expect(await contactsOf(keep.id)).toHaveLength(1);
    expect(await pollUntilNone(() => dataDirHits(srv.dataDir, [`swept.${t}@ret.example`]))).toEqual([]);
    // The host may change it later.
    expect((await call(host, 'host:settings', { contactRetentionDays: 7 })).ok).toBe(true);
    await expect.poll(() => host.states.at(-1)?.contactRetentionDays, { timeout: 2000 }).toBe(7);
    expect((await call(host, 'host:settings', { contactRetentionDays: -1 })).ok).toBe(false);
    host.disconnect();
    keepHost.disconnect();
    await sleep(10);
  });
});
