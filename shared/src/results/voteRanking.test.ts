import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Domain, Note } from '../schema/records.ts';
import { rankByVotes } from './voteRanking.ts';

/** Printed so that a failing run can be replayed: FC_SEED=<seed> npx vitest run … */
const seed = Number(process.env.FC_SEED ?? Math.floor(Math.random() * 2 ** 31));
console.info(`voteRanking.test.ts fast-check seed ${seed}`);

const note = (id: string, over: Partial<Note> = {}): Note => ({
  id,
  text: `text ${id}`,
  author: `author ${id}`,
  org: `org ${id}`,
  domainId: 'a',
  x: 0,
  y: 0,
  color: '#fff59d',
  createdAt: 0,
  ownerId: '',
  ...over,
});
const domain = (id: string, order: number): Domain => ({ id, order, color: '#000000', title: { fr: `fr ${id}`, en: `en ${id}` } });

describe('rankByVotes (R122)', () => {
  it('R122: ranks by votes, most first, with the note fields a report needs', () => {
    const rows = rankByVotes([note('n1'), note('n2'), note('n3')], { n1: 1, n2: 5, n3: 3 }, [domain('a', 0)]);
    expect(rows.map((r) => [r.rank, r.noteId, r.votes])).toEqual([
      [1, 'n2', 5],
      [2, 'n3', 3],
      [3, 'n1', 1],
    ]);
    expect(rows[0]).toEqual({
      rank: 1,
      noteId: 'n2',
      text: 'text n2',
      author: 'author n2',
      org: 'org n2',
      domainId: 'a',
      domainTitle: { fr: 'fr a', en: 'en a' },
      votes: 5,
    });
  });

  it('R122: ties share a rank and are ordered by domain order, creation time, then id', () => {
    const notes = [
      note('z', { domainId: 'b', createdAt: 1 }),
      note('y', { domainId: 'a', createdAt: 9 }),
      note('x', { domainId: 'a', createdAt: 2 }),
      note('w', { domainId: 'a', createdAt: 2 }),
      note('top', { domainId: 'b' }),
    ];
    // Domain b comes first in display order although its id sorts last.
    const rows = rankByVotes(notes, { z: 2, y: 2, x: 2, w: 2, top: 4 }, [domain('a', 2), domain('b', 1)]);
    expect(rows.map((r) => `${r.rank}:${r.noteId}`)).toEqual(['1:top', '2:z', '2:w', '2:x', '2:y']);
  });

  it('R122: leaves out unvoted notes unless asked, ignores unusable counts and unknown ids, honours limit', () => {
    const notes = [note('a'), note('b'), note('c'), note('d', { domainId: 'gone' })];
    const counts = { a: 2, b: 0, c: Number.NaN, d: 1, ghost: 9 } as Record<string, number>;
    expect(rankByVotes(notes, counts).map((r) => r.noteId)).toEqual(['a', 'd']);
    expect(rankByVotes(notes, counts, [], { includeUnvoted: true }).map((r) => `${r.rank}:${r.noteId}`)).toEqual([
      '1:a',
      '2:d',
      '3:b',
      '3:c',
    ]);
    expect(rankByVotes(notes, counts, [], { limit: 1 }).map((r) => r.noteId)).toEqual(['a']);
    expect(rankByVotes(notes, { d: 1 })[0]?.domainTitle).toBeNull();
  });

  it('R122: the order does not depend on the order notes come in, and votes never increase down the list', () => {
    const arbNotes = fc.uniqueArray(
      fc.record({ id: fc.string({ minLength: 1, maxLength: 4 }), dom: fc.constantFrom('a', 'b', 'c'), t: fc.nat(5), v: fc.nat(4) }),
      { selector: (r) => r.id, maxLength: 30 },
    );
    fc.assert(
      fc.property(arbNotes, fc.integer(), (recs, shuffleSeed) => {
        const notes = recs.map((r) => note(r.id, { domainId: r.dom, createdAt: r.t }));
        const counts = Object.fromEntries(recs.map((r) => [r.id, r.v]));
        const domains = [domain('c', 0), domain('a', 1), domain('b', 2)];
        const shuffled = [...notes].sort((p, q) => ((hash(p.id, shuffleSeed) - hash(q.id, shuffleSeed)) | 0));
        const one = rankByVotes(notes, counts, domains);
        expect(rankByVotes(shuffled, counts, domains)).toEqual(one);
        for (let i = 1; i < one.length; i++) {
          const [p, q] = [one[i - 1]!, one[i]!];
          expect(q.votes).toBeLessThanOrEqual(p.votes);
          expect(q.rank).toBe(q.votes === p.votes ? p.rank : i + 1);
        }
        expect(one.length).toBe(recs.filter((r) => r.v > 0).length);
      }),
      { seed, numRuns: 200 },
    );
  });
});

function hash(s: string, k: number): number {
  let h = k | 0;
  for (const c of s) h = Math.imul(h ^ c.charCodeAt(0), 0x9e3779b1);
  return h;
}
