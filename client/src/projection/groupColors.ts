/**
 * Colours of cluster halos (accepted groups solid, suggestions dashed) and their legend. One
 * function gives a group its colour, so the canvas, the projection, its legend and the clusters
 * panel's colour key always agree (docs/spec.md R125).
 *
 * The first eight are a hand-picked palette, saturated enough to read around any note colour.
 * Past eight, hues step by the golden angle (≈137.5°), which never lands twice on the same hue
 * and keeps consecutive groups far apart; lightness alternates so neighbours differ twice over.
 */
import type { Cluster, SuggestedCluster } from '@maillage/shared';

export const HALO_COLORS = ['#e11d48', '#2563eb', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777'] as const;

const GOLDEN_ANGLE = 137.508;

/** Colour of the i-th group (0-based), as #rrggbb. */
export function groupColor(i: number): string {
  if (i < HALO_COLORS.length) return HALO_COLORS[Math.max(0, i)] as string;
  const k = i - HALO_COLORS.length;
  const hue = (17 + k * GOLDEN_ANGLE) % 360;
  const light = [38, 30, 46][k % 3] as number;
  return hslToHex(hue, 78, light);
}

function hslToHex(h: number, s: number, l: number): string {
  const sat = s / 100;
  const lig = l / 100;
  const a = sat * Math.min(lig, 1 - lig);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    const c = lig - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(c * 255)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${f(0)}${f(8)}${f(4)}`;
}

export interface Halo {
  color: string;
  suggested: boolean;
}

/**
 * Colour per group id and halo per note id: accepted groups first (in their order), then the
 * suggestions not yet accepted (in the server's order). A note in two groups takes the first.
 */
export function groupHalos(accepted: readonly Cluster[], suggestions: readonly SuggestedCluster[] | null): { halos: Map<string, Halo>; colorOf: Map<string, string> } {
  const halos = new Map<string, Halo>();
  const colorOf = new Map<string, string>();
  accepted.forEach((c, i) => {
    const color = groupColor(i);
    colorOf.set(c.id, color);
    for (const id of c.noteIds) if (!halos.has(id)) halos.set(id, { color, suggested: false });
  });
  const taken = new Set(accepted.map((c) => c.id));
  (suggestions ?? [])
    .filter((c) => !taken.has(c.id))
    .forEach((c, i) => {
      const color = groupColor(accepted.length + i);
      colorOf.set(c.id, color);
      for (const id of c.noteIds) if (!halos.has(id)) halos.set(id, { color, suggested: true });
    });
  return { halos, colorOf };
}
