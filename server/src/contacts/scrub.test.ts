import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { acceptCluster, addNote, addRelation, initBoard, listClusters, listNotes, updateNote } from '@maillage/shared';
import { scrubDoc, scrubState } from './scrub.ts';

function wall() {
  const doc = new Y.Doc();
  initBoard(doc, { title: 'T', template: 'relationship-mapping' });
  const a = addNote(doc, { text: 'secret-text-of-a', domainId: 'mentoring', author: 'A', email: 'a@erase.example', ownerId: 'owner-a' });
  const b = addNote(doc, { text: 'text of b', domainId: 'mentoring', author: 'B', ownerId: 'owner-b' });
  updateNote(doc, b, { coauthors: [{ author: 'Co A', org: 'O', ownerId: 'owner-a', email: 'a@erase.example' }, { author: 'Co C', org: 'O', ownerId: 'owner-c' }] });
  addRelation(doc, { from: a, to: b, label: 'l' });
  acceptCluster(doc, { label: 'c', noteIds: [a, b], terms: [], score: 1 });
  return { doc, a, b };
}

const bytes = (u: Uint8Array) => Buffer.from(u);

describe('scrub (server/src/contacts)', () => {
  it('R86 erasing a person removes their notes, connectors, co-author entries and cluster membership; no byte stays in the state', () => {
    const { doc, a, b } = wall();
    const out = scrubState(Y.encodeStateAsUpdate(doc), { owners: new Set(['owner-a']), emails: true });
    expect(out).not.toBeNull();
    expect(bytes(out!.state).includes('secret-text-of-a')).toBe(false);
    expect(bytes(out!.state).includes('a@erase.example')).toBe(false);
    expect(bytes(out!.state).includes('Co A')).toBe(false);
    const d = new Y.Doc();
    Y.applyUpdate(d, out!.state);
    expect(listNotes(d).map((n) => n.id)).toEqual([b]);
    expect(listNotes(d)[0]?.coauthors?.map((c) => c.ownerId)).toEqual(['owner-c']);
    expect(listClusters(d)[0]?.noteIds).toEqual([b]);
    expect(d.getMap('relations').size).toBe(0);
    expect(out!.noteCount).toBe(1);
    void a;
  });

  it('R86 a state without the target is left alone (null); removing by note id works for anyone’s note', () => {
    const { doc, b } = wall();
    expect(scrubState(Y.encodeStateAsUpdate(doc), { owners: new Set(['nobody']) })).toBeNull();
    const r = scrubDoc(doc, { noteIds: new Set([b]) });
    expect(r.notes).toEqual([b]);
    expect(bytes(Y.encodeStateAsUpdate(doc)).includes('text of b')).toBe(false);
  });
});
