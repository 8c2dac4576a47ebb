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
 * that note lives only in the backup), the person as a co-author of the bystander's note (a host
 * merge: name, organisation, author id), and for person erasures a private note. Snapshots taken
 * before the erasure must be rewritten without it. A bystander's note and email stay, which also
 * shows the scan finds what is there. Every marker is unique to its test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addNote, deleteNote, listNotes, ownerIdFromSecret, roots, updateNote } from '@maillage/shared';
import { createBoard, startServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/yclient.ts';
import { createTempSchema, describeWithServices, probePostgres } from '../helpers/processes.ts';
import { ack, answer, connectRecording, docText, joinRecording, occurring, sleep, type RecordingSocket, type RecordingYClient } from '../helpers/personal-wire.ts';
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
    // The hosts merged a duplicate: the person is a co-author of the bystander's note.
    const qNote = listNotes(host.doc).find((n) => n.text === keep.text)!;
    updateNote(host.doc, qNote.id, { coauthors: [{ author: gone.coName, org: gone.coOrg, ownerId }] });
    await waitFor(q.doc, () => Boolean(listNotes(q.doc).find((n) => n.id === qNote.id)?.coauthors?.length), 5000, 'co-author at the bystander');

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
    // Erasing a person also takes them off others' notes as a co-author (name and organisation).
    if (personKind || kind === 'wall deleted') needles.push(gone.text2, gone.email, gone.coName, gone.coOrg);
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
      // (The host's copy gets the erasure as a fan-out frame, which may trail the store's purge.)
      await waitFor(host.doc, () => occurring(docText(host.doc), needles).length === 0, 5000, 'erasure at the host').catch(() => undefined);
      expect.soft(lines(occurring(docText(host.doc), needles)), 'host’s live document').toBe('');
      const views = [await answer(srv.http, `/api/boards/${b.id}/snapshots/${sid}`, b.hostKey), await answer(srv.http, `/api/boards/${b.id}/snapshots/${backupId}`, b.hostKey)];
      expect.soft(views.map((v) => v.status), 'snapshots are rewritten, not dropped').toEqual([200, 200]);
      expect.soft(lines(views.flatMap((v, i) => occurring(v.text, needles).map((n) => `${i ? 'restore backup' : 'snapshot'}: ${n}`))), 'time travel after the erasure').toBe('');
      // Restoring either snapshot now brings none of it back.
      for (const target of [sid, backupId]) {
        expect.soft((await rest(srv, 'POST', `/api/boards/${b.id}/snapshots/${target}/restore`, b.hostKey)).status, 'restore after the erasure').toBe(200);
      }
      await sleep(300);
      expect.soft(lines(occurring(docText(host.doc), needles)), 'host’s document after restoring the old snapshots').toBe('');
      expect.soft(lines(await pollUntilNone(() => scan(srv, needles), 6000)), 'store after restoring the old snapshots').toBe('');
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
    it(`R82 ${kind}: no byte of the text or email in any file of the data folder (SQLite file, WAL, shm), snapshots and the restore backup rewritten (restoring them brings nothing back)`, async () => {
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

describe('erasure holds against copies and restarts (SQLite)', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startServer();
  });
  afterAll(async () => {
    await srv?.close();
  });

  for (const kind of ['note deleted by its author', 'person erased by themself', 'person erased by a host (REST)'] as const) {
    it(`R82 ${kind}: a host page offline during the erasure, which still holds the notes, reconnects (one before, one after a server restart) — nothing comes back to the wall or the store`, async () => {
      const gone = personalMarkers('copy');
      const b = await createBoard(srv.http, { title: `Copie ${gone.tag}` });
      const secret = `copy-person-${gone.tag}`;
      const ownerId = ownerIdFromSecret(secret);
      const host = connectRecording(srv.ws, b.id, { key: b.hostKey });
      const p = connectRecording(srv.ws, b.id, { ownerSecret: secret });
      const pS = await joinRecording(srv.http, b.id, { ownerSecret: secret });
      // A host's page holds the copy: a host may write any note, so only the server's memory of
      // the deletion (not the write rules) can keep an old copy from coming back.
      const holder = connectRecording(srv.ws, b.id, { key: b.hostKey });
      // A second one stays offline until after a restart (the wall then comes from the store).
      const late = connectRecording(srv.ws, b.id, { key: b.hostKey });
      const open = [host, p, holder, late];
      try {
        await Promise.all(open.map((c) => c.synced));
        expect((await ack(pS, 'contact:set', { email: gone.email, share: 'participants' })).ok).toBe(true);
        const n1 = addNote(p.doc, { text: gone.text, domainId: 'mentoring', author: 'Copie', ownerId });
        addNote(p.doc, { text: gone.text2, domainId: 'other', author: 'Copie', ownerId });
        for (const c of [holder, late]) await waitFor(c.doc, () => listNotes(c.doc).length === 2, 5000, 'notes at the holders');
        holder.provider.disconnect();
        late.provider.disconnect();

        const needles = kind === 'note deleted by its author' ? [gone.text] : [gone.text, gone.text2, gone.email];
        if (kind === 'note deleted by its author') deleteNote(p.doc, n1);
        else if (kind === 'person erased by themself') expect(await ack(pS, 'contact:erase', {})).toMatchObject({ ok: true });
        else expect((await rest(srv, 'DELETE', `/api/boards/${b.id}/people/${ownerId}`, b.hostKey)).status).toBe(204);
        await waitFor(host.doc, () => !listNotes(host.doc).some((n) => n.text === gone.text), 5000, 'erasure at host');
        expect(lines(await pollUntilNone(() => sqliteScan(srv, needles), 6000)), 'after the erasure').toBe('');

        // The holder comes back with its old copy: the server keeps the erasure.
        const resynced = new Promise<void>((r) => holder.provider.once('sync', (synced: boolean) => synced && r()));
        holder.provider.connect();
        await Promise.race([resynced, sleep(5000)]);
        await sleep(1500);
        await srv.server.rooms.peek(b.id as never)?.flush();
        expect.soft(lines(occurring(docText(host.doc), needles)), 'host’s document after the holder reconnected').toBe('');
        expect.soft(lines(await pollUntilNone(() => sqliteScan(srv, needles), 6000)), 'store after the holder reconnected').toBe('');

        // After a restart, the page that stayed offline comes back with its copy; a fresh client
        // sees none of it.
        for (const c of [host, p, holder]) c.destroy();
        pS.disconnect();
        await srv.restart();
        const lateSynced = new Promise<void>((r) => late.provider.once('sync', (synced: boolean) => synced && r()));
        late.provider.connect();
        await Promise.race([lateSynced, sleep(5000)]);
        await sleep(1500);
        const fresh = connectRecording(srv.ws, b.id, { key: b.hostKey });
        open.push(fresh);
        await fresh.synced;
        await srv.server.rooms.peek(b.id as never)?.flush();
        expect.soft(lines(occurring(docText(fresh.doc), needles)), 'a host after a restart and the late copy').toBe('');
        expect(lines(await pollUntilNone(() => sqliteScan(srv, needles), 6000)), 'store after a restart and the late copy').toBe('');
      } finally {
        for (const c of open) c.destroy();
        pS.disconnect();
      }
    });
  }

  it('R82 a host erases a person while nobody has the wall open (room not loaded): no byte left, also in the snapshot', async () => {
    const gone = personalMarkers('cold');
    const b = await createBoard(srv.http, { title: `Froid ${gone.tag}` });
    const secret = `cold-person-${gone.tag}`;
    const ownerId = ownerIdFromSecret(secret);
    const p = connectRecording(srv.ws, b.id, { ownerSecret: secret });
    const pS = await joinRecording(srv.http, b.id, { ownerSecret: secret });
    await p.synced;
    expect((await ack(pS, 'contact:set', { email: gone.email, share: 'hosts' })).ok).toBe(true);
    addNote(p.doc, { text: gone.text, domainId: 'mentoring', author: 'Froid', ownerId });
    await sleep(300);
    expect((await rest(srv, 'POST', `/api/boards/${b.id}/snapshots`, b.hostKey, { name: `Froid ${gone.tag}` })).status).toBe(201);
    p.destroy();
    pS.disconnect();
    await expect.poll(() => srv.server.rooms.peek(b.id as never), { timeout: 5000 }).toBeUndefined();
    const needles = [gone.text, gone.email];
    expect(lines(needlesIn(dataDirHits(srv.dataDir, needles))), 'stored before').toBe(lines(needles));
    expect((await rest(srv, 'DELETE', `/api/boards/${b.id}/people/${ownerId}`, b.hostKey)).status).toBe(204);
    expect(lines(await pollUntilNone(() => sqliteScan(srv, needles), 6000))).toBe('');
  });
});
