import { afterAll, describe, expect, it } from 'vitest';
import { clusterNotes, learnedPairs } from './clusterNotes.ts';
import { ErrorCode, MaillageError } from '@maillage/shared';
import { createClusterPool, WORKER_HEAP_MB } from './pool.ts';
import { BUILTIN_GLOSSARY } from './glossary.ts';
import { replicatedWall } from './replicate.ts';
import { syntheticWall } from './synthetic.ts';
import { loadFixture, TEACHING_GROUPS, TEACHING_NOTES } from './testFixtures.ts';
import type { ClusterNote, ClusterPhase } from './types.ts';
import { ClusterInputError } from './validate.ts';

const fixture = loadFixture('activities.jsonl');

/**
 * A wall with groups that teach (R256): the fixture, each of its groups accepted as the hosts would
 * (its first six notes), and the notes of learn.test.ts whose groups teach "ruche"/"hive" and
 * "grainothèque"/"seed".
 */
function wallWithGroups(): { notes: ClusterNote[]; taught: { noteIds: string[] }[] } {
  const notes: ClusterNote[] = [
    ...fixture.map(({ id, text, org, domainId }) => ({ id, text, ...(org ? { org } : {}), ...(domainId ? { domainId } : {}) })),
    ...TEACHING_NOTES,
  ];
  const byGroup = new Map<string, string[]>();
  for (const note of fixture.filter((x) => !x.group.startsWith('solo-'))) byGroup.set(note.group, [...(byGroup.get(note.group) ?? []), note.id]);
  const taught = [...TEACHING_GROUPS.map((g) => ({ noteIds: [...g.noteIds] })), ...[...byGroup.values()].map((ids) => ({ noteIds: ids.slice(0, 6) }))];
  return { notes, taught };
}
const pool = createClusterPool({ maxThreads: 1 });
afterAll(() => pool.close());

describe('cluster pool', () => {
  it('returns the same result as the direct call, with progress in phase order', async () => {
    const phases: ClusterPhase[] = [];
    const viaPool = await pool.run(fixture, {}, (p) => phases.push(p.phase));
    expect(viaPool).toEqual(clusterNotes(fixture));
    expect(phases).toEqual(['tokenize', 'vectorize', 'similarity', 'cluster', 'label']);
  });

  it('keeps the event loop responsive while 2,000 notes cluster', async () => {
    const wall = syntheticWall(fixture, 2000, 7);
    await pool.run(fixture.slice(0, 20)); // worker warm: measure clustering, not thread start-up
    let ticks = 0;
    let last = performance.now();
    let worstGap = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      worstGap = Math.max(worstGap, now - last);
      last = now;
      ticks++;
    }, 10);
    const started = performance.now();
    const result = await pool.run(wall);
    const elapsed = performance.now() - started;
    clearInterval(timer);
    expect(result.clusters.length).toBeGreaterThan(0);
    // The same work on the main thread would allow no tick at all until it finished.
    expect(ticks).toBeGreaterThanOrEqual(Math.min(5, Math.floor(elapsed / 40)));
    expect(worstGap).toBeLessThan(Math.max(250, elapsed / 2));
  });

  it('rejects malformed input on the calling thread', async () => {
    await expect(pool.run([{ id: '', text: 'x' }])).rejects.toBeInstanceOf(ClusterInputError);
    await expect(pool.run(fixture, { glossary: [{ fr: [], en: [] }] })).rejects.toBeInstanceOf(ClusterInputError);
  });

  it('passes host glossary entries to the worker', async () => {
    const notes = [
      { id: 'a', text: 'Zorblat au parc' },
      { id: 'b', text: 'Quimpex downtown' },
      { id: 'c', text: 'Ligue de soccer' },
    ];
    const glossary = [{ fr: ['zorblat'], en: ['quimpex'] }];
    expect(await pool.run(notes, { glossary })).toEqual(clusterNotes(notes, { glossary }));
  });
  it('R256: derives the pairs a wall\'s groups teach in a worker, the same as the direct call', async () => {
    const { notes, taught } = wallWithGroups();
    const direct = learnedPairs(notes, taught);
    expect(direct).toEqual(expect.arrayContaining([{ fr: ['ruche'], en: ['hive'] }, { fr: ['grainothèque'], en: ['seed'] }]));
    expect(await pool.learnedPairs(notes, taught)).toEqual(direct);
    // With host glossary entries: a host who already wrote "ruche"/"hive" is taught only the seeds.
    const glossary = [{ fr: ['ruche'], en: ['hive'] }];
    const withHost = learnedPairs(notes, taught, glossary);
    expect(withHost).not.toEqual(expect.arrayContaining([{ fr: ['ruche'], en: ['hive'] }]));
    expect(withHost).toEqual(expect.arrayContaining([{ fr: ['grainothèque'], en: ['seed'] }]));
    expect(await pool.learnedPairs(notes, taught, glossary)).toEqual(withHost);
    expect(await pool.learnedPairs(notes, [])).toEqual([]);
  });

  it('R256: refuses malformed notes, groups and glossary entries for the pairs on the calling thread', async () => {
    const { notes, taught } = wallWithGroups();
    await expect(pool.learnedPairs([{ id: '', text: 'x' }], taught)).rejects.toBeInstanceOf(ClusterInputError);
    await expect(pool.learnedPairs(notes, [{ noteIds: 'a1' as never }])).rejects.toBeInstanceOf(ClusterInputError);
    await expect(pool.learnedPairs(notes, taught, [{ fr: [], en: [] }])).rejects.toBeInstanceOf(ClusterInputError);
  });

  it('R254: a wall too large for the worker\'s memory cap fails its job as payload_too_large, and the pool serves the next one', async () => {
    // 48 MB starts a worker and clusters a small wall; a 5,000-note wall needs more than 64 MB.
    const small = createClusterPool({ maxThreads: 1, maxOldGenerationMb: 48 });
    try {
      const few = fixture.slice(0, 40);
      expect((await small.run(few)).clusters.length).toBeGreaterThan(0);
      const big = replicatedWall(fixture, 5000, BUILTIN_GLOSSARY, 7);
      const err = await small.run(big).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(MaillageError);
      expect((err as MaillageError).code).toBe(ErrorCode.PayloadTooLarge);
      expect(await small.run(few)).toEqual(clusterNotes(few));
    } finally {
      await small.close();
    }
    // The default cap holds the engine's largest input with room (docs/clustering.md).
    expect(WORKER_HEAP_MB).toBeGreaterThanOrEqual(192);
  }, 60_000);

  it('R254: the vocabulary\'s pairs (R256) run under the same cap and fail the same way, and the pool serves the next job', async () => {
    const small = createClusterPool({ maxThreads: 1, maxOldGenerationMb: 48 });
    try {
      const few = fixture.slice(0, 40);
      const big = replicatedWall(fixture, 5000, BUILTIN_GLOSSARY, 7);
      const pairsErr = await small.learnedPairs(big, [{ noteIds: big.slice(0, 8).map((x) => x.id) }]).then(
        () => null,
        (e: unknown) => e,
      );
      expect((pairsErr as MaillageError | null)?.code).toBe(ErrorCode.PayloadTooLarge);
      expect(await small.run(few)).toEqual(clusterNotes(few));
    } finally {
      await small.close();
    }
  }, 60_000);
});
