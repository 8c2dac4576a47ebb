/**
 * R250: the same wall gives the same suggestions, whatever order its notes arrive in and however
 * often it is clustered. A host who reruns clustering (or a second server process that clusters
 * the wall) must see the same groups; round 5 recorded two different 5,000-note scores and blamed
 * the engine — measured since: 0.770 on every run, in one process and in two, and on shuffled
 * input (the 0.777 it was compared with is that row's pairwise F1). This property guards it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clusterNotes } from './clusterNotes.ts';
import { BUILTIN_GLOSSARY } from './glossary.ts';
import { replicatedWall } from './replicate.ts';
import { loadFixture } from './testFixtures.ts';

/** Printed so that a failing run can be replayed: FC_SEED=<seed> npx vitest run … */
const seed = Number(process.env.FC_SEED ?? Math.floor(Math.random() * 2 ** 31));
console.info(`determinism.test.ts fast-check seed ${seed}`);

const templates = loadFixture('activities.jsonl');

/** A partition as a canonical string: each group's ids sorted, groups sorted. */
function partition(clusters: readonly { noteIds: readonly string[] }[]): string {
  return clusters
    .map((c) => [...c.noteIds].sort().join(','))
    .sort()
    .join(' | ');
}

describe('R250: clustering is deterministic and independent of note order', () => {
  it('R250: a shuffled wall (300–600 notes, random replication seed) gives the same groups and scores; the same wall twice gives the same result, labels included', () => {
    fc.assert(
      fc.property(fc.integer({ min: 300, max: 600 }), fc.integer({ min: 1, max: 1000 }), fc.integer(), (size, replica, shuffleSeed) => {
        const wall = replicatedWall(templates, size, BUILTIN_GLOSSARY, replica);
        const shuffled = fc.sample(fc.shuffledSubarray(wall, { minLength: wall.length, maxLength: wall.length }), { seed: shuffleSeed, numRuns: 1 })[0] as typeof wall;
        const a = clusterNotes(wall);
        const b = clusterNotes(shuffled);
        expect(partition(b.clusters)).toBe(partition(a.clusters));
        const scores = (r: typeof a) => new Map(r.clusters.map((c) => [[...c.noteIds].sort().join(','), c.score]));
        expect(scores(b)).toEqual(scores(a));
        // Labels are the same for the same input: where a group is half French, half English and
        // its members equally central, the label takes the language of the one that came first
        // on the wall (the wall hands notes oldest first), so only a reordered wall may flip it.
        expect(clusterNotes(wall)).toEqual(a);
      }),
      { seed, numRuns: 6 },
    );
  }, 120_000);
});
