/**
 * Round 7: ordinary words that fired a youth/school/work glossary concept on notes of other topics
 * (housing, food, benefits) — a word with several meanings must not join two themes on its own
 * (issue 18). Each case fired before the fix; the on-topic phrase still fires.
 */
import { describe, expect, it } from 'vitest';
import { compileGlossary, matchConcepts } from './concepts.ts';
import { BUILTIN_GLOSSARY } from './glossary.ts';
import { tokenize } from './tokenize.ts';

const matcher = compileGlossary(BUILTIN_GLOSSARY);
const concepts = (text: string, lang: 'fr' | 'en'): string[] => [...matchConcepts(tokenize(text), lang, matcher).concepts.keys()];

describe('glossary misfires off its topic (round 7)', () => {
  it.each([
    ['Room and board for students', 'en', 'governance'],
    ['Siège social de l’organisme', 'fr', 'governance'],
    ['Loyers en retard : aide d’urgence', 'fr', 'attendance'],
    ['Construction of affordable housing units', 'en', 'trade-jobs'],
    ['Help to apply for housing benefits', 'en', 'admission'],
    ['Application mobile pour la banque alimentaire', 'fr', 'admission'],
    // Round 7, second pass (helper H): 'gouvernement' (stems like 'gouvernance'), bare 'violence'.
    // Not fixed: French 'courses' -> classroom, 'credit' -> school-credits, 'transit' -> transition
    // (phrase-only terms dropped scale.test's 20,000-note ARI below its floor; docs/lexicon-services.md).
    ['Gouvernement fédéral : prestations pour aînés', 'fr', 'governance'],
    ['Programmes du gouvernement provincial', 'fr', 'governance'],
    ['Federal government programs for seniors', 'en', 'governance'],
    ['Violence in the neighbourhood: safety walks', 'en', 'bullying'],
    ['Fuir la violence : hébergement', 'fr', 'bullying'],
    ['Horaires du transport en commun', 'fr', 'transition'],
  ] as const)('"%s" (%s) is not read as %s', (text, lang, concept) => {
    expect(concepts(text, lang)).not.toContain(concept);
  });

  it.each([
    ['Board of directors training for youth', 'en', 'governance'],
    ['Recrutement de jeunes au conseil d’administration', 'fr', 'governance'],
    ['Youth on boards: two board seats for members under 25', 'en', 'governance'],
    ['Emplois dans les métiers de la construction', 'fr', 'trade-jobs'],
    ['Construction trades pre-apprenticeship', 'en', 'trade-jobs'],
    ['Absentéisme et retards en classe au secondaire', 'fr', 'attendance'],
    ['Aide aux demandes d’admission au cégep', 'fr', 'admission'],
    ['College admissions workshop', 'en', 'admission'],
    ['Youth council on school board governance', 'en', 'governance'],
    ['Structure de gouvernance du conseil jeunesse', 'fr', 'governance'],
    ['School violence and bullying prevention', 'en', 'bullying'],
    ['Violence à l’école : prévention', 'fr', 'bullying'],
    ['Transition école-travail pour jeunes', 'fr', 'transition'],
  ] as const)('"%s" (%s) is still read as %s', (text, lang, concept) => {
    expect(concepts(text, lang)).toContain(concept);
  });
});
