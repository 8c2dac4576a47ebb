import { describe, expect, it } from 'vitest';
import { compileGlossary, conceptLabel, matchConcepts } from './concepts.ts';
import { BUILTIN_GLOSSARY } from './glossary.ts';
import type { Lang } from './stem.ts';
import { tokenize } from './tokenize.ts';

const matcher = compileGlossary(BUILTIN_GLOSSARY);
const concepts = (text: string, lang: Lang): string[] => [...matchConcepts(tokenize(text), lang, matcher).concepts.keys()].sort();

describe('glossary matching', () => {
  it('maps French and English terms to the same concept', () => {
    expect(concepts('Aide aux devoirs', 'fr')).toContain('homework');
    expect(concepts('aide-devoirs', 'fr')).toContain('homework');
    expect(concepts('aide au devoir', 'fr')).toContain('homework');
    expect(concepts('Homework help', 'en')).toContain('homework');
    expect(concepts('mentorat', 'fr')).toEqual(expect.arrayContaining(['mentoring']));
    expect(concepts('mentoring', 'en')).toEqual(expect.arrayContaining(['mentoring']));
  });

  it('expands abbreviations', () => {
    expect(concepts('Obtenir son DES', 'fr')).toContain('hs-diploma');
    expect(concepts('Promotion de la FP', 'fr')).toContain('vocational');
    expect(concepts('Un CJE du quartier', 'fr')).toContain('employment-services');
    expect(concepts('classes ESL', 'en')).toContain('language-learning');
    expect(concepts('un OBNL', 'fr')).toContain('community-organization');
  });

  it('keeps the article "des" apart from the diploma "DES"', () => {
    expect(concepts('des ateliers pour des jeunes', 'fr')).not.toContain('hs-diploma');
  });

  it('prefers the longest term and adds broader concepts at half weight', () => {
    const m = matchConcepts(tokenize('formation professionnelle'), 'fr', matcher).concepts;
    expect(m.get('vocational')).toBe(1);
    expect(m.get('training')).toBe(0.5 * 0.7); // broader, and "training" weighs 0.7
  });

  it('splits the weight of a term listed under several concepts among them (a glossary homonym cannot join two themes at full weight)', () => {
    const homonyms = compileGlossary([
      { id: 'food-bank', fr: ['banque alimentaire', 'banque'], en: ['food bank'] },
      { id: 'banking', fr: ['banque', 'caisse'], en: ['bank'] },
    ]);
    const m = matchConcepts(tokenize('la banque du quartier'), 'fr', homonyms).concepts;
    expect(m.get('food-bank')).toBe(0.5);
    expect(m.get('banking')).toBe(0.5);
    // A term of one concept keeps its full weight.
    expect(matchConcepts(tokenize('banque alimentaire'), 'fr', homonyms).concepts.get('food-bank')).toBe(1);
  });

  it('requires the stop words at the edges of a term', () => {
    expect(concepts('Chess club at lunch', 'en')).toContain('lunchtime');
    expect(concepts('Chess club at lunch', 'en')).not.toContain('meals');
    expect(concepts('Lunch program', 'en')).toContain('meals');
  });

  it('matches the other language only on exact words, not on colliding stems', () => {
    // English "done" and French "dons" share the stem "don".
    expect(concepts('assignments done', 'en')).not.toContain('fundraising');
    // A French note may still use an English term verbatim.
    expect(concepts("Internships d'été", 'fr')).toContain('internship');
  });

  it('marks the tokens a term covered', () => {
    expect(matchConcepts(tokenize('aide aux devoirs et basketball'), 'fr', matcher).covered).toEqual([true, true, true, false, true]);
  });

  it('labels concepts in the requested language', () => {
    expect(conceptLabel(matcher, 'homework', 'fr')).toBe('aide aux devoirs');
    expect(conceptLabel(matcher, 'homework', 'en')).toBe('homework');
  });
});
