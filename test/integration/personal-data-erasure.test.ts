/**
 * Erase means erase (issue 13; docs/spec.md R82): after each kind of erasure — a note deleted by
 * its author, a person erased by themself (`contact:erase`), by a host over REST
 * (`DELETE /api/boards/:id/people/:ownerId`) or socket.io (`host:erasePerson`), a stock client's
 * person erased by a host, a wall deleted — no byte of the erased text or email is left in what
 * the server keeps: every file of the data folder (SQLite file, WAL, shared memory, anything else)
 * and, on PostgreSQL, every row of every table of the schema (as text, bytea as bytes too).
 *
 * Each wall has, before the erasure: a snapshot holding the erased note (taken by a host), a
 * restore backup holding a second note of the person (the wall is restored to the snapshot, so
 * that note lives only in the backup), and for person erasures a private note. Snapshots taken
 * before the erasure must be rewritten without it. A bystander's note and email stay, which also
 * shows the scan finds what is there. Every marker is unique to its test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addNote, deleteNote, listNotes, ownerIdFromSecret, roots } from '@maillage/shared';
import { createBoard, startServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/yclient.ts';
import { createTempSchema, describeWithServices, probePostgres } from '../helpers/processes.ts';
import { ack, answer, connectRecording, docText, joinRecording, occurring, type RecordingSocket, type RecordingYClient } from '../helpers/personal-wire.ts';
import { dataDirHits, personalMarkers, pgHits, pollUntilNone } from '../helpers/personal-store.ts';

type Kind = 'note deleted by its author' | 'person erased by themself' | 'person erased by a host (REST)' | 'person erased by a host (socket.io)' | 'stock client’s person erased by a host' | 'wall deleted';
const KINDS: Kind[] = ['note deleted by its author', 'person erased by themself', 'person erased by a host (REST)', 'person erased by a host (socket.io)', 'stock client’s person erased by a host', 'wall deleted'];

/** What the store looks like to a test: the needles found in it, with where. */
type Scan = (srv: TestServer, needles: string[]) => Promise<string[]>;

const sqliteScan: Scan = async (srv, needles) => dataDirHits(srv.dataDir, needles);

function writeStockNote(doc: Y.Doc, id: string, fields: Record<string, unknown>): void {
  doc.transact(() => {
    const m = new Y.Map<unknown>();
    for (const [k, v] of Object.entries(fields)) m.set(k, v);
    roots(doc).notes.set(id, m);
  });
}

/** A list as one line per entry, so a failure message shows every hit (not "Array(3)"). */
const lines = (xs: string[]): string => [...xs].sort().join('\n');

/** The distinct needles among `needle @ place` hits. */
const needlesIn = (hits: string[]): string[] => [...new Set(hits.map((h) => h.split(' @ ')[0] as string))];

async function rest(srv: TestServer, method: string, path: string, key?: string, body?: unknown): Promise<Response> {
  return fetch(srv.http + path, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
}

/**
 * Builds the wall, erases by `kind`, and checks that `scan` finds none of the erased strings
 * (polling a few seconds: erasure compacts and checkpoints asynchronously).
 */
async function erasure(srv: TestServer, kind: Kind, scan: Scan): Promise<void> {
  const gone = personalMarkers('gone');
  const keep = personalMarkers('keep');
  const stockKind = kind === 'stock client’s person erased by a host';
  const personKind = kind.startsWith('person') || stockKind;
  const b = await createBoard(srv.http, { title: `Effacement ${gone.tag}` });
  const open: { y: RecordingYClient[]; s: RecordingSocket[] } = { y: [], s: [] };
  try {
    const host = connectRecording(srv.ws, b.id, { key: b.hostKey });
    open.y.push(host);
    const hostS = await joinRecording(srv.http, b.id, { key: b.hostKey });
    open.s.push(hostS);
    await host.synced;

    // The bystander: a participant whose note and email must survive.
    const qSecret = `bystander-${keep.tag}`;
    const q = connectRecording(srv.ws, b.id, { ownerSecret: qSecret });
    const qS = await joinRecording(srv.http, b.id, { ownerSecret: qSecret });
    open.y.push(q);
    open.s.push(qS);
    await q.synced;
    expect.soft(await ack(qS, 'contact:set', { email: keep.email, share: 'review' }), 'contact:set (bystander)').toMatchObject({ ok: true });
    addNote(q.doc, { text: keep.text, domainId: 'other', author: 'Témoin', ownerId: ownerIdFromSecret(qSecret) });

    // The person to erase: our client (device secret, email over socket.io), or a stock client
    // that writes its email on its note.
    let ownerId: string;
    let p: RecordingYClient;
    let pS: RecordingSocket | null = null;
    const noteId = `gone-1-${gone.tag}`;
    const note2Id = `gone-2-${gone.tag}`;
    const write = (id: string, text: string) =>
      writeStockNote(p.doc, id, {
        text,
        author: `Personne ${gone.tag}`,
        domainId: 'mentoring',
        x: 10,
        y: 40,
        color: '#a5d6a7',
        createdAt: Date.now(),
        ...(stockKind ? { email: gone.email } : { ownerId, org: '' }),
      });
    if (stockKind) {
      p = connectRecording(srv.ws, b.id);
      open.y.push(p);
      await p.synced;
      ownerId = '';
      write(noteId, gone.text);
      await waitFor(host.doc, () => roots(host.doc).notes.has(noteId), 5000, 'stock note at host');
      ownerId = String(roots(host.doc).notes.get(noteId)?.get('ownerId'));
    } else {
      const secret = `gone-person-${gone.tag}`; // OWNER_SECRET_PATTERN: 16–64 characters
      ownerId = ownerIdFromSecret(secret);
      p = connectRecording(srv.ws, b.id, { ownerSecret: secret });
      pS = await joinRecording(srv.http, b.id, { ownerSecret: secret });
      open.y.push(p);
      open.s.push(pS);
      await p.synced;
      expect.soft(await ack(pS, 'contact:set', { email: gone.email, share: 'participants' }), 'contact:set (person)').toMatchObject({ ok: true });
      write(noteId, gone.text);
    }
    await waitFor(host.doc, () => listNotes(host.doc).length === 2, 5000, 'both notes at host').catch((e: Error) => {
      throw new Error(`${e.message}; person told ${JSON.stringify(p.denials)}, bystander told ${JSON.stringify(q.denials)}`);
    });

    // A snapshot with the note; then a second note, which a restore to that snapshot leaves only
    // in the restore backup the server makes.
    const snap = await rest(srv, 'POST', `/api/boards/${b.id}/snapshots`, b.hostKey, { name: `Avant ${gone.tag}` });
    expect(snap.status).toBe(201);
    const sid = ((await snap.json()) as { id: string }).id;
    write(note2Id, gone.text2);
    await waitFor(host.doc, () => roots(host.doc).notes.has(note2Id), 5000, 'second note at host');
    const restored = await rest(srv, 'POST', `/api/boards/${b.id}/snapshots/${sid}/restore`, b.hostKey);
    expect(restored.status).toBe(200);
    const backupId = ((await restored.json()) as { backup: { id: string } }).backup.id;
    await waitFor(host.doc, () => !roots(host.doc).notes.has(note2Id), 5000, 'restore at host');

    const needles = [gone.text];
    if (personKind || kind === 'wall deleted') needles.push(gone.text2, gone.email);
    if (personKind && pS) {
      // A private note, kept by the server outside the document.
      expect((await ack(hostS, 'host:private', { enabled: true })).ok).toBe(true);
      const added = await ack(pS, 'private:add', { text: gone.privateText, domainId: 'mentoring' });
      expect(added, 'private:add').toMatchObject({ ok: true });
      needles.push(gone.privateText);
    }
    await srv.server.rooms.peek(b.id as never)?.flush();
    // The scan sees what is there: every needle is stored before the erasure.
    expect.soft(lines(needlesIn(await scan(srv, needles))), 'stored before the erasure').toBe(lines(needles));

    // The erasure (its answers checked softly: the scan below says what it left either way).
    switch (kind) {
      case 'note deleted by its author':
        deleteNote(p.doc, noteId);
        await waitFor(host.doc, () => !roots(host.doc).notes.has(noteId), 5000, 'deletion at host');
        break;
      case 'person erased by themself':
        expect.soft(await ack(pS!, 'contact:erase', {}), 'contact:erase').toMatchObject({ ok: true });
        break;
      case 'person erased by a host (REST)':
      case 'stock client’s person erased by a host':
        expect.soft((await rest(srv, 'DELETE', `/api/boards/${b.id}/people/${encodeURIComponent(ownerId)}`)).status, 'no key').toBe(401);
        expect.soft((await rest(srv, 'DELETE', `/api/boards/${b.id}/people/${encodeURIComponent(ownerId)}`, b.reviewKey)).status, 'review key').toBe(403);
        expect.soft((await rest(srv, 'DELETE', `/api/boards/${b.id}/people/${encodeURIComponent(ownerId)}`, b.hostKey)).status, 'host key').toBe(204);
        break;
      case 'person erased by a host (socket.io)':
        expect.soft(await ack(qS, 'host:erasePerson', { ownerId }), 'a participant may not').toMatchObject({ ok: false });
        expect.soft(await ack(hostS, 'host:erasePerson', { ownerId }), 'host:erasePerson').toMatchObject({ ok: true });
        break;
      case 'wall deleted':
        expect.soft((await rest(srv, 'DELETE', `/api/boards/${b.id}`, b.hostKey)).status).toBe(204);
        break;
    }

    const hits = await pollUntilNone(() => scan(srv, needles), 6000);
    expect.soft(lines(hits), `${kind}: erased strings left in the store`).toBe('');

    if (kind !== 'wall deleted') {
      // Erased live too, and from what a host can still read: time travel to both snapshots.
      expect.soft(lines(occurring(docText(host.doc), needles)), 'host’s live document').toBe('');
      const views = [await answer(srv.http, `/api/boards/${b.id}/snapshots/${sid}`, b.hostKey), await answer(srv.http, `/api/boards/${b.id}/snapshots/${backupId}`, b.hostKey)];
      expect.soft(views.map((v) => v.status), 'snapshots are rewritten, not dropped').toEqual([200, 200]);
      expect.soft(lines(views.flatMap((v, i) => occurring(v.text, needles).map((n) => `${i ? 'restore backup' : 'snapshot'}: ${n}`))), 'time travel after the erasure').toBe('');
      // Targeted: the bystander's note and email are still stored.
      expect.soft(lines(needlesIn(await scan(srv, [keep.text, keep.email]))), 'the bystander is kept').toBe(lines([keep.text, keep.email]));
      expect(listNotes(host.doc).some((n) => n.text === keep.text)).toBe(true);
    } else {
      expect.soft(lines(await pollUntilNone(() => scan(srv, [keep.text, keep.email]), 6000)), 'the deleted wall’s bystander').toBe('');
    }
  } finally {
    for (const y of open.y) y.destroy();
    for (const s of open.s) s.disconnect();
  }
}

describe('erasure leaves no byte in the data folder (SQLite)', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startServer();
  });
  afterAll(async () => {
    await srv?.close();
  });
  for (const kind of KINDS) {
    it(`R82 ${kind}: no byte of the text or email in any file of the data folder (SQLite file, WAL, shm), snapshots and the restore backup rewritten`, async () => {
      await erasure(srv, kind, sqliteScan);
    });
  }
});

const pgProbe = await probePostgres();
describeWithServices('erasure leaves no row holding it (PostgreSQL)', [pgProbe], () => {
  let srv: TestServer;
  let schema: Awaited<ReturnType<typeof createTempSchema>>;
  beforeAll(async () => {
    schema = await createTempSchema(pgProbe.url, 'erase');
    srv = await startServer({ databaseUrl: schema.url });
  });
  afterAll(async () => {
    await srv?.close();
    await schema?.drop();
  });
  const pgScan: Scan = async (s, needles) => [...(await pgHits(schema.url, schema.schema, needles)), ...dataDirHits(s.dataDir, needles)];
  for (const kind of KINDS) {
    it(`R82 ${kind}: no row of any table of the schema holds the text or email (rows as text, bytea as bytes)`, async () => {
      await erasure(srv, kind, pgScan);
    });
  }
});
