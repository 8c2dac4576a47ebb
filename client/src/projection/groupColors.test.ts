import { describe, expect, it } from 'vitest';
import { groupColor, groupHalos, HALO_COLORS } from './groupColors.ts';

/** Perceptual-ish distance: Euclidean in RGB weighted for the eye (redmean). */
function distance(a: string, b: string): number {
  const p = (h: string) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)) as [number, number, number];
  const [r1, g1, b1] = p(a);
  const [r2, g2, b2] = p(b);
  const rm = (r1 + r2) / 2;
  return Math.sqrt((2 + rm / 256) * (r1 - r2) ** 2 + 4 * (g1 - g2) ** 2 + (2 + (255 - rm) / 256) * (b1 - b2) ** 2);
}

describe('group colours (R125)', () => {
  it('R125: starts with the base palette, then never repeats a colour and keeps neighbours apart', () => {
    expect(Array.from({ length: 8 }, (_, i) => groupColor(i))).toEqual([...HALO_COLORS]);
    const many = Array.from({ length: 60 }, (_, i) => groupColor(i));
    expect(new Set(many).size).toBe(60);
    for (const c of many) expect(c).toMatch(/^#[0-9a-f]{6}$/);
    // Consecutive groups (often next to each other on the wall) are clearly different.
    for (let i = 1; i < many.length; i++) expect(distance(many[i - 1]!, many[i]!)).toBeGreaterThan(90);
  });

  it('R125: accepted groups take colours first, suggestions after; a note keeps its first group', () => {
    const accepted = [{ id: 'a', label: 'A', noteIds: ['n1', 'n2'], terms: [], score: 1 }];
    const sugg = [
      { id: 'a', label: 'A', noteIds: ['n1'], score: 1, terms: [], orgCount: 1, domainCount: 1 },
      { id: 's', label: 'S', noteIds: ['n2', 'n3'], score: 1, terms: [], orgCount: 1, domainCount: 1 },
    ];
    const { halos, colorOf } = groupHalos(accepted as never, sugg);
    expect(colorOf.get('a')).toBe(HALO_COLORS[0]);
    expect(colorOf.get('s')).toBe(HALO_COLORS[1]);
    expect(halos.get('n2')).toEqual({ color: HALO_COLORS[0], suggested: false });
    expect(halos.get('n3')).toEqual({ color: HALO_COLORS[1], suggested: true });
  });
});
