import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { acceptCluster, addNote, deleteNote, initBoard, listClusters, listDomains, listNotes, updateDomain, updateNote } from '@maillage/shared';
import { stableContent, syncDoc } from './docSync.ts';

function wall(): Y.Doc {
  const doc = new Y.Doc();
  initBoard(doc, { title: 'Mur', template: 'relationship-mapping', now: 1 });
  return doc;
}
const clone = (doc: Y.Doc): Y.Doc => {
  const d = new Y.Doc();
  Y.applyUpdate(d, Y.encodeStateAsUpdate(doc));
  return d;
};

describe('syncDoc (restore)', () => {
  it('makes the content equal: deleted notes come back, new ones go, edits revert', () => {
    const live = wall();
    const a = addNote(live, { text: 'A', domainId: 'other' });
    const b = addNote(live, { text: 'B', domainId: 'other' });
    acceptCluster(live, { label: 'AB', noteIds: [a, b], terms: [], score: 1 });
    const snap = clone(live);
    updateNote(live, a, { text: 'A2', x: 300 });
    deleteNote(live, b);
    addNote(live, { text: 'C', domainId: 'mentoring' });
    updateDomain(live, 'other', { title: { fr: 'Autre chose', en: 'Else' } });
    expect(stableContent(live)).not.toBe(stableContent(snap));
    live.transact(() => syncDoc(live, snap));
    expect(stableContent(live)).toBe(stableContent(snap));
    expect(listNotes(live).map((n) => n.text).sort()).toEqual(['A', 'B']); // same createdAt: order is by random id
    expect(listDomains(live)).toEqual(listDomains(snap));
    expect(listClusters(live)).toEqual(listClusters(snap));
  });

  it('changes nothing when the content is already equal, and keeps unchanged notes\' items', () => {
    const live = wall();
    const a = addNote(live, { text: 'A', domainId: 'other' });
    const snap = clone(live);
    const updates: Uint8Array[] = [];
    live.on('update', (u: Uint8Array) => updates.push(u));
    live.transact(() => syncDoc(live, snap));
    expect(updates).toEqual([]);
    // A client holding the restored wall merges its concurrent edit of an untouched note.
    addNote(live, { text: 'B', domainId: 'other' });
    const client = clone(live);
    updateNote(client, a, { text: 'A (client)' });
    live.transact(() => syncDoc(live, snap));
    Y.applyUpdate(live, Y.encodeStateAsUpdate(client));
    expect(listNotes(live).map((n) => n.text)).toEqual(['A (client)']);
  });
});
