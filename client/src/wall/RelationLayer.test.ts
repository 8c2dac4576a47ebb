import { describe, expect, it } from 'vitest';
import { LAYOUT } from '@maillage/shared';
import { relationPath } from './RelationLayer.tsx';

const length = (pts: number[]) => {
  let l = 0;
  for (let i = 2; i < pts.length; i += 2) l += Math.hypot((pts[i] as number) - (pts[i - 2] as number), (pts[i + 1] as number) - (pts[i - 1] as number));
  return l;
};

describe('connector routes (R124)', () => {
  it('R124: two stacked notes (16 px apart) get a curve out to the side, long enough to see, not a stub', () => {
    const a = { x: 20, y: 100, height: 96 };
    const b = { x: 20, y: 212, height: 96 };
    const p = relationPath(a, b);
    expect(p.curved).toBe(true);
    expect(length(p.points)).toBeGreaterThan(100);
    // It leaves and enters on the right edge, outside both notes, and its label sits out there too.
    expect(p.points[0]).toBe(20 + LAYOUT.noteWidth);
    expect(p.label.x).toBeGreaterThan(20 + LAYOUT.noteWidth + 40);
  });

  it('R124: notes in different columns get a straight arrow between facing edges', () => {
    const p = relationPath({ x: 20, y: 100, height: 96 }, { x: 324, y: 100, height: 96 });
    expect(p.curved).toBe(false);
    expect(p.points).toEqual([20 + LAYOUT.noteWidth, 148, 324, 148]);
  });
});
