import { describe, expect, it } from 'vitest';
import { parseGlossary } from './ClustersPanel.tsx';

describe('host glossary lines', () => {
  it('parses "fr, fr = en, en" lines and drops incomplete ones', () => {
    expect(parseGlossary('raccrochage = re-engagement, dropout recovery\nseul mot\n = \nCJE = youth employment centre')).toEqual([
      { fr: ['raccrochage'], en: ['re-engagement', 'dropout recovery'] },
      { fr: ['CJE'], en: ['youth employment centre'] },
    ]);
  });
});
