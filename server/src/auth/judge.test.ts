import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  LIMITS,
  NoteSchema,
  addNote,
  deleteNote,
  initBoard,
  listDomains,
  listNotes,
  relationsMap,
  roots,
  updateNote,
  type Role,
} from '@maillage/shared';
import { judgeAndApply, type JudgeContext } from './judge.ts';

const ctx = (role: Role, ownerId: string | null = null, extra: Partial<JudgeContext> = {}): JudgeContext => ({
  role,
  ownerId,
  locked: false,
  privateWriting: false,
  ...extra,
});

/** A server document with a template and one note each for owners A and B. */
function server(): { doc: Y.Doc; domain: string; noteA: string; noteB: string } {
  const doc = new Y.Doc();
  initBoard(doc, { title: 'Atelier', template: 'relationship-mapping' });
  const domain = (listDomains(doc)[0] as { id: string }).id;
  const noteA = addNote(doc, { text: 'Mentorat', domainId: domain, ownerId: 'A' });
  const noteB = addNote(doc, { text: 'Tutorat', domainId: domain, ownerId: 'B' });
  return { doc, domain, noteA, noteB };
}

/** A client that has synced with the server. */
function clientOf(doc: Y.Doc): Y.Doc {
  const c = new Y.Doc();
  Y.applyUpdate(c, Y.encodeStateAsUpdate(doc));
  return c;
}

/** What the client would send the server in sync step 2 (everything the server lacks). */
const step2 = (client: Y.Doc, srv: Y.Doc) => Y.encodeStateAsUpdate(client, Y.encodeStateVector(srv));

const everyRecordValid = (doc: Y.Doc) => {
  roots(doc).notes.forEach((m, id) => {
    expect(m).toBeInstanceOf(Y.Map);
    expect(NoteSchema.strict().safeParse({ ...m.toJSON(), id }).success).toBe(true);
  });
};

describe('judging the net effect of an update', () => {
  it('R50 a client replaying history the server already has (others\' deletions and edits) is never refused', () => {
    const s = server();
    const a = clientOf(s.doc);
    // Others act while A is offline: B edits and deletes; a host deletes a note.
    const b = clientOf(s.doc);
    updateNote(b, s.noteB, { text: 'Tutorat du soir' });
    Y.applyUpdate(s.doc, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(a, Y.encodeStateAsUpdate(s.doc));
    deleteNote(b, s.noteB);
    Y.applyUpdate(s.doc, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(a, Y.encodeStateAsUpdate(s.doc));
    // A writes offline, then reconnects: its update carries the whole delete set.
    const mine = addNote(a, { text: 'Hors ligne', domainId: s.domain, ownerId: 'A' });
    updateNote(a, s.noteA, { text: 'Mentorat (modifié)' });
    const res = judgeAndApply(s.doc, Y.encodeStateAsUpdate(a), ctx('participant', 'A'), 'peer');
    expect(res.refusals).toEqual([]);
    expect(listNotes(s.doc).map((n) => n.text).sort()).toEqual(['Hors ligne', 'Mentorat (modifié)']);
    expect(roots(s.doc).notes.has(mine)).toBe(true);
    // Replaying everything again changes nothing and refuses nothing.
    expect(judgeAndApply(s.doc, Y.encodeStateAsUpdate(a), ctx('participant', 'A'), 'peer')).toMatchObject({ refusals: [], update: null });
  });

  it('R50 a participant who adds then deletes their own note offline is accepted', () => {
    const s = server();
    const a = clientOf(s.doc);
    const id = addNote(a, { text: 'brouillon', domainId: s.domain, ownerId: 'A' });
    deleteNote(a, id);
    expect(judgeAndApply(s.doc, step2(a, s.doc), ctx('participant', 'A'), 'peer').refusals).toEqual([]);
  });

  it('R51 deleting someone else\'s note is put back with its content; nobody else sees the deletion', () => {
    const s = server();
    const a = clientOf(s.doc);
    deleteNote(a, s.noteB);
    const res = judgeAndApply(s.doc, step2(a, s.doc), ctx('participant', 'A'), 'peer');
    expect(res.refusals.map((r) => r.reason)).toEqual(['not_owner']);
    expect(listNotes(s.doc).find((n) => n.id === s.noteB)).toMatchObject({ text: 'Tutorat', ownerId: 'B' });
    // The sender converges once it applies the server's answer.
    Y.applyUpdate(a, res.update as Uint8Array);
    expect(listNotes(a).find((n) => n.id === s.noteB)?.text).toBe('Tutorat');
  });

  it('R51 a field set twice in one update cannot forge ownership', () => {
    const s = server();
    const base = Y.encodeStateAsUpdate(s.doc);
    // Two concurrent writers of ownerId on A's own note, merged into one frame.
    const x = new Y.Doc();
    Y.applyUpdate(x, base);
    const y = new Y.Doc();
    Y.applyUpdate(y, base);
    roots(x).notes.get(s.noteA)?.set('ownerId', 'A');
    roots(y).notes.get(s.noteA)?.set('ownerId', 'B');
    const merged = Y.mergeUpdates([Y.encodeStateAsUpdate(x, Y.encodeStateVector(s.doc)), Y.encodeStateAsUpdate(y, Y.encodeStateVector(s.doc))]);
    judgeAndApply(s.doc, merged, ctx('participant', 'A'), 'peer');
    expect(roots(s.doc).notes.get(s.noteA)?.get('ownerId')).toBe('A');
    // And a new note carrying two owners ends up owned by the sender or not at all.
    const z1 = new Y.Doc();
    Y.applyUpdate(z1, Y.encodeStateAsUpdate(s.doc));
    const z2 = new Y.Doc();
    Y.applyUpdate(z2, Y.encodeStateAsUpdate(s.doc));
    addNote(z1, { id: 'forged', text: 't', domainId: s.domain, ownerId: 'A' });
    addNote(z2, { id: 'forged', text: 't', domainId: s.domain, ownerId: 'B' });
    const sv = Y.encodeStateVector(s.doc);
    judgeAndApply(s.doc, Y.mergeUpdates([Y.encodeStateAsUpdate(z1, sv), Y.encodeStateAsUpdate(z2, sv)]), ctx('participant', 'A'), 'peer');
    const owner = roots(s.doc).notes.get('forged')?.get('ownerId');
    expect(owner === undefined || owner === 'A').toBe(true);
  });

  it('R51 an edit of one\'s own note keeps the text and puts back an owner change', () => {
    const s = server();
    const a = clientOf(s.doc);
    a.transact(() => {
      const m = roots(a).notes.get(s.noteA) as Y.Map<unknown>;
      m.set('text', 'Mentorat entre pairs');
      m.set('ownerId', 'B');
      m.set('coauthors', [{ author: 'x', email: '', org: '' }]);
    });
    const res = judgeAndApply(s.doc, step2(a, s.doc), ctx('participant', 'A'), 'peer');
    expect(res.refusals).toHaveLength(1);
    expect(listNotes(s.doc).find((n) => n.id === s.noteA)).toMatchObject({ text: 'Mentorat entre pairs', ownerId: 'A' });
    expect(roots(s.doc).notes.get(s.noteA)?.has('coauthors')).toBe(false);
  });

  it('R51 wrong shapes under notes (array, text, string) are removed and never reach the update', () => {
    const s = server();
    for (const make of [() => new Y.Array<unknown>(), () => new Y.Text('secret-text-xyz'), () => 'secret-text-xyz']) {
      const a = clientOf(s.doc);
      roots(a).notes.set('evil', make() as never);
      const res = judgeAndApply(s.doc, step2(a, s.doc), ctx('participant', 'A'), 'peer');
      expect(res.refusals[0]?.reason).toBe('invalid');
      expect(roots(s.doc).notes.has('evil')).toBe(false);
      expect(Buffer.from(res.update ?? []).includes('secret-text-xyz')).toBe(false);
      everyRecordValid(s.doc);
    }
  });

  it('R51 a shared type as a field, an unknown field or a bad value is put back, the rest of the note kept', () => {
    const s = server();
    const a = clientOf(s.doc);
    a.transact(() => {
      const m = roots(a).notes.get(s.noteA) as Y.Map<unknown>;
      m.set('x', 42);
      m.set('color', new Y.Array());
      m.set('evil', 'x');
      m.set('text', 'y'.repeat(LIMITS.noteText + 1));
    });
    judgeAndApply(s.doc, step2(a, s.doc), ctx('host'), 'peer');
    expect(listNotes(s.doc).find((n) => n.id === s.noteA)).toMatchObject({ x: 42, text: 'Mentorat' });
    everyRecordValid(s.doc);
  });

  it('R51 content under an unknown root or in a root\'s list part is removed', () => {
    const s = server();
    const a = clientOf(s.doc);
    a.getArray('evil').push(['x']);
    a.getMap('other').set('k', 'v');
    const res = judgeAndApply(s.doc, step2(a, s.doc), ctx('host'), 'peer');
    expect(res.refusals.length).toBeGreaterThan(0);
    expect(s.doc.getArray('evil').length).toBe(0);
    expect(s.doc.getMap('other').size).toBe(0);
  });

  it('R51 participants write no domains, settings or groups; hosts do', () => {
    const s = server();
    const a = clientOf(s.doc);
    roots(a).meta.set('title', 'Piraté');
    roots(a).domains.delete(listDomains(a)[0]?.id as string);
    const res = judgeAndApply(s.doc, step2(a, s.doc), ctx('participant', 'A'), 'peer');
    expect(new Set(res.refusals.map((r) => r.reason))).toEqual(new Set(['host_only']));
    expect(roots(s.doc).meta.get('title')).toBe('Atelier');
    expect(listDomains(s.doc)).toHaveLength(7);
    const h = clientOf(s.doc);
    roots(h).meta.set('title', 'Nouveau titre');
    expect(judgeAndApply(s.doc, step2(h, s.doc), ctx('host'), 'peer').refusals).toEqual([]);
    expect(roots(s.doc).meta.get('title')).toBe('Nouveau titre');
  });

  it('R68 a stock client note without owner or organisation is accepted and completed by the server', () => {
    const s = server();
    const a = clientOf(s.doc);
    const m = new Y.Map<unknown>();
    for (const [k, v] of Object.entries({ text: 'Aide aux devoirs', author: 'Ana', email: 'ana@example.org', domainId: s.domain, x: 1, y: 2, color: '#a5d6a7', createdAt: 5 })) m.set(k, v);
    roots(a).notes.set('stock', m);
    const res = judgeAndApply(s.doc, step2(a, s.doc), ctx('participant', 'c-conn'), 'peer');
    expect(res.refusals).toEqual([]);
    expect(listNotes(s.doc).find((n) => n.id === 'stock')).toMatchObject({ ownerId: 'c-conn', org: '', text: 'Aide aux devoirs' });
  });

  it('R51 while locked a participant changes nothing; private writing refuses only new notes', () => {
    const s = server();
    const a = clientOf(s.doc);
    addNote(a, { text: 'n', domainId: s.domain, ownerId: 'A' });
    updateNote(a, s.noteA, { text: 'edit' });
    const locked = judgeAndApply(s.doc, step2(a, s.doc), ctx('participant', 'A', { locked: true }), 'peer');
    expect(new Set(locked.refusals.map((r) => r.reason))).toEqual(new Set(['locked']));
    expect(locked.refusals.find((r) => r.kind === 'create')?.value).toMatchObject({ text: 'n' });
    expect(listNotes(s.doc)).toHaveLength(2);
    const b = clientOf(s.doc);
    addNote(b, { text: 'n2', domainId: s.domain, ownerId: 'A' });
    updateNote(b, s.noteA, { text: 'edit2' });
    const priv = judgeAndApply(s.doc, step2(b, s.doc), ctx('participant', 'A', { privateWriting: true }), 'peer');
    expect(priv.refusals.map((r) => r.reason)).toEqual(['private_writing']);
    expect(listNotes(s.doc).find((n) => n.id === s.noteA)?.text).toBe('edit2');
  });

  it('R51 connectors: own only, between existing notes, capped per author', () => {
    const s = server();
    const a = clientOf(s.doc);
    const rel = (id: string, from: string, to: string, ownerId = 'A') => {
      const m = new Y.Map<unknown>();
      for (const [k, v] of Object.entries({ from, to, label: '', ownerId, createdAt: 1 })) m.set(k, v);
      relationsMap(a).set(id, m);
    };
    rel('ok', s.noteA, s.noteB);
    rel('ghost', s.noteA, 'nope');
    rel('forged', s.noteA, s.noteB, 'B');
    const res = judgeAndApply(s.doc, step2(a, s.doc), ctx('participant', 'A'), 'peer');
    expect(Array.from(relationsMap(s.doc).keys())).toEqual(['ok']);
    expect(res.refusals.map((r) => r.reason).sort()).toEqual(['invalid', 'not_owner']);
    const many = clientOf(s.doc);
    many.transact(() => {
      for (let i = 0; i < LIMITS.relationsPerOwner + 5; i++) {
        const m = new Y.Map<unknown>();
        for (const [k, v] of Object.entries({ from: s.noteA, to: s.noteB, label: '', ownerId: 'A', createdAt: 1 })) m.set(k, v);
        relationsMap(many).set(`r${i}`, m);
      }
    });
    judgeAndApply(s.doc, step2(many, s.doc), ctx('participant', 'A'), 'peer');
    expect(relationsMap(s.doc).size).toBe(LIMITS.relationsPerOwner);
  });

  it('R50 an update whose dependencies the server lacks is not kept pending; the sender is asked to sync', () => {
    const s = server();
    const a = clientOf(s.doc);
    addNote(a, { text: 'one', domainId: s.domain, ownerId: 'A' });
    const sv = Y.encodeStateVector(a);
    addNote(a, { text: 'two', domainId: s.domain, ownerId: 'A' });
    const second = Y.encodeStateAsUpdate(a, sv);
    const res = judgeAndApply(s.doc, second, ctx('participant', 'A'), 'peer');
    expect(res.incomplete).toBe(true);
    expect(s.doc.store.pendingStructs).toBeNull();
    expect(judgeAndApply(s.doc, step2(a, s.doc), ctx('participant', 'A'), 'peer')).toMatchObject({ refusals: [], incomplete: false });
    expect(listNotes(s.doc)).toHaveLength(4);
  });

  it('R76 with takeContacts, an email written on a note (stock client or ours) leaves the document and the update', () => {
    const s = server();
    const a = clientOf(s.doc);
    const m = new Y.Map<unknown>();
    for (const [k, v] of Object.entries({ text: 'Aide', author: 'Ana', email: 'ana.secret@example.org', domainId: s.domain, x: 1, y: 2, color: '#a5d6a7', createdAt: 5 })) m.set(k, v);
    roots(a).notes.set('stock', m);
    const res = judgeAndApply(s.doc, step2(a, s.doc), ctx('participant', 'A', { takeContacts: true }), 'peer');
    expect(res.contacts).toEqual([{ ownerId: 'A', email: 'ana.secret@example.org' }]);
    expect(roots(s.doc).notes.get('stock')?.has('email')).toBe(false);
    expect(Buffer.from(res.update ?? []).includes('ana.secret@example.org')).toBe(false);
    expect(Buffer.from(Y.encodeStateAsUpdate(s.doc)).includes('ana.secret@example.org')).toBe(false);
    // The sender is sent the fix, so its own copy drops the email too.
    expect(res.fixed).toBe(true);
    Y.applyUpdate(a, res.update as Uint8Array);
    expect(roots(a).notes.get('stock')?.has('email')).toBe(false);
    // A host merging co-authors: their emails are taken too, their author ids kept.
    const h = clientOf(s.doc);
    roots(h).notes.get(s.noteA)?.set('coauthors', [{ author: 'Bo', org: 'X', email: 'bo.secret@example.org', ownerId: 'B' }]);
    const res2 = judgeAndApply(s.doc, step2(h, s.doc), ctx('host', null, { takeContacts: true }), 'peer');
    expect(res2.contacts).toEqual([{ ownerId: 'B', email: 'bo.secret@example.org' }]);
    expect(roots(s.doc).notes.get(s.noteA)?.get('coauthors')).toEqual([{ author: 'Bo', org: 'X', ownerId: 'B' }]);
    expect(Buffer.from(Y.encodeStateAsUpdate(s.doc)).includes('bo.secret')).toBe(false);
  });
});

