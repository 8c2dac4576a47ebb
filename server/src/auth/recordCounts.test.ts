import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addNote, deleteNote, initBoard, listDomains, listNotes, relationsMap, roots } from '@maillage/shared';
import { recordCounts } from './recordCounts.ts';

function relation(from: string, to: string, ownerId: string): Y.Map<unknown> {
  const m = new Y.Map<unknown>();
  for (const [k, v] of Object.entries({ from, to, label: '', ownerId, createdAt: 1 })) m.set(k, v);
  return m;
}

describe('record counts (R95)', () => {
  it('R95 follow every transaction: notes, domains and connectors per wall and per owner equal a full count', () => {
    const doc = new Y.Doc();
    initBoard(doc, { title: 'Atelier', template: 'relationship-mapping' });
    const domain = (listDomains(doc)[0] as { id: string }).id;
    for (let i = 0; i < 5; i++) addNote(doc, { text: `before ${i}`, domainId: domain, ownerId: 'A' });
    const counts = recordCounts(doc);
    const check = () => {
      for (const root of ['notes', 'domains', 'relations'] as const) expect(counts.size(root)).toBe(doc.getMap(root).size);
      for (const owner of ['A', 'B']) {
        let n = 0;
        relationsMap(doc).forEach((m) => (m.get('ownerId') === owner ? n++ : 0));
        expect(counts.relationsOf(owner)).toBe(n);
      }
    };
    check();
    let seed = 7;
    const r = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
    for (let step = 0; step < 150; step++) {
      const notes = listNotes(doc);
      const roll = r();
      if (roll < 0.35) addNote(doc, { text: `n${step}`, domainId: domain, ownerId: r() < 0.5 ? 'A' : 'B' });
      else if (roll < 0.5 && notes.length) deleteNote(doc, (notes[Math.floor(r() * notes.length)] as { id: string }).id);
      else if (roll < 0.75 && notes.length > 1) {
        // Several changes in one transaction: a connector added, one replaced, one removed.
        doc.transact(() => {
          const rel = relationsMap(doc);
          rel.set(`r${step}`, relation((notes[0] as { id: string }).id, (notes[1] as { id: string }).id, r() < 0.5 ? 'A' : 'B'));
          const keys = Array.from(rel.keys());
          const other = keys[Math.floor(r() * keys.length)] as string;
          if (r() < 0.5) rel.set(other, relation((notes[0] as { id: string }).id, (notes[1] as { id: string }).id, r() < 0.5 ? 'A' : 'B'));
          else rel.delete(other);
        });
      } else if (roll < 0.85) {
        // A connector's owner rewritten in place (the rules never allow it; the count still follows).
        const rel = relationsMap(doc);
        const first = Array.from(rel.keys())[0];
        if (first) rel.get(first)?.set('ownerId', rel.get(first)?.get('ownerId') === 'A' ? 'B' : 'A');
      } else {
        // Added and removed in the same transaction: no change.
        doc.transact(() => {
          roots(doc).notes.set('tmp', new Y.Map());
          roots(doc).notes.delete('tmp');
        });
      }
      check();
    }
  });
});
