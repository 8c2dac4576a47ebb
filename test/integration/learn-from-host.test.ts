/**
 * Issue 18, "learn from the host" (docs/spec.md R256), through a real server: the groups a host
 * accepted on a wall teach word pairs across languages, which the next clustering run (REST,
 * worker pool) and the wall's vocabulary (the search's cross-language terms) both use; removing
 * the groups unteaches them. The words ("ruche d'art" / "art hive", "grainothèque" / "seed") are
 * in no built-in glossary, so nothing else can join the later French and English notes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptCluster, addNote, expandQuery, listNotes, removeCluster, vocabularyTokens, type ClusterSuggestions, type VocabularyConcept } from '@maillage/shared';
import { createBoard, startServer, type TestServer } from '../helpers/server.ts';
import { connectClient, waitFor, type YClient } from '../helpers/yclient.ts';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv?.close();
});

const TAUGHT: Record<string, [string, string][]> = {
  hive: [
    ['Ruche d’art ouverte le jeudi au sous-sol', 'Centre Saint-Pierre'],
    ['Une ruche d’art pour créer ensemble', 'Maison de quartier'],
    ['Art hive drop-in every Thursday', 'Westend Hub'],
    ['Community art hive in the library basement', 'Library'],
  ],
  seeds: [
    ['Grainothèque au comptoir du centre', 'Comptoir Emmaüs'],
    ['Grainothèque : échange du printemps', 'Paroisse'],
    ['Seed swap at the community centre', 'Green Co-op'],
    ['Free seeds for balcony growers', 'Family Centre'],
  ],
};
const LATER: [string, string][] = [
  ['Nouvelle ruche au centre-ville', 'Carrefour'],
  ['A hive for teens on Saturdays', 'Youth Space'],
  ['Une grainothèque ouvre ses portes', 'Entraide'],
  ['Pop-up seed sale this weekend', 'Neighbours'],
];

async function run(boardId: string, hostKey: string): Promise<ClusterSuggestions> {
  const res = await fetch(`${srv.http}/api/boards/${boardId}/clusters?wait=1`, { method: 'POST', headers: { authorization: `Bearer ${hostKey}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as ClusterSuggestions;
}
const together = (s: ClusterSuggestions, a: string, b: string) => s.clusters.some((c) => c.noteIds.includes(a) && c.noteIds.includes(b));

describe('R256: what hosts group teaches the next run and the search', () => {
  it('accepted groups teach "ruche"/"hive" and "grainothèque"/"seed"; removed, they teach nothing', async () => {
    const b = await createBoard(srv.http, { title: 'Apprendre des regroupements' });
    const host: YClient = connectClient(srv.ws, b.id, { key: b.hostKey });
    try {
      await host.synced;
      const groupIds: string[] = [];
      for (const notes of Object.values(TAUGHT)) {
        const ids = notes.map(([text, org]) => addNote(host.doc, { text, org, domainId: 'other', author: 'A' }));
        groupIds.push(acceptCluster(host.doc, { label: 'Regroupement', noteIds: ids, terms: [], score: 0.6 }));
      }
      const later = LATER.map(([text, org]) => addNote(host.doc, { text, org, domainId: 'other', author: 'B' }));
      await waitFor(host.doc, () => listNotes(host.doc).length === 12);
      // The server's copy has them once a run reads them; poll the run until it does.
      let taught = await run(b.id, b.hostKey);
      for (let i = 0; i < 20 && taught.noteCount < 12; i++) taught = await run(b.id, b.hostKey);
      expect(taught.noteCount).toBe(12);
      expect(together(taught, later[0] as string, later[1] as string)).toBe(true);
      expect(together(taught, later[2] as string, later[3] as string)).toBe(true);

      // The search's vocabulary knows the pairs: "hive" finds the French note.
      const vocab = (await (await fetch(`${srv.http}/api/boards/${b.id}/vocabulary`, { headers: { authorization: `Bearer ${b.reviewKey}` } })).json()) as { concepts: VocabularyConcept[] };
      expect(vocab.concepts).toEqual(expect.arrayContaining([[['ruche'], ['hive']], [['grainothèque'], ['seed']]]));
      expect(expandQuery('hive', vocabularyTokens(vocab.concepts)).hive).toEqual(expect.arrayContaining([['ruche']]));

      // The host removes the groups: the next run no longer joins the later notes.
      for (const id of groupIds) removeCluster(host.doc, id);
      let untaught = await run(b.id, b.hostKey);
      for (let i = 0; i < 20 && together(untaught, later[0] as string, later[1] as string); i++) untaught = await run(b.id, b.hostKey);
      expect(together(untaught, later[0] as string, later[1] as string)).toBe(false);
      expect(together(untaught, later[2] as string, later[3] as string)).toBe(false);
      const after = (await (await fetch(`${srv.http}/api/boards/${b.id}/vocabulary`, { headers: { authorization: `Bearer ${b.reviewKey}` } })).json()) as { concepts: VocabularyConcept[] };
      expect(after.concepts).not.toEqual(expect.arrayContaining([[['ruche'], ['hive']]]));
    } finally {
      host.destroy();
    }
  });
});
