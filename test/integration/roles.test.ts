/**
 * Roles enforced by the server (docs/spec.md R11–R15), with real y-websocket and socket.io clients.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { addDomain, addNote, listNotes, listDomains, updateDomain, updateNote, deleteNote, roots, ownerIdFromSecret, CloseCode } from '@maillage/shared';
import { createBoard, startServer, type TestServer } from '../helpers/server.ts';
import { connectClient, waitFor, sleep, type YClient } from '../helpers/yclient.ts';
import { joinSession, call } from '../helpers/session.ts';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv?.close();
});

const SECRET_A = 'secret-of-participant-a-0001';
const SECRET_B = 'secret-of-participant-b-0002';

/** Resolves with the next close code of a client's websocket. */
function nextClose(c: YClient): Promise<number> {
  return new Promise((resolve) => c.provider.once('connection-close', (e: CloseEvent | null) => resolve(e?.code ?? 0)));
}

/** Resolves with the next permission-denied reason the server sends a client. */
async function nextDenial(c: YClient, ms = 5000): Promise<string> {
  const seen = c.denials.length;
  const until = Date.now() + ms;
  while (c.denials.length === seen) {
    if (Date.now() > until) throw new Error('no refusal arrived');
    await sleep(20);
  }
  return c.denials[seen] as string;
}

async function storedNotes(boardId: string): Promise<string[]> {
  const { updates } = await srv.server.store.loadUpdates(boardId as never);
  const doc = new Y.Doc();
  updates.forEach((u) => Y.applyUpdate(doc, u));
  return listNotes(doc).map((n) => n.text);
}

describe('roles over the document', () => {
  it('R11 a review-key client update reaches neither other clients nor the store, and the client is told (connection kept)', async () => {
    const b = await createBoard(srv.http);
    const host = connectClient(srv.ws, b.id, { key: b.hostKey });
    const review = connectClient(srv.ws, b.id, { key: b.reviewKey });
    await Promise.all([host.synced, review.synced]);
    const denied = nextDenial(review);
    addNote(review.doc, { text: 'from review', domainId: 'other' });
    expect(await denied).toMatch(/^read_only/);
    addNote(host.doc, { text: 'from host', domainId: 'other' });
    await sleep(300);
    expect(listNotes(host.doc).map((n) => n.text)).toEqual(['from host']);
    expect(await storedNotes(b.id)).toEqual(['from host']);
    expect(review.closes).toEqual([]);
    host.destroy();
    review.destroy();
  });

  it('R12 participants cannot change domains or wall metadata (put back, sender converges); hosts can', async () => {
    const b = await createBoard(srv.http);
    const host = connectClient(srv.ws, b.id, { key: b.hostKey });
    const p = connectClient(srv.ws, b.id, { ownerSecret: SECRET_A });
    await Promise.all([host.synced, p.synced]);
    const denied = nextDenial(p);
    updateDomain(p.doc, 'mentoring', { title: { fr: 'Piraté', en: 'Hacked' } });
    expect(await denied).toMatch(/^host_only/);
    await waitFor(p.doc, () => listDomains(p.doc).find((d) => d.id === 'mentoring')?.title.fr === 'Mentorat', 5000, 'sender put back');
    expect(listDomains(host.doc).find((d) => d.id === 'mentoring')?.title.fr).toBe('Mentorat');
    const id = addDomain(host.doc, { title: { fr: 'Nouveau', en: 'New' } });
    await waitFor(p.doc, () => listDomains(p.doc).some((d) => d.id === id), 5000, 'host domain at participant');
    expect(p.closes).toEqual([]);
    host.destroy();
    p.destroy();
  });

  it('R13 participants write only their own notes; hosts may edit anyone\'s', async () => {
    const b = await createBoard(srv.http);
    const host = connectClient(srv.ws, b.id, { key: b.hostKey });
    const a = connectClient(srv.ws, b.id, { ownerSecret: SECRET_A });
    const bb = connectClient(srv.ws, b.id, { ownerSecret: SECRET_B });
    await Promise.all([host.synced, a.synced, bb.synced]);
    const mine = addNote(a.doc, { text: 'by A', domainId: 'other', ownerId: ownerIdFromSecret(SECRET_A) });
    await waitFor(bb.doc, () => listNotes(bb.doc).length === 1, 5000, 'A note at B');
    // B edits A's note: put back, B converges, A's text stands.
    const denied = nextDenial(bb);
    updateNote(bb.doc, mine, { text: 'vandalised' });
    expect(await denied).toMatch(/^not_owner/);
    await waitFor(bb.doc, () => listNotes(bb.doc)[0]?.text === 'by A', 5000, 'B put back');
    // B forging A's owner id on a new note: refused too, while B's own new note in the same
    // update is kept.
    const denied2 = nextDenial(bb);
    bb.doc.transact(() => {
      addNote(bb.doc, { text: 'forged', domainId: 'other', ownerId: ownerIdFromSecret(SECRET_A) });
      addNote(bb.doc, { text: 'by B', domainId: 'other', ownerId: ownerIdFromSecret(SECRET_B) });
    });
    expect(await denied2).toMatch(/^not_owner/);
    await waitFor(host.doc, () => listNotes(host.doc).some((n) => n.text === 'by B'), 5000, 'B own note kept');
    expect(listNotes(host.doc).some((n) => n.text === 'forged')).toBe(false);
    // A edits and deletes their own; the host edits A's note.
    updateNote(a.doc, mine, { text: 'by A, edited' });
    await waitFor(host.doc, () => listNotes(host.doc).some((n) => n.text === 'by A, edited'), 5000, 'own edit');
    updateNote(host.doc, mine, { text: 'host fixed a typo' });
    await waitFor(a.doc, () => listNotes(a.doc).some((n) => n.text === 'host fixed a typo'), 5000, 'host edit');
    deleteNote(a.doc, mine);
    await waitFor(host.doc, () => !listNotes(host.doc).some((n) => n.id === mine), 5000, 'own delete');
    await sleep(100);
    expect(await storedNotes(b.id)).toEqual(['by B']);
    expect([...a.closes, ...bb.closes]).toEqual([]);
    expect(a.denials).toEqual([]);
    for (const c of [host, a, bb]) c.destroy();
  });

  it('R14 note fields are validated on the server: an over-long text is refused', async () => {
    const b = await createBoard(srv.http);
    const host = connectClient(srv.ws, b.id, { key: b.hostKey });
    await host.synced;
    const denied = nextDenial(host);
    const m = new Y.Map<unknown>();
    host.doc.transact(() => {
      roots(host.doc).notes.set('long', m);
      m.set('text', 'x'.repeat(5000));
      m.set('domainId', 'other');
    });
    expect(await denied).toMatch(/^invalid/);
    await waitFor(host.doc, () => !roots(host.doc).notes.has('long'), 5000, 'sender put back');
    host.destroy();
    expect(await storedNotes(b.id)).toEqual([]);
  });
});

describe('session controls over socket.io', () => {
  it('R15 R57 a participant write during lock is refused (kept by the server, posted on unlock); after unlock it goes through', async () => {
    const b = await createBoard(srv.http);
    const hostS = await joinSession(srv.http, b.id, { key: b.hostKey });
    const partS = await joinSession(srv.http, b.id, { ownerSecret: SECRET_A });
    expect(hostS.role).toBe('host');
    expect(partS.role).toBe('participant');
    const p = connectClient(srv.ws, b.id, { ownerSecret: SECRET_A });
    await p.synced;
    const forbidden = await call(partS, 'host:lock', { locked: true });
    expect(forbidden.ok).toBe(false);
    expect((await call(hostS, 'host:lock', { locked: true })).ok).toBe(true);
    await waitForState(partS, (s) => s.locked);
    const denied = nextDenial(p);
    addNote(p.doc, { text: 'during lock', domainId: 'other', ownerId: ownerIdFromSecret(SECRET_A) });
    expect(await denied).toMatch(/^locked/);
    await sleep(100);
    expect(await storedNotes(b.id)).toEqual([]);
    await call(hostS, 'host:lock', { locked: false });
    const p2 = connectClient(srv.ws, b.id, { ownerSecret: SECRET_A });
    await p2.synced;
    addNote(p2.doc, { text: 'after unlock', domainId: 'other', ownerId: ownerIdFromSecret(SECRET_A) });
    await sleep(200);
    // Since R57 the note refused while locked is held by the server and posted when it reopens.
    expect((await storedNotes(b.id)).sort()).toEqual(['after unlock', 'during lock']);
    // The lock is persisted with the wall: a restart restores it.
    await call(hostS, 'host:lock', { locked: true });
    for (const c of [p, p2]) c.destroy();
    hostS.disconnect();
    partS.disconnect();
    await srv.restart();
    const again = await joinSession(srv.http, b.id, { ownerSecret: SECRET_A });
    expect(again.states.at(-1)?.locked).toBe(true);
    again.disconnect();
  });

  it('R16 private notes reach only their author and hosts, never another participant or the document, until reveal', async () => {
    const b = await createBoard(srv.http);
    const hostS = await joinSession(srv.http, b.id, { key: b.hostKey });
    const aS = await joinSession(srv.http, b.id, { ownerSecret: SECRET_A });
    const bS = await joinSession(srv.http, b.id, { ownerSecret: SECRET_B });
    const bDoc = connectClient(srv.ws, b.id, { ownerSecret: SECRET_B });
    await bDoc.synced;
    // Everything B's socket and document receive is recorded, to search for the secret text.
    const bFrames: string[] = [];
    bS.onAny((_e, payload) => bFrames.push(JSON.stringify(payload)));
    bDoc.doc.on('update', (u: Uint8Array) => bFrames.push(Buffer.from(u).toString('latin1')));
    // Hosts receive each private note as it changes (R52), not the whole list again.
    hostS.on('private:note', (n) => hostS.privateNotes.push([n]));
    expect((await call(hostS, 'host:private', { enabled: true })).ok).toBe(true);
    const added = await call(aS, 'private:add', { text: 'SECRET-IDEA-42', domainId: 'mentoring', author: 'A', email: 'a@example.org' });
    expect(added.ok).toBe(true);
    await waitForPrivate(hostS, (ns) => ns.some((n) => n.text === 'SECRET-IDEA-42'));
    await waitForPrivate(aS, (ns) => ns.some((n) => n.text === 'SECRET-IDEA-42'));
    await sleep(300);
    expect(bFrames.join('\n')).not.toContain('SECRET-IDEA-42');
    expect(bS.privateNotes.flat()).toEqual([]);
    expect(listNotes(bDoc.doc)).toEqual([]);
    expect(bS.states.at(-1)?.privateCount).toBe(1);
    // A participant may not reveal; the host reveals in one step.
    expect((await call(aS, 'host:reveal', {})).ok).toBe(false);
    const revealed = await call(hostS, 'host:reveal', {});
    expect(revealed.ok && revealed.revealed).toBe(1);
    await waitFor(bDoc.doc, () => listNotes(bDoc.doc).some((n) => n.text === 'SECRET-IDEA-42'), 5000, 'revealed note');
    const note = listNotes(bDoc.doc)[0];
    expect(note?.ownerId).toBe(ownerIdFromSecret(SECRET_A));
    expect(await storedNotes(b.id)).toEqual(['SECRET-IDEA-42']);
    for (const s of [hostS, aS, bS]) s.disconnect();
    bDoc.destroy();
  });

  it('R17 timer, follow-me and dot-voting: state reaches everyone and votes are counted', async () => {
    const b = await createBoard(srv.http);
    const hostS = await joinSession(srv.http, b.id, { key: b.hostKey });
    const aS = await joinSession(srv.http, b.id, { ownerSecret: SECRET_A });
    const aDoc = connectClient(srv.ws, b.id, { ownerSecret: SECRET_A });
    await aDoc.synced;
    const n1 = addNote(aDoc.doc, { text: 'one', domainId: 'other', ownerId: ownerIdFromSecret(SECRET_A) });
    await sleep(100);
    await call(hostS, 'host:timer', { action: 'start', seconds: 120 });
    const withTimer = await waitForState(aS, (s) => s.timerEndsAt !== null);
    expect((withTimer.timerEndsAt as number) - withTimer.serverNow).toBeGreaterThan(110_000);
    expect((await call(hostS, 'host:timer', { action: 'start', seconds: -5 } as never)).ok).toBe(false);
    await call(hostS, 'host:follow', { enabled: true });
    await waitForState(aS, (s) => s.follow);
    const rect = new Promise((r) => aS.once('host:viewport', r));
    hostS.emit('host:viewport', { x: 10, y: 20, width: 800, height: 600 });
    expect(await rect).toEqual({ x: 10, y: 20, width: 800, height: 600 });
    expect((await call(aS, 'vote:cast', { noteId: n1, add: true })).ok).toBe(false); // no vote open
    await call(hostS, 'host:vote', { action: 'open', dots: 2 });
    expect((await call(aS, 'vote:cast', { noteId: n1, add: true })).ok).toBe(true);
    expect((await call(aS, 'vote:cast', { noteId: n1, add: true })).ok).toBe(true);
    const third = await call(aS, 'vote:cast', { noteId: n1, add: true });
    expect(third.ok).toBe(false);
    const counted = await waitForState(hostS, (s) => s.vote?.counts[n1] === 2);
    expect(counted.vote?.open).toBe(true);
    await call(hostS, 'host:vote', { action: 'close' });
    expect((await waitForState(aS, (s) => s.vote?.open === false)).vote?.counts[n1]).toBe(2);
    hostS.disconnect();
    aS.disconnect();
    aDoc.destroy();
  });

  it('R18 rotating the review key closes review connections and invalidates the old key', async () => {
    const b = await createBoard(srv.http);
    const hostS = await joinSession(srv.http, b.id, { key: b.hostKey });
    const review = connectClient(srv.ws, b.id, { key: b.reviewKey });
    await review.synced;
    const closed = nextClose(review);
    const res = await call(hostS, 'host:rotateKey', { which: 'review' });
    expect(res.ok).toBe(true);
    expect(await closed).toBe(CloseCode.Unauthorized);
    review.destroy();
    const old = new WebSocket(`${srv.ws}/${b.id}?k=${b.reviewKey}`);
    expect(await new Promise((r) => old.on('close', r))).toBe(CloseCode.Unauthorized);
    if (res.ok) {
      const fresh = connectClient(srv.ws, b.id, { key: res.key });
      await fresh.synced;
      fresh.destroy();
    }
    hostS.disconnect();
  });
});

describe('personal data on review links', () => {
  it('R32 R76 a review link gets no email in its document or any frame; once the host allows it, emails come from the contact store only', async () => {
    const b = await createBoard(srv.http);
    const host = connectClient(srv.ws, b.id, { key: b.hostKey });
    await host.synced;
    addNote(host.doc, { text: 'Tutorat', domainId: 'mentoring', author: 'Ana', email: 'ana.secret@example.org', coauthors: [{ author: 'Bo', email: 'bo.secret@example.org', org: '' }] });
    await sleep(100);
    const frames: string[] = [];
    const raw = new WebSocket(`${srv.ws}/${b.id}?k=${b.reviewKey}`);
    raw.on('message', (d: Buffer) => frames.push(d.toString('latin1')));
    const review = connectClient(srv.ws, b.id, { key: b.reviewKey });
    await review.synced;
    expect(listNotes(review.doc)[0]).toMatchObject({ text: 'Tutorat', author: 'Ana' });
    expect(listNotes(review.doc)[0]?.email ?? '').toBe('');
    expect(listNotes(review.doc)[0]?.coauthors?.[0]).toMatchObject({ author: 'Bo' });
    // Live changes carry no email either.
    const id2 = addNote(host.doc, { text: 'Stages', domainId: 'other', author: 'Cy', email: 'cy.secret@example.org' });
    await waitFor(review.doc, () => listNotes(review.doc).some((n) => n.id === id2), 5000, 'second note at review');
    updateNote(host.doc, id2, { text: 'Stages d’été' });
    await waitFor(review.doc, () => listNotes(review.doc).some((n) => n.text === 'Stages d’été'), 5000, 'edit at review');
    await sleep(200);
    const seen = () => frames.join('') + JSON.stringify(review.doc.toJSON()) + JSON.stringify(host.doc.toJSON());
    for (const email of ['ana.secret', 'bo.secret', 'cy.secret']) expect(seen()).not.toContain(email);
    const contacts = async () => (await fetch(`${srv.http}/api/boards/${b.id}/contacts`, { headers: { authorization: `Bearer ${b.reviewKey}` } })).text();
    for (const email of ['ana.secret', 'bo.secret', 'cy.secret']) expect(await contacts()).not.toContain(email);
    // The host allows emails: the review link reads them from the contact store; documents and
    // frames still hold none.
    const hostS = await joinSession(srv.http, b.id, { key: b.hostKey });
    expect((await call(hostS, 'host:settings', { reviewShowsEmails: true })).ok).toBe(true);
    await expect.poll(contacts, { timeout: 5000 }).toContain('ana.secret@example.org');
    expect(await contacts()).toContain('cy.secret@example.org');
    expect(await contacts()).toContain('bo.secret@example.org');
    const again = connectClient(srv.ws, b.id, { key: b.reviewKey });
    await again.synced;
    expect(JSON.stringify(again.doc.toJSON())).not.toContain('@example.org');
    for (const email of ['ana.secret', 'bo.secret', 'cy.secret']) expect(frames.join('')).not.toContain(email);
    raw.close();
    for (const c of [host, review, again]) c.destroy();
    hostS.disconnect();
  });
});

async function waitForState(s: Awaited<ReturnType<typeof joinSession>>, pred: (st: NonNullable<(typeof s.states)[number]>) => boolean, ms = 5000) {
  const start = Date.now();
  for (;;) {
    const hit = s.states.findLast(pred);
    if (hit) return hit;
    if (Date.now() - start > ms) throw new Error(`state never matched: ${JSON.stringify(s.states.at(-1))}`);
    await sleep(30);
  }
}

async function waitForPrivate(s: Awaited<ReturnType<typeof joinSession>>, pred: (n: (typeof s.privateNotes)[number]) => boolean, ms = 5000) {
  const start = Date.now();
  while (!s.privateNotes.some(pred)) {
    if (Date.now() - start > ms) throw new Error('private notes never matched');
    await sleep(30);
  }
}
