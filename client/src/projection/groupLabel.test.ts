import { describe, expect, it } from 'vitest';
import type { Note } from '@maillage/shared';
import { groupLabel, guessLanguage, shortPhrase } from './groupLabel.ts';

const note = (id: string, text: string): Note => ({ id, text, author: '', org: '', domainId: 'd', x: 0, y: 0, color: '#fff59d', createdAt: 0, ownerId: '' });

describe('suggested group labels (R130)', () => {
  it('R130: guesses French and English from short activity texts', () => {
    expect(guessLanguage('Mentorat par les pairs au secondaire')).toBe('fr');
    expect(guessLanguage('Peer mentoring for first-year students')).toBe('en');
    expect(guessLanguage('Élèves')).toBe('fr');
  });

  it('R130: a label is the opening words of a note, no dangling article, capitalised', () => {
    expect(shortPhrase('ateliers de préparation à l’emploi pour les jeunes de 16 à 24 ans')).toBe('Ateliers de préparation à l’emploi');
    expect(shortPhrase('Club de devoirs. Tous les soirs')).toBe('Club de devoirs');
    expect(shortPhrase('Youth council of the city, monthly')).toBe('Youth council of the city');
  });

  it('R130: picks the note holding most key terms, in the host language, else any note', () => {
    const notes = [note('a', 'Peer mentoring for first-year students'), note('b', 'Mentorat par les pairs au secondaire'), note('c', 'Tutorat en français')];
    expect(groupLabel(notes, ['mentorat', 'pairs'], 'fr', 'x')).toBe('Mentorat par les pairs au secondaire');
    expect(groupLabel(notes, ['mentoring', 'peer'], 'en', 'x')).toBe('Peer mentoring for first-year students');
    expect(groupLabel([note('c', 'Tutorat en français')], ['tutorat'], 'en', 'x')).toBe('Tutorat en français');
    expect(groupLabel([], ['x'], 'fr', 'mentorat, pairs')).toBe('mentorat, pairs');
  });
});
