import { describe, expect, it } from 'vitest';
import type { Note } from '@maillage/shared';
import { layoutPage, paginate, READABLE_FONT, type Cell, type Section } from './layout.ts';

const TEXTS = [
  'Mentorat par les pairs au secondaire',
  'Ateliers de préparation à l’emploi pour les 16-24 ans',
  'Club de devoirs après l’école',
  'Peer mentoring for first-year college students',
  'Stages rémunérés dans les PME de la région',
  'Youth advisory council at city hall',
  'Cartographie des services jeunesse du quartier, mise à jour chaque année',
];

function wall(count: number, domains = 7): Section[] {
  const sections: Section[] = Array.from({ length: domains }, (_, d) => ({ key: `d${d}`, title: `Domaine ${d}`, color: '#e0f2fe', notes: [] as Note[] }));
  for (let i = 0; i < count; i++) {
    // Uneven domains, as real walls are: the first ones get more.
    const d = Math.min(domains - 1, Math.floor(Math.sqrt(i * 3)) % domains);
    (sections[d] as Section).notes.push({ id: `n${i}`, text: TEXTS[i % TEXTS.length] as string, author: 'A', org: 'O', domainId: `d${d}`, x: 0, y: 0, color: '#fff59d', createdAt: i, ownerId: '' });
  }
  return sections;
}

const SCREEN = { width: 1920, height: 1000 };
const overlap = (a: Cell, b: Cell) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('projection layout (R120 R121)', () => {
  it('R120: 60 notes on a 1920×1000 screen read at 18 px or more, every note once, inside the screen, none overlapping', () => {
    const page = layoutPage(wall(60), SCREEN);
    expect(page.font).toBeGreaterThanOrEqual(READABLE_FONT);
    const notes = page.cells.filter((c) => c.kind === 'note');
    expect(notes.map((c) => c.note?.id).sort()).toEqual(Array.from({ length: 60 }, (_, i) => `n${i}`).sort());
    for (const c of page.cells) {
      expect(c.x).toBeGreaterThanOrEqual(0);
      expect(c.y).toBeGreaterThanOrEqual(0);
      expect(c.x + c.width).toBeLessThanOrEqual(SCREEN.width + 0.01);
      expect(c.y + c.height).toBeLessThanOrEqual(SCREEN.height + 0.01);
    }
    for (let i = 0; i < page.cells.length; i++) for (let j = i + 1; j < page.cells.length; j++) expect(overlap(page.cells[i]!, page.cells[j]!)).toBe(false);
    // Uses the width of a 16:9 screen, not a strip.
    expect(page.columns).toBeGreaterThanOrEqual(6);
  });

  it('R120: every column starts under a header of its first note\'s domain (one header across the columns a domain fills)', () => {
    const page = layoutPage(wall(60), SCREEN);
    const xs = [...new Set(page.cells.filter((c) => c.kind === 'note').map((c) => c.x))];
    for (const x of xs) {
      const col = page.cells.filter((c) => c.x <= x + 0.5 && c.x + c.width >= x + 1).sort((a, b) => a.y - b.y);
      const firstNote = col.find((c) => c.kind === 'note');
      expect(col[0]?.kind).toBe('header');
      expect(col[0]?.section).toBe(firstNote?.section);
      expect(col[col.length - 1]?.kind).toBe('note');
    }
    // A domain filling several columns from the top has one header spanning them all.
    const big = layoutPage(wall(150), SCREEN);
    const d0 = big.cells.filter((c) => c.section.key === 'd0');
    const d0Columns = new Set(d0.filter((c) => c.kind === 'note').map((c) => c.x));
    expect(d0Columns.size).toBeGreaterThan(1);
    const headers = d0.filter((c) => c.kind === 'header');
    expect(headers).toHaveLength(1);
    expect(headers[0]!.x + headers[0]!.width).toBeCloseTo(Math.max(...d0.filter((c) => c.kind === 'note').map((c) => c.x + c.width)), 0);
  });

  it('R121: 150 notes: the overview fills the screen; pages keep 18 px and show every note once', () => {
    const overview = layoutPage(wall(150), SCREEN);
    expect(overview.noteCount).toBe(150);
    expect(overview.font).toBeLessThan(READABLE_FONT);
    const pages = paginate(wall(150), SCREEN);
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.length).toBeLessThanOrEqual(4);
    for (const p of pages) expect(p.font).toBeGreaterThanOrEqual(READABLE_FONT);
    const ids = pages.flatMap((p) => p.cells.filter((c) => c.kind === 'note').map((c) => c.note?.id));
    expect(ids.length).toBe(150);
    expect(new Set(ids).size).toBe(150);
  });

  it('R120: a small wall gets large text and stays on the screen', () => {
    const page = layoutPage(wall(5, 3), SCREEN);
    expect(page.font).toBeGreaterThanOrEqual(36);
    expect(layoutPage([], SCREEN).cells).toEqual([]);
  });
});
