import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addNote, deleteNote, initBoard, listDomains, listNotes, updateNote } from '@maillage/shared';
import { KnownDeletions, knownDeletions, withoutKnownDeletions } from './knownDeletions.ts';

/** A tiny deterministic generator (the failing seed reproduces). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const rangesOf = (ds: { clients: Map<number, { clock: number; len: number }[]> }) => new Map(Array.from(ds.clients, ([c, items]) => [c, items.map((i) => [i.clock, i.len])]));
const dsRanges = (update: Uint8Array) => {
  let n = 0;
  for (const items of Y.decodeUpdate(update).ds.clients.values()) n += items.length;
  return n;
};

/** A wall where several people added, edited and deleted notes, and a replica of it. */
function wallWithHistory(seed: number): { server: Y.Doc; replica: Y.Doc } {
  const r = rng(seed);
  const server = new Y.Doc();
  initBoard(server, { title: 'Atelier', template: 'relationship-mapping' });
  const domain = (listDomains(server)[0] as { id: string }).id;
  for (let i = 0; i < 60; i++) {
    server.clientID = 100 + (i % 7);
    addNote(server, { text: `n${i}`, domainId: domain, ownerId: `o${i % 7}` });
    const notes = listNotes(server);
    const pick = notes[Math.floor(r() * notes.length)];
    if (pick && r() < 0.3) deleteNote(server, pick.id);
    else if (pick) updateNote(server, pick.id, { x: Math.floor(r() * 500) });
  }
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(server));
  return { server, replica };
}

describe('known deletions (R94)', () => {
  it('R94 keeps exactly the clocks added, merged, whatever the order (random ranges vs a brute-force set)', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const r = rng(seed);
      const doc = new Y.Doc();
      const k = new KnownDeletions(doc);
      const truth = new Set<number>();
      for (let i = 0; i < 60; i++) {
        const start = Math.floor(r() * 200);
        const len = 1 + Math.floor(r() * 12);
        k.add(5, start, start + len);
        for (let c = start; c < start + len; c++) truth.add(c);
      }
      for (let i = 0; i < 40; i++) {
        const start = Math.floor(r() * 220);
        const end = start + 1 + Math.floor(r() * 30);
        const left: number[] = [];
        k.subtract(5, start, end, left);
        const expected: number[] = [];
        for (let c = start; c < end; c++) if (!truth.has(c)) expected.push(c);
        const got: number[] = [];
        for (let j = 0; j < left.length; j += 2) for (let c = left[j] as number; c < (left[j + 1] as number); c++) got.push(c);
        expect(got, `seed ${seed}`).toEqual(expected);
        expect(k.covers(5, start, end), `seed ${seed}`).toBe(expected.length === 0);
      }
      doc.destroy();
    }
  });

  it('R94 follows the document: after any transaction it holds the document\'s delete set', () => {
    const { server } = wallWithHistory(3);
    const k = knownDeletions(server);
    const domain = (listDomains(server)[0] as { id: string }).id;
    const id = addNote(server, { text: 'later', domainId: domain, ownerId: 'o1' });
    updateNote(server, id, { text: 'later, edited' });
    deleteNote(server, (listNotes(server)[0] as { id: string }).id);
    const fresh = new KnownDeletions(server);
    expect(rangesOf(Y.createDeleteSetFromStructStore(server.store)).size).toBeGreaterThan(0);
    for (const [client, items] of Y.createDeleteSetFromStructStore(server.store).clients) {
      for (const it of items) {
        expect(k.covers(client, it.clock, it.clock + it.len)).toBe(true);
        expect(fresh.covers(client, it.clock, it.clock + it.len)).toBe(true);
      }
    }
    expect(k.size).toBe(fresh.size);
  });

  it('R94 a reconnect\'s sync step 2 loses the deletions the server has; applying it does exactly what the original does', () => {
    for (let seed = 1; seed <= 8; seed++) {
      const { server, replica } = wallWithHistory(seed);
      // Offline: the replica adds, edits and deletes (its own deletions are new to the server)…
      const domain = (listDomains(replica)[0] as { id: string }).id;
      replica.clientID = 999;
      const mine = addNote(replica, { text: 'offline', domainId: domain, ownerId: 'o1' });
      updateNote(replica, mine, { text: 'offline, edited' });
      const gone = addNote(replica, { text: 'offline, gone', domainId: domain, ownerId: 'o1' });
      deleteNote(replica, gone);
      // …while the server goes on.
      server.clientID = 4242;
      deleteNote(server, (listNotes(server)[1] as { id: string }).id);
      const update = Y.encodeStateAsUpdate(replica, Y.encodeStateVector(server));
      const stripped = withoutKnownDeletions(server, update);
      expect(stripped.length, `seed ${seed}`).toBeLessThan(update.length);
      expect(dsRanges(stripped)).toBeLessThan(dsRanges(update));
      const a = new Y.Doc();
      const b = new Y.Doc();
      Y.applyUpdate(a, Y.encodeStateAsUpdate(server));
      Y.applyUpdate(b, Y.encodeStateAsUpdate(server));
      Y.applyUpdate(a, update);
      Y.applyUpdate(b, stripped);
      expect(Y.encodeStateVector(b)).toEqual(Y.encodeStateVector(a));
      expect(rangesOf(Y.createDeleteSetFromStructStore(b.store))).toEqual(rangesOf(Y.createDeleteSetFromStructStore(a.store)));
      expect(b.getMap('notes').toJSON()).toEqual(a.getMap('notes').toJSON());
    }
  });

  it('R94 an update with nothing to drop, or not laid out as Yjs writes it, is passed on unchanged', () => {
    const { server, replica } = wallWithHistory(5);
    const domain = (listDomains(replica)[0] as { id: string }).id;
    addNote(replica, { text: 'new', domainId: domain, ownerId: 'o1' });
    const onlyNew = Y.encodeStateAsUpdate(replica, Y.encodeStateVector(server));
    const noDeletes = Y.mergeUpdates([onlyNew]);
    expect(withoutKnownDeletions(new Y.Doc(), noDeletes)).toBe(noDeletes);
    // A delete set with an empty client entry (readable by Yjs, never written by it).
    const odd = new Uint8Array([0, 2, 5, 0, 7, 1, 0, 1]);
    expect(withoutKnownDeletions(server, odd)).toBe(odd);
    const garbage = new Uint8Array([1, 2, 3, 250, 250, 250]);
    expect(withoutKnownDeletions(server, garbage)).toBe(garbage);
  });
});
