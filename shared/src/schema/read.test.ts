import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { NoteSchema, DomainSchema } from './records.ts';
import { ClusterSchema, RelationSchema, acceptCluster, addRelation } from './clusters.ts';
import { addNote, initBoard, removeDomain, roots } from './doc.ts';
import { READ_NOTE_DEFAULTS, readNoteLenient, readWall } from './read.ts';
import { WallExportSchema, exportWall, importWall, parseWallExport, readWallExport } from './wallExport.ts';

function wall(): Y.Doc {
  const doc = new Y.Doc();
  initBoard(doc, { title: 'Mur', template: 'relationship-mapping', now: 1 });
  return doc;
}

function map(fields: Record<string, unknown>): Y.Map<unknown> {
  const m = new Y.Map<unknown>();
  for (const [k, v] of Object.entries(fields)) m.set(k, v);
  return m;
}

/** The documented fields a stock y-websocket client writes (no ownerId, no org). */
const stockNote = { text: 'Mentorat', author: 'Ana', email: 'ana@example.org', domainId: 'mentoring', x: 10, y: 20, color: '#fff59d', createdAt: 5 };

describe('readWall (R58–R59)', () => {
  it('R59 shows a stock client note without ownerId/org, with defaults', () => {
    const doc = wall();
    doc.getMap('notes').set('stock', map(stockNote));
    const { notes, problems } = readWall(doc);
    expect(problems).toEqual([]);
    expect(notes).toEqual([{ id: 'stock', ...stockNote, ownerId: '', org: '' }]);
    expect(NoteSchema.safeParse(notes[0]).success).toBe(true);
  });

  it('R59 fills every optional field: only text and domainId are needed', () => {
    const doc = new Y.Doc();
    doc.getMap('notes').set('n', map({ text: 't', domainId: 'gone', createdAt: 3, x: Number.NaN, color: 'red', email: 'not an email', author: 7 }));
    const r = readNoteLenient('n', doc.getMap('notes').get('n'));
    expect(r).toEqual({ ok: true, value: { id: 'n', text: 't', domainId: 'gone', createdAt: 3, ...READ_NOTE_DEFAULTS } });
  });

  it('R58 skips and reports a string, a Y.Array, a Y.Text and a note missing its text, naming no content', () => {
    const doc = wall();
    const good = addNote(doc, { text: 'secret text', domainId: 'other', author: 'Zoé', email: 'zoe@example.org' });
    const notes = roots(doc).notes as unknown as Y.Map<unknown>;
    notes.set('str', 'a plain string with secret text');
    notes.set('arr', new Y.Array());
    notes.set('txt', new Y.Text('secret text'));
    notes.set('notext', map({ author: 'Zoé', domainId: 'other', createdAt: 1 }));
    notes.set('nodomain', map({ text: 'secret text', createdAt: 1 }));
    notes.set('num', 42);
    const { notes: read, problems } = readWall(doc);
    expect(read.map((n) => n.id)).toEqual([good]);
    expect(problems.map((p) => `${p.root}/${p.key}: ${p.reason}`).sort()).toEqual([
      'notes/arr: not a map (Y.Array)',
      'notes/nodomain: domainId: missing',
      'notes/notext: text: missing',
      'notes/num: not a map (number)',
      'notes/str: not a map (string)',
      'notes/txt: not a map (Y.Text)',
    ]);
    expect(JSON.stringify(problems)).not.toMatch(/secret|Zoé|example/);
  });

  it('R58 keeps clusters and relations valid: bad noteIds, dangling or malformed connectors', () => {
    const doc = wall();
    const a = addNote(doc, { text: 'A', domainId: 'other' });
    const b = addNote(doc, { text: 'B', domainId: 'other' });
    const c1 = acceptCluster(doc, { label: 'AB', noteIds: [a, b, 'deleted'], terms: [], score: 0.5 });
    doc.getMap('clusters').set('weird', map({ label: 'x', noteIds: 'a,b', terms: [], score: 2, createdAt: 1 }));
    doc.getMap('clusters').set('mixed', map({ label: 'm', noteIds: [a, 7, null], terms: 'no', score: 9, createdAt: 1 }));
    const r1 = addRelation(doc, { from: a, to: b });
    doc.getMap('relations').set('dangling', map({ from: a, to: 'gone', label: '', ownerId: '', createdAt: 1 }));
    doc.getMap('relations').set('str', 'connector as a string');
    const read = readWall(doc);
    expect(read.clusters.map((c) => [c.id, c.noteIds])).toEqual([
      ['mixed', [a]],
      [c1, [a, b]],
    ]);
    expect(read.clusters.every((c) => ClusterSchema.safeParse(c).success)).toBe(true);
    expect(read.relations.map((r) => r.id)).toEqual([r1]);
    expect(read.relations.every((r) => RelationSchema.safeParse(r).success)).toBe(true);
    expect(read.problems.map((p) => `${p.root}/${p.key}`).sort()).toEqual(['clusters/mixed', 'clusters/weird', 'relations/dangling', 'relations/str']);
  });

  it('R58 reads domains and meta leniently and never throws on a hostile document', () => {
    const doc = new Y.Doc();
    doc.getMap('meta').set('title', 42);
    doc.getMap('domains').set('d1', map({ title: 'Plain', order: 'x' }));
    doc.getMap('domains').set('d2', 'not a domain');
    const read = readWall(doc);
    expect(read.meta).toEqual({ schemaVersion: 0, title: '', template: 'blank', createdAt: 0 });
    expect(read.domains).toHaveLength(1);
    expect(DomainSchema.safeParse(read.domains[0]).success).toBe(true);
    expect(read.problems).toEqual([{ root: 'domains', key: 'd2', reason: 'not a map (string)' }]);
  });
});

describe('exports through the reader (R59)', () => {
  it('list every note the wall shows, including those whose domain is gone, and re-import them', () => {
    const doc = wall();
    doc.getMap('notes').set('stock', map({ ...stockNote, domainId: 'other' }));
    const kept = addNote(doc, { text: 'kept', domainId: 'other' });
    const orphan = addNote(doc, { text: 'orphan', domainId: 'mentoring' });
    removeDomain(doc, 'mentoring', null); // deletes its notes...
    (roots(doc).notes as unknown as Y.Map<unknown>).set('orphan2', map({ text: 'orphan', domainId: 'mentoring', createdAt: 9 })); // ...but an old client wrote one more
    (roots(doc).notes as unknown as Y.Map<unknown>).set('bad', 'string');
    const { wall: w, problems } = readWallExport(doc, { emails: false });
    expect(w.notes.map((n) => n.id).sort()).toEqual([kept, 'orphan2', 'stock'].sort());
    expect(w.notes.find((n) => n.id === 'stock')?.email).toBe('');
    expect(problems).toEqual([{ root: 'notes', key: 'bad', reason: 'not a map (string)' }]);
    expect(orphan).toBeTruthy();
    // The export is valid and re-imports: the orphan lands in a "no domain" column.
    const parsed = parseWallExport(JSON.parse(JSON.stringify(w)));
    expect(WallExportSchema.safeParse(parsed).success).toBe(true);
    const copy = new Y.Doc();
    importWall(copy, parsed);
    const back = exportWall(copy, { emails: true });
    expect(back.notes.map((n) => n.id).sort()).toEqual(w.notes.map((n) => n.id).sort());
    const home = back.domains.find((d) => d.title.fr === 'Sans domaine');
    expect(back.notes.find((n) => n.id === 'orphan2')?.domainId).toBe(home?.id);
  });
});
