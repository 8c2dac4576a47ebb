import { describe, expect, it } from 'vitest';
import { detectLanguage, stem } from './stem.ts';
import { tokenize } from './tokenize.ts';

describe('stem', () => {
  it('conflates French inflections and returns folded stems', () => {
    expect(stem('ateliers', 'fr')).toBe(stem('atelier', 'fr'));
    expect(stem('activités', 'fr')).toBe(stem('activité', 'fr'));
    expect(stem('élèves', 'fr')).toBe('elev');
  });

  it('conflates English inflections', () => {
    expect(stem('workshops', 'en')).toBe('workshop');
    expect(stem('mentoring', 'en')).toBe(stem('mentors', 'en'));
    expect(stem('tutoring', 'en')).toBe('tutor');
  });
});

describe('detectLanguage', () => {
  it('reads grammatical words and accents', () => {
    expect(detectLanguage(tokenize('Aide aux devoirs pour les élèves'))).toBe('fr');
    expect(detectLanguage(tokenize('Homework help for the students of the area'))).toBe('en');
  });

  it('gives up when the evidence is even', () => {
    expect(detectLanguage(tokenize('Mentorat STIM'))).toBeUndefined();
  });
});
