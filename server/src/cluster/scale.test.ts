/**
 * R170: quality holds with the size of the wall. The labelled fixture is grown to 300, 1,000 and
 * 5,000 notes by paraphrase, language switches, dropped words and typos (replicate.ts); the same
 * themes must come out at every size, within 0.05 ARI of the 300-note wall. Before issue 18 the
 * 5,000-note wall split into ~200 clusters of near-copies (recall 0.15, ARI 0.26).
 */
import { describe, expect, it } from 'vitest';
import { clusterNotes } from './clusterNotes.ts';
import { evaluate } from './evaluation.ts';
import { BUILTIN_GLOSSARY } from './glossary.ts';
import { replicatedWall } from './replicate.ts';
import { loadFixture } from './testFixtures.ts';

const templates = loadFixture('activities.jsonl');
const scoreAt = (count: number): ReturnType<typeof evaluate> => {
  const wall = replicatedWall(templates, count, BUILTIN_GLOSSARY, 7);
  return evaluate(wall, clusterNotes(wall));
};

describe('R170: clustering quality does not collapse on large walls', () => {
  it('R170: 1,000 and 5,000 notes score within 0.05 ARI of 300 notes (measured 0.78 / 0.76 / 0.78)', () => {
    const base = scoreAt(300);
    expect(base.ari).toBeGreaterThanOrEqual(0.7);
    for (const count of [1000, 5000]) {
      const at = scoreAt(count);
      expect(at.ari, `${count} notes`).toBeGreaterThanOrEqual(base.ari - 0.05);
      // A collapse shows as precision near 1 and recall near the neighbour list's share.
      expect(at.recall, `${count} notes`).toBeGreaterThanOrEqual(0.6);
    }
  }, 60_000);

  it('R170: a replicated wall keeps its templates first and its groups throughout', () => {
    const wall = replicatedWall(templates, 250, BUILTIN_GLOSSARY, 3);
    expect(wall.slice(0, templates.length).map((n) => n.text)).toEqual(templates.map((t) => t.text));
    expect(replicatedWall(templates, 250, BUILTIN_GLOSSARY, 3)).toEqual(wall);
    const groups = new Set(templates.map((t) => t.group));
    expect(wall.every((n) => groups.has(n.group))).toBe(true);
    expect(wall.slice(templates.length).some((n) => !templates.some((t) => t.text === n.text))).toBe(true);
  });
});
