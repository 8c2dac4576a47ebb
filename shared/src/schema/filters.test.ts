import { describe, expect, it } from 'vitest';
import { facetOptions, filterNotes, foldText, isFilterActive, parseQuery, searchTokens, stemWord } from './filters.ts';
import type { Note } from './records.ts';

const note = (id: string, text: string, extra: Partial<Note> = {}): Note => ({
  id,
  text,
  author: '',
  email: '',
  org: '',
  domainId: 'd1',
  x: 0,
  y: 0,
  color: '#ffffff',
  createdAt: Number(id.replace(/\D/g, '')) || 0,
  ownerId: '',
  ...extra,
});

describe('search normalisation', () => {
  it('folds accents, ligatures, case and typographic apostrophes', () => {
    expect(foldText('Élèves CŒUR l’École')).toBe("eleves coeur l'ecole");
  });
  it('reduces French and English plurals', () => {
    expect(['activités', 'activities', 'journaux', 'bureaux', 'jeux', 'classes', 'jeunes', 'cours', 'bus'].map((w) => stemWord(foldText(w)))).toEqual([
      'activite', 'activity', 'journal', 'bureau', 'jeu', 'class', 'jeune', 'cour', 'bus',
    ]);
  });
  it('drops French elisions and query stop words', () => {
    expect(searchTokens("L'aide aux devoirs d’été")).toEqual(['aide', 'aux', 'devoir', 'ete']);
    expect(parseQuery('les jeunes de la région')).toEqual(['jeune', 'region']);
    expect(parseQuery('de la')).toEqual(['de', 'la']);
  });
});

describe('filterNotes', () => {
  const notes = [
    note('n1', 'Mentorat des élèves', { author: 'Léa Côté', org: 'CJE Estrie', email: 'lea@cje.example', domainId: 'mentoring' }),
    note('n2', 'Job fair for students', { author: 'Ann', org: 'YMCA', domainId: 'jobs' }),
    note('n3', 'Stages d’été', { author: 'lea cote', org: 'cje estrie', domainId: 'jobs' }),
  ];
  const ids = (f: Parameters<typeof filterNotes>[1], ctx?: Parameters<typeof filterNotes>[2]) => filterNotes(notes, f, ctx).map((n) => n.id);

  it('matches every query word as a word prefix, whatever the accents', () => {
    expect(ids({ q: 'ELEVE mentor' })).toEqual(['n1']);
    expect(ids({ q: 'stage ete' })).toEqual(['n3']);
    expect(ids({ q: 'student' })).toEqual(['n2']);
    expect(ids({ q: 'stud élève' })).toEqual([]);
    expect(ids({ q: '   ' })).toEqual(['n1', 'n2', 'n3']);
  });
  it('searches emails only when the viewer may see them', () => {
    expect(ids({ q: 'lea@cje' })).toEqual(['n1', 'n3']); // the names match, not the email
    expect(ids({ q: 'example' })).toEqual([]);
    expect(ids({ q: 'example' }, { includeEmail: true })).toEqual(['n1']);
  });
  it('filters by domain, organization and author (grouped across spellings) and cluster', () => {
    expect(ids({ domainId: 'jobs' })).toEqual(['n2', 'n3']);
    expect(ids({ org: 'cje estrie' })).toEqual(['n1', 'n3']);
    expect(ids({ author: 'lea cote', domainId: 'jobs' })).toEqual(['n3']);
    const clusters = [{ id: 'c1', label: 'x', noteIds: ['n2', 'n3'], terms: [], score: 1, createdAt: 0 }];
    expect(ids({ clusterId: 'c1' }, { clusters })).toEqual(['n2', 'n3']);
    expect(ids({ clusterId: 'missing' }, { clusters })).toEqual([]);
    expect(isFilterActive({})).toBe(false);
    expect(isFilterActive({ q: 'de' })).toBe(true);
  });
  it('offers organizations and authors once per spelling group, with counts', () => {
    expect(facetOptions(notes, 'org')).toEqual([
      { key: 'cje estrie', label: 'CJE Estrie', count: 2 },
      { key: 'ymca', label: 'YMCA', count: 1 },
    ]);
    expect(facetOptions(notes, 'author').map((o) => o.label)).toEqual(['Ann', 'Léa Côté']);
  });
});
