/**
 * The vocabulary of a big wall with groups (R155, R256) is derived off the event loop. Every
 * participant's filter bar asks for it, and the pairs a wall's groups teach are read from the
 * whole wall (≈ 0.1 s per 1,000 notes): derived on the event loop, each edit of a 5,000-note wall
 * followed by one request stalled every socket of the process for that long. The derivation now
 * runs in the clustering worker pool; the request keeps only reading the wall's notes.
 */
import { describe, expect, it } from 'vitest';
import { addNote, listNotes, type BoardId, type VocabularyConcept } from '@maillage/shared';
import { learnedPairs } from '../../server/src/cluster/index.ts';
import { bigWallExport, serverForFile } from '../helpers/attack.ts';
import { connectClient } from '../helpers/yclient.ts';

const env = serverForFile();

/** The groups of learn-from-host.test.ts, which teach "ruche"/"hive" and "grainothèque"/"seed". */
const TAUGHT: [string, string][][] = [
  [
    ['Ruche d’art ouverte le jeudi au sous-sol', 'Centre Saint-Pierre'],
    ['Une ruche d’art pour créer ensemble', 'Maison de quartier'],
    ['Art hive drop-in every Thursday', 'Westend Hub'],
    ['Community art hive in the library basement', 'Library'],
  ],
  [
    ['Grainothèque au comptoir du centre', 'Comptoir Emmaüs'],
    ['Grainothèque : échange du printemps', 'Paroisse'],
    ['Seed swap at the community centre', 'Green Co-op'],
    ['Free seeds for balcony growers', 'Family Centre'],
  ],
];

/** A wall at the notes-per-wall limit: the big attack wall, the taught notes, and 60 more groups. */
function bigWallWithGroups(): { wall: Record<string, unknown>; notes: { id: string; text: string; org: string; domainId: string }[]; groups: string[][] } {
  const wall = bigWallExport(4990) as { notes: Record<string, unknown>[]; clusters: unknown[] };
  const taughtNotes = TAUGHT.flat().map(([text, org], i) => ({ ...(wall.notes[0] as object), id: `t${i}`, text, org, createdAt: 1_800_000_000_000 + i }));
  wall.notes.push(...taughtNotes);
  const groups = [
    ['t0', 't1', 't2', 't3'],
    ['t4', 't5', 't6', 't7'],
    ...Array.from({ length: 60 }, (_, g) => Array.from({ length: 8 }, (_, k) => `n${g * 80 + k}`)),
  ];
  wall.clusters = groups.map((noteIds, i) => ({ id: `c${i}`, label: `Regroupement ${i}`, noteIds, terms: [], score: 0.5, createdAt: 1_800_000_000_000 }));
  const notes = wall.notes.map((n) => ({ id: String(n.id), text: String(n.text), org: String(n.org), domainId: String(n.domainId) }));
  return { wall, notes, groups };
}

describe('R256 the vocabulary of a big wall with groups is derived off the event loop', () => {
  it('R256 R155 after an edit of a 5,000-note wall with 62 groups, the vocabulary request holds the loop far less than deriving its pairs takes', async () => {
    const { wall, notes, groups } = bigWallWithGroups();
    const imported = await env.api('POST', '/api/boards/import', undefined, wall);
    expect(imported.status).toBe(201);
    const { id, hostKey, reviewKey } = imported.body as { id: string; hostKey: string; reviewKey: string };
    const host = connectClient(env.srv.ws, id, { key: hostKey });
    try {
      await host.synced; // the wall's room is live: the request reads the live document, not storage
      const first = await env.api('GET', `/api/boards/${id}/vocabulary`, reviewKey);
      expect(first.status).toBe(200); // also starts the workers and compiles their glossary

      // What the same derivation costs on this thread, now (warm: glossary compiled, code jitted).
      const taught = groups.map((noteIds) => ({ noteIds }));
      learnedPairs(notes, taught);
      let t0 = performance.now();
      const expected = learnedPairs(notes, taught);
      const syncMs = performance.now() - t0;
      expect(expected).toEqual(expect.arrayContaining([{ fr: ['ruche'], en: ['hive'] }]));

      // An edit: the wall's state changes, so the next request derives its pairs again.
      addNote(host.doc, { text: 'Atelier de reprise de vêtements', org: 'Friperie', domainId: 'd1', author: 'B' });
      const room = () => env.srv.server.rooms.peek(id as BoardId);
      await expect.poll(() => (room() ? listNotes(room()!.doc).length : 0)).toBe(notes.length + 1);

      // The longest the loop went without running a timer while the request was served: a
      // stalled loop runs none, and the gap is read again once the answer is in, so a stall
      // that ends with the request is counted too.
      let last = performance.now();
      let heldMs = 0;
      const gap = () => {
        const now = performance.now();
        heldMs = Math.max(heldMs, now - last);
        last = now;
      };
      const timer = setInterval(gap, 5);
      t0 = performance.now();
      let after: Awaited<ReturnType<typeof env.api>>;
      try {
        after = await env.api('GET', `/api/boards/${id}/vocabulary`, reviewKey);
        gap();
      } finally {
        clearInterval(timer);
      }
      const requestMs = performance.now() - t0;
      console.log(`R256 vocabulary of ${notes.length + 1} notes, ${groups.length} groups: deriving on this thread ${Math.round(syncMs)} ms; the request took ${Math.round(requestMs)} ms and held the loop at most ${Math.round(heldMs)} ms`);
      expect(after.status).toBe(200);
      expect((after.body as { concepts: VocabularyConcept[] }).concepts).toEqual(expect.arrayContaining([[['ruche'], ['hive']], [['grainothèque'], ['seed']]]));
      // On the event loop the request held it for the whole derivation (≥ syncMs); in the pool
      // what is left is reading the notes, checking them and copying them to the worker.
      expect(heldMs).toBeLessThan(syncMs / 2);
    } finally {
      host.destroy();
    }
  }, 120_000);
});
