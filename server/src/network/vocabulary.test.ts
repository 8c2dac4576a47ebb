/**
 * The taught pairs of a wall's vocabulary (R256) are derived in the worker pool and kept per wall
 * and per state of the wall: requests that arrive while one derivation runs share it, and a
 * derivation that failed is not kept. The pool here is a stand-in that counts its calls and
 * answers when told to.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { acceptCluster, addDomain, addNote, listDomains } from '@maillage/shared';
import type { ClusterNote, GlossaryEntryInput } from '../cluster/types.ts';
import { taughtPairs, type PairsDeriver } from './vocabulary.ts';

const PAIRS = [{ fr: ['ruche'], en: ['hive'] }];

/** A pool whose derivations wait until `settle` is called, in call order. */
function heldPool() {
  const calls: { notes: readonly ClusterNote[]; glossary?: readonly GlossaryEntryInput[]; resolve: (p: GlossaryEntryInput[]) => void; reject: (e: Error) => void }[] = [];
  const pool: PairsDeriver = {
    learnedPairs: (notes, _taught, glossary) =>
      new Promise((resolve, reject) => {
        calls.push({ notes, ...(glossary ? { glossary } : {}), resolve, reject });
      }),
  };
  return { pool, calls };
}

function wall(groups = true): Y.Doc {
  const doc = new Y.Doc();
  const domainId = addDomain(doc, { title: { fr: 'Culture', en: 'Culture' } });
  const ids = ['Ruche d’art le jeudi', 'Une ruche d’art', 'Art hive drop-in', 'Community art hive'].map((text) => addNote(doc, { text, org: 'O', domainId, author: 'A' }));
  if (groups) acceptCluster(doc, { label: 'Ruches', noteIds: ids, terms: [], score: 0.6 });
  return doc;
}

/** A participant adds a note: the wall's state changes. */
const edit = (doc: Y.Doc) => addNote(doc, { text: 'Seed swap', org: 'O', domainId: listDomains(doc)[0]?.id ?? '', author: 'B' });

let walls = 0;
const boardId = () => `wall-${++walls}`;

describe('R256 the taught pairs of a wall are derived once per state, in the pool', () => {
  it('a wall without groups answers at once, without the pool', async () => {
    const { pool, calls } = heldPool();
    expect(await taughtPairs(boardId(), wall(false), {}, pool)).toEqual([]);
    expect(calls).toHaveLength(0);
  });

  it('requests that arrive while the pairs are derived share that derivation; later ones are answered from it until the wall changes', async () => {
    const { pool, calls } = heldPool();
    const id = boardId();
    const doc = wall();
    const asked = [taughtPairs(id, doc, {}, pool), taughtPairs(id, doc, {}, pool), taughtPairs(id, doc, {}, pool)];
    expect(calls).toHaveLength(1);
    expect(calls[0]?.notes).toHaveLength(4);
    calls[0]?.resolve(PAIRS);
    expect(await Promise.all(asked)).toEqual([PAIRS, PAIRS, PAIRS]);
    expect(await taughtPairs(id, doc, {}, pool)).toEqual(PAIRS);
    expect(calls).toHaveLength(1);

    // An edit, or another host glossary: derived again.
    edit(doc);
    const afterEdit = taughtPairs(id, doc, {}, pool);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.notes).toHaveLength(5);
    calls[1]?.resolve([]);
    expect(await afterEdit).toEqual([]);
    const glossary = [{ fr: ['grainothèque'], en: ['seed swap'] }];
    const withHost = taughtPairs(id, doc, { glossary }, pool);
    expect(calls).toHaveLength(3);
    expect(calls[2]?.glossary).toEqual(glossary);
    calls[2]?.resolve(PAIRS);
    expect(await withHost).toEqual(PAIRS);
  });

  it('a failed derivation fails the requests that shared it and is not kept: the next request derives again', async () => {
    const { pool, calls } = heldPool();
    const id = boardId();
    const doc = wall();
    const asked = [taughtPairs(id, doc, {}, pool), taughtPairs(id, doc, {}, pool)];
    expect(calls).toHaveLength(1);
    calls[0]?.reject(new Error('worker died'));
    for (const a of asked) await expect(a).rejects.toThrow('worker died');
    const again = taughtPairs(id, doc, {}, pool);
    expect(calls).toHaveLength(2);
    calls[1]?.resolve(PAIRS);
    expect(await again).toEqual(PAIRS);
  });

  it('a derivation that fails after the wall changed does not drop the newer one', async () => {
    const { pool, calls } = heldPool();
    const id = boardId();
    const doc = wall();
    const old = taughtPairs(id, doc, {}, pool);
    edit(doc);
    const current = taughtPairs(id, doc, {}, pool);
    expect(calls).toHaveLength(2);
    calls[0]?.reject(new Error('worker died'));
    await expect(old).rejects.toThrow('worker died');
    calls[1]?.resolve(PAIRS);
    expect(await current).toEqual(PAIRS);
    expect(await taughtPairs(id, doc, {}, pool)).toEqual(PAIRS);
    expect(calls).toHaveLength(2);
  });

  it('reads the document before it returns: the caller may destroy it while the pairs are derived', async () => {
    const { pool, calls } = heldPool();
    const doc = wall();
    const asked = taughtPairs(boardId(), doc, {}, pool);
    doc.destroy();
    expect(calls[0]?.notes.map((n) => n.text)).toContain('Art hive drop-in');
    calls[0]?.resolve(PAIRS);
    expect(await asked).toEqual(PAIRS);
  });
});
