import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { LIMITS, addDomain, initBoard, roots, updateNote, addNote } from '@maillage/shared';
import { decideWrite } from './writeRules.ts';

const host = { role: 'host' as const, ownerId: null, locked: false, privateWriting: false };

function base(): Y.Doc {
  const d = new Y.Doc();
  initBoard(d, { title: 't', template: 'blank' });
  return d;
}
/** The update a change makes, against `doc` as the server has it. */
function change(doc: Y.Doc, fn: (copy: Y.Doc) => void): Uint8Array {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  const sv = Y.encodeStateVector(copy);
  fn(copy);
  return Y.encodeStateAsUpdate(copy, sv);
}

describe('write rules for hosts', () => {
  it('R14 cap hosts at the domains-per-wall limit', () => {
    const doc = base();
    doc.transact(() => {
      for (let i = 0; i < LIMITS.domainsPerBoard; i++) roots(doc).domains.set(`d${i}`, new Y.Map());
    });
    const up = change(doc, (c) => roots(c).domains.set('one-more', new Y.Map()));
    expect(decideWrite(host, doc, up)).toEqual({ ok: false, reason: expect.stringMatching(/at most/) });
  });

  it('R14 still validate note fields from hosts, and accept a field edited twice in one update', () => {
    const doc = base();
    addDomain(doc, { title: { fr: 'A', en: 'A' } });
    const domainId = Array.from(roots(doc).domains.keys())[0] as string;
    const id = addNote(doc, { text: 'x', domainId });
    const twice = change(doc, (c) => {
      updateNote(c, id, { x: 10 });
      updateNote(c, id, { x: 20 });
    });
    expect(decideWrite(host, doc, twice)).toEqual({ ok: true });
    const bad = change(doc, (c) => roots(c).notes.get(id)?.set('text', 'y'.repeat(LIMITS.noteText + 1)));
    expect(decideWrite(host, doc, bad).ok).toBe(false);
  });
});
