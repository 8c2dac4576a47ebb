import { describe, expect, it } from 'vitest';
import type { Note } from '@maillage/shared';
import { overviewPage, OVERVIEW_FLOOR } from './overview.ts';
import { READABLE_FONT, type Section } from './layout.ts';
import { estimateMeasure, fitFont, lineCount } from './textFit.ts';

const TEXTS = [
  'Mentorat par les pairs au secondaire',
  'Ateliers de préparation à l’emploi pour les 16-24 ans',
  'Club de devoirs après l’école, trois soirs par semaine',
  'Youth advisory council at city hall',
  'Cartographie des services jeunesse du quartier, mise à jour chaque année',
  'Raccrochage scolaire : accompagnement individuel des décrocheurs',
];

function wall(count: number): Section[] {
  const sections: Section[] = Array.from({ length: 7 }, (_, d) => ({ key: `d${d}`, title: `Domaine numéro ${d}, au titre assez long`, color: '#e0f2fe', notes: [] as Note[] }));
  for (let i = 0; i < count; i++) {
    const d = [0, 0, 1, 1, 1, 2, 3, 3, 4, 5, 6, 2][i % 12] as number;
    (sections[d] as Section).notes.push({ id: `n${i}`, text: `${TEXTS[i % TEXTS.length]} (${i})`, author: 'A', org: 'O', domainId: `d${d}`, x: 0, y: 0, color: '#fff59d', createdAt: i, ownerId: '' });
  }
  return sections;
}
const SCREEN = { width: 1920, height: 960 };

describe('text fitting (R190)', () => {
  it('R190: wraps whole words and counts the lines a long word needs', () => {
    expect(lineCount('a b c', 1000, 10, estimateMeasure)).toBe(1);
    expect(lineCount('mentorat mentorat', 60, 10, estimateMeasure)).toBe(2);
    expect(lineCount('accompagnement', 30, 10, estimateMeasure)).toBeGreaterThan(1);
    expect(lineCount('accompagnement', 30, 10, estimateMeasure, true)).toBe(Infinity);
  });
  it('R190: a short text gets a larger font than a long one in the same box, and fits', () => {
    const short = fitFont('Club de devoirs', 200, 80, 10, 60, estimateMeasure);
    const long = fitFont(TEXTS[4] as string, 200, 80, 10, 60, estimateMeasure);
    expect(short.fits && long.fits).toBe(true);
    expect(short.font).toBeGreaterThan(long.font);
    expect(fitFont('x '.repeat(500), 100, 20, 12, 40, estimateMeasure).fits).toBe(false);
  });
});

describe('overview of a big wall (R190)', () => {
  it('R190: 150 notes on 1920×960: every note once, inside the screen, none overlapping, ≥ 40 % at 18 px, the rest ≥ the floor', () => {
    const page = overviewPage(wall(150), SCREEN);
    const notes = page.cells.filter((c) => c.note);
    expect(notes.map((c) => c.note?.id).sort()).toEqual(Array.from({ length: 150 }, (_, i) => `n${i}`).sort());
    for (const c of page.cells) {
      expect(c.x).toBeGreaterThanOrEqual(0);
      expect(c.x + c.width).toBeLessThanOrEqual(SCREEN.width + 0.01);
      expect(c.y + c.height).toBeLessThanOrEqual(SCREEN.height + 0.01);
    }
    for (let i = 0; i < page.cells.length; i++) {
      for (let j = i + 1; j < page.cells.length; j++) {
        const [a, b] = [page.cells[i]!, page.cells[j]!];
        expect(a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height).toBe(false);
      }
    }
    expect(notes.filter((c) => (c.font ?? 0) >= READABLE_FONT).length).toBeGreaterThanOrEqual(60);
    expect(Math.min(...notes.map((c) => c.font ?? 0))).toBeGreaterThanOrEqual(OVERVIEW_FLOOR);
    // Each note's text fits its cell at its font.
    for (const c of notes) expect(fitFont(c.note!.text, c.width - 2 * 5, c.height - 2 * 3, c.font!, c.font!, estimateMeasure).fits).toBe(true);
  });
  it('R190: an empty wall or screen gives an empty page, never a throw', () => {
    expect(overviewPage(wall(0), SCREEN).cells).toEqual([]);
    expect(overviewPage(wall(20), { width: 0, height: 0 }).cells).toEqual([]);
  });
});
