import { describe, expect, it } from 'vitest';
import { cleanText, foldAccents } from './normalize.ts';
import { tokenize } from './tokenize.ts';

const words = (text: string): string[] => tokenize(text).map((t) => t.folded);

describe('tokenize', () => {
  it('removes French elisions', () => {
    expect(words("l'école d'été qu'il jusqu'au lorsqu'on s'inscrire")).toEqual(['ecole', 'ete', 'il', 'au', 'on', 'inscrire']);
  });

  it('treats typographic apostrophes like straight ones', () => {
    expect(words('l’éducation des adultes')).toEqual(words("l'éducation des adultes"));
  });

  it('folds accents and case but keeps the accented form for the French stemmer', () => {
    const [t] = tokenize('Élèves');
    expect(t).toMatchObject({ folded: 'eleves', lower: 'élèves' });
    expect(foldAccents('cœur Ça')).toBe('coeur Ca');
  });

  it('drops English clitics', () => {
    expect(words("youth's teens' can't we're")).toEqual(['youth', 'teens', 'can', 'we']);
  });

  it('splits hyphenated compounds but fuses common prefixes', () => {
    expect(words('carrefour jeunesse-emploi')).toEqual(['carrefour', 'jeunesse', 'emploi']);
    expect(words('post-secondaire co-op re-engagement')).toEqual(['postsecondaire', 'coop', 'reengagement']);
  });

  it('flags acronyms written in capitals, including dotted ones', () => {
    const flags = tokenize('Obtenir son DES ou le D.E.S. des adultes').map((t) => [t.folded, t.acronym]);
    expect(flags).toEqual([
      ['obtenir', false],
      ['son', false],
      ['des', true],
      ['ou', false],
      ['le', false],
      ['des', true],
      ['des', false],
      ['adultes', false],
    ]);
  });

  it('does not take shouting for acronyms', () => {
    expect(tokenize('AIDE AUX DEVOIRS POUR TOUS LES JEUNES DU QUARTIER').some((t) => t.acronym)).toBe(false);
  });

  it('drops numbers, ordinals and durations', () => {
    expect(words('5e secondaire, 16-24 ans, 48h, 1er emploi, 2SLGBTQIA+')).toEqual(['secondaire', 'ans', 'emploi', '2slgbtqia']);
  });

  it('drops URLs and e-mail addresses', () => {
    expect(cleanText('voir https://exemple.org/x ou ecrire a info@exemple.org').trim().split(/\s+/)).toEqual(['voir', 'ou', 'ecrire', 'a']);
  });
});
