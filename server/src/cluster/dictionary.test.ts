import { describe, expect, it } from 'vitest';
import { compileGlossary } from './concepts.ts';
import { isDictionaryWord } from './dictionary.ts';
import { extractFeatures } from './features.ts';

describe('spelling repair never rewrites a word a dictionary knows', () => {
  it('knows ordinary French and English words as written, and not typos or words stripped of their accents', () => {
    for (const w of ['livraison', 'fermes', 'policy', 'stimulation', 'élèves', 'activité']) expect(isDictionaryWord(w), w).toBe(true);
    for (const w of ['livraisn', 'actvite', 'polcy', 'eleves']) expect(isDictionaryWord(w), w).toBe(false);
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
