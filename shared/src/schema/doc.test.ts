import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addDomain,
  addNote,
  boardSummary,
  deleteNote,
  getNote,
  initBoard,
  listDomains,
  listNotes,
  readMeta,
  removeDomain,
  roots,
  updateDomain,
  updateNote,
} from './doc.ts';
import { LIMITS } from './limits.ts';
import { MaillageError } from '../errors/index.ts';
import { SCHEMA_VERSION, migrateDoc, MIGRATIONS } from './migrations.ts';
import { TEMPLATES, TEMPLATE_IDS } from './templates.ts';

function board(template: (typeof TEMPLATE_IDS)[number] = 'relationship-mapping'): Y.Doc {
  const doc = new Y.Doc();
  initBoard(doc, { title: 'Test', template, now: 1000 });
  return doc;
}

describe('schema accessors', () => {
  it('initBoard writes meta at the current schema version and the template domains in order', () => {
    const doc = board();
    expect(readMeta(doc)).toEqual({ schemaVersion: SCHEMA_VERSION, title: 'Test', template: 'relationship-mapping', createdAt: 1000 });
    const domains = listDomains(doc);
    expect(domains.map((d) => d.id)).toEqual(TEMPLATES['relationship-mapping'].domains.map((d) => d.key));
    expect(domains[0]?.title).toEqual({ fr: 'Mobiliser et impliquer les jeunes sous-représentés', en: 'Engage under-represented youth' });
  });

  it.each(TEMPLATE_IDS)('template %s initialises', (id) => {
    expect(listDomains(board(id))).toHaveLength(TEMPLATES[id].domains.length);
  });

  it('adds, reads, updates, moves and deletes a note', () => {
    const doc = board();
    const id = addNote(doc, { text: 'Tutorat', domainId: 'mentoring', author: 'Ana', email: 'ana@example.org', org: 'CJE' });
    expect(getNote(doc, id)).toMatchObject({ id, text: 'Tutorat', domainId: 'mentoring', author: 'Ana', org: 'CJE', ownerId: '' });
    updateNote(doc, id, { text: 'Tutorat en ligne', domainId: 'other', x: 30, y: 140 });
    expect(getNote(doc, id)).toMatchObject({ text: 'Tutorat en ligne', domainId: 'other', x: 30, y: 140 });
    expect(boardSummary(doc).noteCount).toBe(1);
    deleteNote(doc, id);
    expect(listNotes(doc)).toEqual([]);
  });

  it('refuses invalid notes with a clear error and writes nothing', () => {
    const doc = board();
    expect(() => addNote(doc, { text: 'x'.repeat(LIMITS.noteText + 1), domainId: 'other' })).toThrow(/invalid note \(text\)/);
    expect(() => addNote(doc, { text: 'ok', domainId: 'nope' })).toThrow(/no such domain/);
    expect(() => addNote(doc, { text: 'ok', domainId: 'other', email: 'not-an-email' })).toThrow(MaillageError);
    expect(() => addNote(doc, { text: 'ok', domainId: 'other', color: 'red' })).toThrow(/colour/);
    expect(roots(doc).notes.size).toBe(0);
    const id = addNote(doc, { text: 'ok', domainId: 'other' });
    expect(() => updateNote(doc, id, { x: Number.NaN })).toThrow(MaillageError);
    expect(() => updateNote(doc, 'missing', { text: 'a' })).toThrow(/no such note/);
  });

  it('skips malformed entries written by someone else when listing', () => {
    const doc = board();
    addNote(doc, { text: 'good', domainId: 'other' });
    const bad = new Y.Map<unknown>();
    bad.set('text', 42);
    roots(doc).notes.set('bad', bad);
    expect(listNotes(doc).map((n) => n.text)).toEqual(['good']);
  });

  it('enforces the notes-per-wall limit', () => {
    const doc = board('blank');
    addDomain(doc, { title: { fr: 'A', en: 'A' } });
    const domainId = listDomains(doc)[0]?.id as string;
    doc.transact(() => {
      for (let i = 0; i < LIMITS.notesPerBoard; i++) roots(doc).notes.set(`n${i}`, new Y.Map());
    });
    expect(() => addNote(doc, { text: 'one too many', domainId })).toThrow(/at most/);
  });

  it('manages domains: add, rename, reorder, remove with notes moved or deleted', () => {
    const doc = board('theory-of-change');
    const id = addDomain(doc, { title: { fr: 'Ressources', en: 'Resources' } });
    expect(listDomains(doc).at(-1)?.id).toBe(id);
    updateDomain(doc, id, { title: { fr: 'Moyens', en: 'Means' }, order: -1, color: '#ffffff' });
    expect(listDomains(doc)[0]).toMatchObject({ id, title: { fr: 'Moyens', en: 'Means' }, color: '#ffffff' });
    const n = addNote(doc, { text: 'a', domainId: id });
    expect(() => removeDomain(doc, id, undefined)).toThrow(/say where/);
    removeDomain(doc, id, 'how');
    expect(getNote(doc, n)?.domainId).toBe('how');
    removeDomain(doc, 'how', null);
    expect(getNote(doc, n)).toBeNull();
  });
});

describe('migrations', () => {
  it('are named, ordered and bring an old document to the current version', () => {
    expect(new Set(MIGRATIONS.map((m) => m.id)).size).toBe(MIGRATIONS.length);
    const doc = new Y.Doc();
    const meta = roots(doc).meta;
    meta.set('title', 'old');
    meta.set('template', 'blank');
    meta.set('createdAt', 1);
    meta.set('schemaVersion', 1);
    const m = new Y.Map<unknown>();
    for (const [k, v] of Object.entries({ text: 'v1 note', author: 'a', email: '', domainId: 'd', x: 1, y: 2, color: '#ffffff', createdAt: 5 })) m.set(k, v);
    roots(doc).notes.set('n1', m);
    expect(listNotes(doc)).toHaveLength(0); // not valid under the current schema
    expect(migrateDoc(doc)).toEqual(['0002-note-org-and-owner']);
    expect(readMeta(doc)?.schemaVersion).toBe(SCHEMA_VERSION);
    expect(listNotes(doc)[0]).toMatchObject({ id: 'n1', org: '', ownerId: '' });
    expect(migrateDoc(doc)).toEqual([]);
  });

  it('two replicas migrating concurrently converge', () => {
    const a = new Y.Doc();
    roots(a).meta.set('schemaVersion', 1);
    const m = new Y.Map<unknown>();
    m.set('text', 't');
    roots(a).notes.set('n', m);
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    migrateDoc(a);
    migrateDoc(b);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(roots(a).notes.get('n')?.toJSON()).toEqual(roots(b).notes.get('n')?.toJSON());
    expect(roots(a).notes.get('n')?.get('org')).toBe('');
  });
});
