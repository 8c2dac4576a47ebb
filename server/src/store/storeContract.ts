/**
 * The BoardStore contract as a reusable vitest suite: every store (SQLite, PostgreSQL, any future
 * one) must pass it unchanged. The store test files call `runStoreContract` with a factory; the
 * rooms and the HTTP layer rely only on what is asserted here.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addNote,
  initBoard,
  listNotes,
  newBoardId,
  newKey,
  newSnapshotId,
  readSettings,
  recordsFromSettings,
  settingsFromRecords,
  type BoardId,
  type SessionRecord,
  type SnapshotId,
} from '@maillage/shared';
import type { BoardRecord, BoardStore, SnapshotRecord } from './BoardStore.ts';

/** A fresh wall record with keys; `settings` defaults to empty. */
function boardRecord(settings: Record<string, unknown> = {}): BoardRecord {
  return { id: newBoardId(), hostKey: newKey(), reviewKey: newKey(), createdAt: Date.now(), settings };
}

/** A document with the template applied, and its full state as one update. */
function templateDoc(): { doc: Y.Doc; initial: Uint8Array } {
  const doc = new Y.Doc();
  initBoard(doc, { title: 'Contrat', template: 'relationship-mapping' });
  return { doc, initial: Y.encodeStateAsUpdate(doc) };
}

/** Records every update `fn` makes to `doc`. */
function captureUpdates(doc: Y.Doc, fn: () => void): Uint8Array[] {
  const out: Uint8Array[] = [];
  const on = (u: Uint8Array) => out.push(u);
  doc.on('update', on);
  try {
    fn();
  } finally {
    doc.off('update', on);
  }
  return out;
}

function docFrom(updates: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => updates.forEach((u) => Y.applyUpdate(doc, u)));
  return doc;
}

/** Two documents hold the same content when each one's state adds nothing to the other. */
function expectSameDoc(a: Y.Doc, b: Y.Doc): void {
  expect(Array.from(Y.decodeStateVector(Y.encodeStateVector(a)))).toEqual(Array.from(Y.decodeStateVector(Y.encodeStateVector(b))));
  expect(listNotes(a).map((n) => n.id).sort()).toEqual(listNotes(b).map((n) => n.id).sort());
  expect(a.getMap('meta').toJSON()).toEqual(b.getMap('meta').toJSON());
}

function snapshotRecord(boardId: BoardId, createdAt: number, name = 'Pause'): SnapshotRecord {
  return { id: newSnapshotId(), boardId, name, createdAt, noteCount: 2, kind: 'manual' };
}

/**
 * Registers the contract tests for one store implementation.
 * @param makeStore called before each test; must return an initialised, empty-enough store (tests
 *   only touch walls they create, so a shared database is fine). The suite closes it afterwards.
 */
export function runStoreContract(name: string, makeStore: () => Promise<BoardStore>): void {
  describe(`BoardStore contract: ${name}`, () => {
    let store: BoardStore;
    const open = async (): Promise<BoardStore> => {
      store = await makeStore();
      return store;
    };
    afterEach(async () => {
      await store?.close();
    });

    it('init is idempotent and ping answers', async () => {
      const s = await open();
      await s.init();
      await s.init();
      await expect(s.ping()).resolves.toBeUndefined();
    });

    it('creates a wall with its first update and reads it back', async () => {
      const s = await open();
      const rec = boardRecord({ locked: false, nested: { review: ['a', 'b'] } });
      const { doc, initial } = templateDoc();
      await s.createBoard(rec, initial);
      expect(await s.getBoard(rec.id)).toEqual(rec);
      const stored = await s.loadUpdates(rec.id);
      expect(stored.updates).toHaveLength(1);
      expect(stored.lastSeq).toBeGreaterThan(0);
      expect(Array.from(stored.updates[0] ?? [])).toEqual(Array.from(initial));
      expectSameDoc(docFrom(stored.updates), doc);
      expect(await s.countUpdates(rec.id)).toBe(1);
    });

    it('unknown walls read as absent, not as errors', async () => {
      const s = await open();
      const id = newBoardId();
      expect(await s.getBoard(id)).toBeNull();
      expect(await s.loadUpdates(id)).toEqual({ updates: [], lastSeq: 0 });
      expect(await s.countUpdates(id)).toBe(0);
      expect(await s.listSnapshots(id)).toEqual([]);
      expect(await s.getSnapshot(id, 'AAAAAAAAAAAAAAAAAAAAAA' as SnapshotId)).toBeNull();
      expect(await s.deleteBoard(id)).toBe(false);
      await expect(s.updateBoard(id, { settings: { x: 1 } })).resolves.toBeUndefined();
    });

    it('refuses a second wall with the same id', async () => {
      const s = await open();
      const rec = boardRecord();
      await s.createBoard(rec, templateDoc().initial);
      await expect(s.createBoard({ ...rec, hostKey: newKey() }, templateDoc().initial)).rejects.toThrow();
      expect((await s.getBoard(rec.id))?.hostKey).toBe(rec.hostKey);
    });

    it('updateBoard patches only the given fields', async () => {
      const s = await open();
      const rec = boardRecord({ a: 1 });
      await s.createBoard(rec, templateDoc().initial);
      await s.updateBoard(rec.id, { settings: { locked: true, reviewers: { canMove: false } } });
      expect(await s.getBoard(rec.id)).toEqual({ ...rec, settings: { locked: true, reviewers: { canMove: false } } });
      const hostKey = newKey();
      await s.updateBoard(rec.id, { hostKey });
      expect(await s.getBoard(rec.id)).toEqual({ ...rec, hostKey, settings: { locked: true, reviewers: { canMove: false } } });
      await s.updateBoard(rec.id, { reviewKey: 'r'.repeat(43), settings: {} });
      expect(await s.getBoard(rec.id)).toEqual({ ...rec, hostKey, reviewKey: 'r'.repeat(43), settings: {} });
    });

    it('appends updates in order with increasing seqs, byte for byte', async () => {
      const s = await open();
      const rec = boardRecord();
      const { doc, initial } = templateDoc();
      await s.createBoard(rec, initial);
      const first = (await s.loadUpdates(rec.id)).lastSeq;
      const batch1 = captureUpdates(doc, () => {
        addNote(doc, { text: 'Mentorat par les pairs', domainId: 'mentoring' });
        addNote(doc, { text: 'Stages', domainId: 'other' });
      });
      const seq1 = await s.appendUpdates(rec.id, batch1);
      expect(seq1).toBeGreaterThan(first);
      // A view into a larger buffer must be stored as exactly its own bytes.
      const [one] = captureUpdates(doc, () => addNote(doc, { text: 'Vue', domainId: 'other' }));
      const big = new Uint8Array(one!.byteLength + 20).fill(7);
      big.set(one!, 10);
      const view = big.subarray(10, 10 + one!.byteLength);
      const seq2 = await s.appendUpdates(rec.id, [view]);
      expect(seq2).toBeGreaterThan(seq1);
      const stored = await s.loadUpdates(rec.id);
      expect(stored.lastSeq).toBe(seq2);
      expect(stored.updates.map((u) => Array.from(u))).toEqual([initial, ...batch1, one!].map((u) => Array.from(u)));
      expect(await s.countUpdates(rec.id)).toBe(4);
      expectSameDoc(docFrom(stored.updates), doc);
    });

    it('compaction replaces the covered rows with one state; later updates follow it', async () => {
      const s = await open();
      const rec = boardRecord();
      const { doc, initial } = templateDoc();
      await s.createBoard(rec, initial);
      for (let i = 0; i < 5; i++) {
        await s.appendUpdates(rec.id, captureUpdates(doc, () => addNote(doc, { text: `n${i}`, domainId: 'other' })));
      }
      const before = await s.loadUpdates(rec.id);
      expect(before.updates).toHaveLength(6);
      const state = Y.encodeStateAsUpdate(doc);
      // Two updates land after the state was taken but before compaction: they must survive it.
      const later = captureUpdates(doc, () => {
        addNote(doc, { text: 'after-1', domainId: 'mentoring' });
        addNote(doc, { text: 'after-2', domainId: 'mentoring' });
      });
      const laterSeq = await s.appendUpdates(rec.id, later);
      await s.compact(rec.id, state, before.lastSeq);

      const after = await s.loadUpdates(rec.id);
      expect(after.updates).toHaveLength(3);
      expect(Array.from(after.updates[0] ?? [])).toEqual(Array.from(state));
      expect(after.updates.slice(1).map((u) => Array.from(u))).toEqual(later.map((u) => Array.from(u)));
      expect(after.lastSeq).toBe(laterSeq);
      expect(await s.countUpdates(rec.id)).toBe(3);
      expectSameDoc(docFrom(after.updates), doc);

      // New appends still sort after everything, and a second compaction works the same way.
      const more = captureUpdates(doc, () => addNote(doc, { text: 'after-3', domainId: 'other' }));
      const moreSeq = await s.appendUpdates(rec.id, more);
      expect(moreSeq).toBeGreaterThan(laterSeq);
      await s.compact(rec.id, Y.encodeStateAsUpdate(doc), moreSeq);
      const final = await s.loadUpdates(rec.id);
      expect(final.updates).toHaveLength(1);
      expect(final.lastSeq).toBe(moreSeq);
      expectSameDoc(docFrom(final.updates), doc);
      expect(listNotes(docFrom(final.updates))).toHaveLength(8);
    });

    it('compacting one wall leaves the others alone', async () => {
      const s = await open();
      const a = boardRecord();
      const b = boardRecord();
      const da = templateDoc();
      const db = templateDoc();
      await s.createBoard(a, da.initial);
      await s.createBoard(b, db.initial);
      await s.appendUpdates(b.id, captureUpdates(db.doc, () => addNote(db.doc, { text: 'b', domainId: 'other' })));
      const seqA = await s.appendUpdates(a.id, captureUpdates(da.doc, () => addNote(da.doc, { text: 'a', domainId: 'other' })));
      await s.appendUpdates(b.id, captureUpdates(db.doc, () => addNote(db.doc, { text: 'b2', domainId: 'other' })));
      await s.compact(a.id, Y.encodeStateAsUpdate(da.doc), seqA);
      expect(await s.countUpdates(a.id)).toBe(1);
      expect(await s.countUpdates(b.id)).toBe(3);
      expectSameDoc(docFrom((await s.loadUpdates(b.id)).updates), db.doc);
      expectSameDoc(docFrom((await s.loadUpdates(a.id)).updates), da.doc);
    });

    it('concurrent appends are all kept, each with its own seq, in seq order', async () => {
      const s = await open();
      const walls = [boardRecord(), boardRecord()];
      const docs = walls.map(() => templateDoc());
      await Promise.all(walls.map((w, i) => s.createBoard(w, docs[i]!.initial)));
      const writes: Promise<number>[] = [];
      for (let i = 0; i < 20; i++) {
        walls.forEach((w, j) => {
          const d = docs[j]!.doc;
          const batch = captureUpdates(d, () => {
            addNote(d, { text: `c${i}a`, domainId: 'other' });
            addNote(d, { text: `c${i}b`, domainId: 'mentoring' });
          });
          writes.push(s.appendUpdates(w.id, batch));
        });
      }
      const seqs = await Promise.all(writes);
      expect(new Set(seqs).size).toBe(seqs.length);
      for (const [j, w] of walls.entries()) {
        const stored = await s.loadUpdates(w.id);
        expect(stored.updates).toHaveLength(41);
        expect(stored.lastSeq).toBe(Math.max(...seqs.filter((_, k) => k % walls.length === j)));
        const doc = docFrom(stored.updates);
        expect(listNotes(doc)).toHaveLength(40);
        expectSameDoc(doc, docs[j]!.doc);
      }
    });

    it('saves, lists (newest first) and reads snapshots per wall', async () => {
      const s = await open();
      const rec = boardRecord();
      const other = boardRecord();
      const { doc, initial } = templateDoc();
      await s.createBoard(rec, initial);
      await s.createBoard(other, initial);
      addNote(doc, { text: 'snap', domainId: 'other' });
      const state = Y.encodeStateAsUpdate(doc);
      const older = snapshotRecord(rec.id, 1_700_000_000_000, 'Avant');
      const newer = { ...snapshotRecord(rec.id, 1_700_000_100_000, 'Après'), kind: 'end', noteCount: 1 };
      await s.saveSnapshot(older, state);
      await s.saveSnapshot(newer, state);
      await s.saveSnapshot(snapshotRecord(other.id, 1_700_000_200_000), initial);
      expect(await s.listSnapshots(rec.id)).toEqual([newer, older]);
      const got = await s.getSnapshot(rec.id, older.id);
      expect(got?.rec).toEqual(older);
      expect(Array.from(got?.state ?? [])).toEqual(Array.from(state));
      expectSameDoc(docFrom([got!.state]), doc);
      // A snapshot is only reachable through its own wall.
      expect(await s.getSnapshot(other.id, older.id)).toBeNull();
      expect(await s.listSnapshots(other.id)).toHaveLength(1);
    });

    it('deleteBoard erases the wall, its updates and snapshots, and nothing else', async () => {
      const s = await open();
      const rec = boardRecord();
      const keep = boardRecord();
      const { doc, initial } = templateDoc();
      await s.createBoard(rec, initial);
      await s.createBoard(keep, initial);
      await s.appendUpdates(rec.id, captureUpdates(doc, () => addNote(doc, { text: 'secret', domainId: 'other' })));
      const snap = snapshotRecord(rec.id, Date.now());
      await s.saveSnapshot(snap, Y.encodeStateAsUpdate(doc));
      await s.saveSnapshot(snapshotRecord(keep.id, Date.now()), initial);

      expect(await s.deleteBoard(rec.id)).toBe(true);
      expect(await s.getBoard(rec.id)).toBeNull();
      expect(await s.loadUpdates(rec.id)).toEqual({ updates: [], lastSeq: 0 });
      expect(await s.countUpdates(rec.id)).toBe(0);
      expect(await s.listSnapshots(rec.id)).toEqual([]);
      expect(await s.getSnapshot(rec.id, snap.id)).toBeNull();
      expect(await s.deleteBoard(rec.id)).toBe(false);

      expect(await s.getBoard(keep.id)).toEqual(keep);
      expect(await s.countUpdates(keep.id)).toBe(1);
      expect(await s.listSnapshots(keep.id)).toHaveLength(1);
    });

    it('data survives closing and reopening the store', async () => {
      const s = await open();
      const rec = boardRecord({ kept: true });
      const { doc, initial } = templateDoc();
      await s.createBoard(rec, initial);
      await s.appendUpdates(rec.id, captureUpdates(doc, () => addNote(doc, { text: 'durable', domainId: 'other' })));
      await s.close();
      const again = await open();
      expect(await again.getBoard(rec.id)).toEqual(rec);
      expectSameDoc(docFrom((await again.loadUpdates(rec.id)).updates), doc);
    });

    it('R52 session records: one row per (kind, key), upserted, filtered, removed by key or kind', async () => {
      const s = await open();
      const rec = boardRecord();
      const other = boardRecord();
      await s.createBoard(rec, templateDoc().initial);
      await s.createBoard(other, templateDoc().initial);
      const note = (id: string, owner: string): SessionRecord => ({ kind: 'private', key: id, owner, value: { id, text: `t-${id}`, ownerId: owner } });
      await s.writeSessionRecords(rec.id, {
        put: [
          { kind: 'setting', key: 'locked', owner: null, value: true },
          note('n1', 'ann'),
          note('n2', 'bob'),
          note('n3', 'ann'),
          { kind: 'ballot', key: 'ann', owner: 'ann', value: ['n1', 'n1'] },
        ],
      });
      await s.writeSessionRecords(other.id, { put: [note('n1', 'ann')] });
      expect(await s.listSessionRecords(rec.id, { kind: 'private', owner: 'ann' })).toEqual([note('n1', 'ann'), note('n3', 'ann')]);
      expect(await s.countSessionRecords(rec.id, { kind: 'private' })).toBe(3);
      expect(await s.countSessionRecords(rec.id, { kind: 'private', owner: 'bob' })).toBe(1);
      expect(await s.listSessionRecords(rec.id, { kind: 'setting', key: 'locked' })).toEqual([{ kind: 'setting', key: 'locked', owner: null, value: true }]);
      // An upsert replaces that one row only.
      await s.writeSessionRecords(rec.id, { put: [{ ...note('n1', 'ann'), value: { id: 'n1', text: 'edited', ownerId: 'ann' } }] });
      expect((await s.listSessionRecords(rec.id, { kind: 'private', key: 'n1' }))[0]?.value).toEqual({ id: 'n1', text: 'edited', ownerId: 'ann' });
      expect(await s.countSessionRecords(rec.id, { kind: 'private' })).toBe(3);
      // Removals by key and by kind, in the same transaction as puts (removals first).
      await s.writeSessionRecords(rec.id, { remove: [{ kind: 'private', key: 'n2' }, { kind: 'ballot' }], put: [{ kind: 'ballot', key: 'bob', owner: 'bob', value: [] }] });
      expect((await s.listSessionRecords(rec.id, { kind: 'private' })).map((r) => r.key)).toEqual(['n1', 'n3']);
      expect((await s.listSessionRecords(rec.id, { kind: 'ballot' })).map((r) => r.key)).toEqual(['bob']);
      // The other wall is untouched; an unknown wall takes no records.
      expect(await s.listSessionRecords(other.id)).toEqual([note('n1', 'ann')]);
      await expect(s.writeSessionRecords(newBoardId(), { put: [note('x', 'ann')] })).rejects.toThrow();
      expect(await s.listSessionRecords(newBoardId())).toEqual([]);
    });

    it('R52 getBoard settings: the blob overlaid with setting, ballot and suggestion records, never private notes', async () => {
      const s = await open();
      const rec = boardRecord({ locked: false, follow: true });
      await s.createBoard(rec, templateDoc().initial);
      await s.writeSessionRecords(rec.id, {
        put: [
          { kind: 'setting', key: 'locked', owner: null, value: true },
          { kind: 'setting', key: 'vote', owner: null, value: { id: 'v1', open: true, dotsPerParticipant: 3 } },
          { kind: 'ballot', key: 'ann', owner: 'ann', value: ['n1'] },
          { kind: 'private', key: 'p1', owner: 'ann', value: { id: 'p1' } },
        ],
      });
      const got = await s.getBoard(rec.id);
      expect(got?.settings).toMatchObject({ locked: true, follow: true, vote: { id: 'v1', open: true, dotsPerParticipant: 3, ballots: { ann: ['n1'] } } });
      expect(got?.settings).not.toHaveProperty('privateNotes');
    });

    it('R52 migrateSettings moves an old blob into records once, keeps the lock, and records already written win', async () => {
      const s = await open();
      const blob = {
        locked: true,
        privateWriting: true,
        timerEndsAt: 123,
        timerDurationMs: 60_000,
        vote: { id: 'v', open: true, dotsPerParticipant: 2, ballots: { ann: ['n1', 'n2'] } },
        privateNotes: [{ id: 'p1', text: 'privé', domainId: 'other', ownerId: 'ann', createdAt: 1 }],
        rejectedClusters: ['c1', 'c2'],
        glossary: [{ fr: ['vélo'], en: ['bike'] }],
      };
      const rec = boardRecord(blob);
      await s.createBoard(rec, templateDoc().initial);
      const before = readSettings(blob);
      await s.writeSessionRecords(rec.id, { put: [{ kind: 'setting', key: 'follow', owner: null, value: true }] });
      expect(await s.migrateSettings(rec.id, (b) => recordsFromSettings(readSettings(b)))).toBe(true);
      expect(await s.migrateSettings(rec.id, () => { throw new Error('must not run twice'); })).toBe(false);
      const records = await s.listSessionRecords(rec.id);
      const after = settingsFromRecords({}, records);
      expect(after).toEqual({ ...before, follow: true });
      expect(after.locked).toBe(true);
      expect(records.filter((r) => r.kind === 'private')).toHaveLength(1);
      expect((await s.getBoard(rec.id))?.settings).toMatchObject({ locked: true, privateWriting: true, follow: true });
      expect(await s.migrateSettings(newBoardId(), () => [])).toBe(false);
    });

    it('R31 R52 deleteBoard erases the wall\'s session records too', async () => {
      const s = await open();
      const rec = boardRecord();
      const keep = boardRecord();
      await s.createBoard(rec, templateDoc().initial);
      await s.createBoard(keep, templateDoc().initial);
      const priv: SessionRecord = { kind: 'private', key: 'p', owner: 'o', value: { text: 'secret-private' } };
      await s.writeSessionRecords(rec.id, { put: [priv] });
      await s.writeSessionRecords(keep.id, { put: [priv] });
      expect(await s.deleteBoard(rec.id)).toBe(true);
      expect(await s.listSessionRecords(rec.id)).toEqual([]);
      expect(await s.listSessionRecords(keep.id)).toEqual([priv]);
    });

    it('R84 contacts: upsert replaces one person’s row, list/get/delete one/delete all, per wall', async () => {
      const s = await open();
      const rec = boardRecord();
      const other = boardRecord();
      await s.createBoard(rec, templateDoc().initial);
      await s.createBoard(other, templateDoc().initial);
      await s.upsertContact(rec.id, { ownerId: 'b-owner', email: 'b@x.example', share: 'hosts' });
      await s.upsertContact(rec.id, { ownerId: 'a-owner', email: 'a@x.example', share: 'review' });
      await s.upsertContact(rec.id, { ownerId: 'a-owner', email: 'a2@x.example', share: 'participants' });
      await s.upsertContact(other.id, { ownerId: 'a-owner', email: 'other@x.example', share: 'review' });
      const list = await s.listContacts(rec.id);
      expect(list.map(({ ownerId, email, share }) => ({ ownerId, email, share }))).toEqual([
        { ownerId: 'a-owner', email: 'a2@x.example', share: 'participants' },
        { ownerId: 'b-owner', email: 'b@x.example', share: 'hosts' },
      ]);
      expect(list.every((c) => c.updatedAt > 0)).toBe(true);
      expect((await s.getContact(rec.id, 'b-owner'))?.email).toBe('b@x.example');
      expect(await s.getContact(rec.id, 'nobody')).toBeNull();
      expect(await s.deleteContact(rec.id, 'b-owner')).toBe(true);
      expect(await s.deleteContact(rec.id, 'b-owner')).toBe(false);
      expect(await s.deleteContacts(rec.id)).toBe(1);
      expect(await s.listContacts(rec.id)).toEqual([]);
      expect((await s.getContact(other.id, 'a-owner'))?.email).toBe('other@x.example');
      // Deleting the wall takes its contacts with it (R31).
      expect(await s.deleteBoard(other.id)).toBe(true);
      expect(await s.listContacts(other.id)).toEqual([]);
      await s.purgeDeleted();
    });

    it('R88 findSettings reads one setting across walls', async () => {
      const s = await open();
      const a = boardRecord();
      const b = boardRecord();
      await s.createBoard(a, templateDoc().initial);
      await s.createBoard(b, templateDoc().initial);
      const key = `sessionEndedAt`;
      await s.writeSessionRecords(a.id, { put: [{ kind: 'setting', key, owner: null, value: 123 }] });
      await s.writeSessionRecords(b.id, { put: [{ kind: 'setting', key: 'locked', owner: null, value: true }] });
      const found = (await s.findSettings(key)).filter((r) => r.boardId === a.id || r.boardId === b.id);
      expect(found).toEqual([{ boardId: a.id, value: 123 }]);
    });

    it('R86 a snapshot can be rewritten in place (erasure), only its own wall’s', async () => {
      const s = await open();
      const rec = boardRecord();
      await s.createBoard(rec, templateDoc().initial);
      const snap: SnapshotRecord = { id: newSnapshotId(), boardId: rec.id, name: 'n', createdAt: 1, noteCount: 2, kind: 'manual' };
      await s.saveSnapshot(snap, new Uint8Array([1, 2, 3]));
      expect(await s.rewriteSnapshot(rec.id, snap.id, new Uint8Array([4, 5]), 1)).toBe(true);
      const got = await s.getSnapshot(rec.id, snap.id);
      expect(Array.from(got?.state ?? [])).toEqual([4, 5]);
      expect(got?.rec.noteCount).toBe(1);
      expect(await s.rewriteSnapshot(newBoardId(), snap.id, new Uint8Array([9]), 0)).toBe(false);
    });

    it('R56 checkHealth writes and reads back, repeatedly', async () => {
      const s = await open();
      await expect(s.checkHealth()).resolves.toBeUndefined();
      await expect(s.checkHealth()).resolves.toBeUndefined();
    });

    it('R52 session records survive closing and reopening the store', async () => {
      const s = await open();
      const rec = boardRecord();
      await s.createBoard(rec, templateDoc().initial);
      await s.writeSessionRecords(rec.id, { put: [{ kind: 'setting', key: 'locked', owner: null, value: true }] });
      await s.close();
      const again = await open();
      expect(await again.listSessionRecords(rec.id)).toEqual([{ kind: 'setting', key: 'locked', owner: null, value: true }]);
    });
  });
}
