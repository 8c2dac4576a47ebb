import { describe, expect, it } from 'vitest';
import { compileGlossary } from './concepts.ts';
import { isDictionaryWord } from './dictionary.ts';
import { extractFeatures } from './features.ts';
import { BUILTIN_GLOSSARY } from './glossary.ts';

describe('spelling repair never rewrites a word a dictionary knows', () => {
  it('knows ordinary French and English words, as written or typed without their accents, and not typos', () => {
    for (const w of ['livraison', 'fermes', 'policy', 'stimulation', 'élèves', 'activité']) expect(isDictionaryWord(w), w).toBe(true);
    for (const w of ['eleves', 'activite', 'refugies', 'reperage', 'creche']) expect(isDictionaryWord(w), w).toBe(true);
    for (const w of ['livraisn', 'actvite', 'polcy', 'elevs', 'refugiers']) expect(isDictionaryWord(w), w).toBe(false);
  });

  it('keeps a French word typed without accents instead of rewriting it into a glossary word', () => {
    // Found by typing 6,000 accented French words without their accents (round 6): "contestée",
    // "collée", "charités" typed bare were read as typos of glossary words and took their
    // concepts (competition, college, community organization). A real typo is still repaired.
    const matcher = compileGlossary(BUILTIN_GLOSSARY);
    const [contested, glued, charities, typo] = extractFeatures(
      [
        { id: 'a', text: 'Decision contestee par le comite', org: 'x', domainId: 'd' },
        { id: 'b', text: 'Affiche collee au babillard', org: 'y', domainId: 'd' },
        { id: 'c', text: 'Dons aux charites locales', org: 'z', domainId: 'd' },
        { id: 'd', text: 'Programme de mentorrat', org: 'w', domainId: 'd' },
      ],
      matcher,
    );
    expect(contested?.words.has('C:competition')).toBe(false);
    expect(glued?.words.has('C:college')).toBe(false);
    expect(charities?.words.has('C:community-organization')).toBe(false);
    expect(typo?.words.has('C:mentoring')).toBe(true);
  });

  it('keeps a real word seen once instead of turning it into the nearest glossary word, and still repairs a typo', () => {
    const matcher = compileGlossary([
      { id: 'liaison', fr: ['liaison'], en: ['liaison'] },
      { id: 'activity', fr: ['activité'], en: ['activity'] },
    ]);
    const notes = [
      { id: 'a', text: 'Livraison de paniers', org: 'x', domainId: 'food' },
      { id: 'b', text: 'Agent de liaison scolaire', org: 'y', domainId: 'school' },
      { id: 'c', text: 'Une actvite pour les aînés', org: 'z', domainId: 'aging' },
    ];
    const [a, , c] = extractFeatures(notes, matcher);
    expect(a?.words.has('C:liaison')).toBe(false);
    expect(c?.words.has('C:activity')).toBe(true);
  });
});
