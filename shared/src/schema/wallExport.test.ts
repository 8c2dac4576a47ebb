import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { acceptCluster, addRelation } from './clusters.ts';
import { addNote, initBoard, listDomains, listNotes } from './doc.ts';
import { exportWall, importWall, parseWallExport } from './wallExport.ts';

describe('wall export', () => {
  it('round-trips a wall into a fresh document (ids, owners, clusters, relations kept)', () => {
    const doc = new Y.Doc();
    initBoard(doc, { title: 'Été', template: 'five-levers', now: 5 });
    const a = addNote(doc, { text: 'A', domainId: 'policies', email: 'a@b.example', ownerId: 'owner-a' });
    const b = addNote(doc, { text: 'B', domainId: 'data' });
    acceptCluster(doc, { label: 'AB', noteIds: [a, b], terms: ['x'], score: 0.5 });
    addRelation(doc, { from: a, to: b, label: 'lien' });
    const out = exportWall(doc, { emails: true, votes: { [a]: 2, gone: 1 } });
    expect(out.votes).toEqual({ [a]: 2 });
    const copy = new Y.Doc();
    initBoard(copy, { title: 'x', template: 'relationship-mapping' });
    importWall(copy, parseWallExport(JSON.parse(JSON.stringify(out))));
    expect({ ...exportWall(copy, { emails: true }), exportedAt: '' }).toEqual({ ...out, votes: undefined, exportedAt: '' });
    expect(listNotes(copy)).toEqual(listNotes(doc));
    expect(listDomains(copy)).toEqual(listDomains(doc));
  });

  it('blanks emails for viewers who may not see them', () => {
    const doc = new Y.Doc();
    initBoard(doc, { title: 'T', template: 'blank' });
    expect(exportWall(doc, { emails: false }).notes).toEqual([]);
    initBoard(doc, { title: 'T', template: 'theory-of-change' });
    addNote(doc, { text: 'A', domainId: 'impact', email: 'a@b.example' });
    expect(exportWall(doc, { emails: false }).notes[0]?.email).toBe('');
  });

  it('refuses malformed exports with the path of the problem', () => {
    expect(() => parseWallExport({ format: 'maillage-wall' })).toThrow(/invalid wall export: version/);
    expect(() => parseWallExport(null)).toThrow(/invalid wall export/);
  });
});
