import { describe, expect, it } from 'vitest';
import { syntheticWall } from './synthetic.ts';

const templates = [
  { text: 'Aide aux devoirs pour les élèves du secondaire', group: 'homework', org: 'A' },
  { text: 'Homework help for high school students', group: 'homework' },
  { text: 'Ligue de basketball de soir', group: 'sport', domainId: 'engage-youth' },
];

describe('syntheticWall', () => {
  it('is deterministic for a seed and keeps the template group', () => {
    const a = syntheticWall(templates, 50, 9);
    expect(syntheticWall(templates, 50, 9)).toEqual(a);
    expect(syntheticWall(templates, 50, 10)).not.toEqual(a);
    expect(new Set(a.map((n) => n.id)).size).toBe(50);
    expect(a.every((n) => ['homework', 'sport'].includes(n.group))).toBe(true);
  });

  it('rejects an empty template list', () => {
    expect(() => syntheticWall([], 1)).toThrow(RangeError);
  });
});
