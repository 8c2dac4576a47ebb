import { describe, expect, it } from 'vitest';
import { clusterId, clusterNotes } from './clusterNotes.ts';
import { MAX_DUPLICATE_PAIRS } from './duplicates.ts';
import type { ClusterNote, ClusterPhase } from './types.ts';

const wall: ClusterNote[] = [
  { id: 'h1', text: "Aide aux devoirs après l'école pour les élèves du secondaire", org: 'Maison des jeunes', domainId: 'graduate-high-school' },
  { id: 'h2', text: 'Homework help after school for high school students', org: 'YMCA', domainId: 'graduate-high-school' },
  { id: 'h3', text: 'Club de devoirs le soir avec des tuteurs bénévoles', org: 'Centre Saint-Roch', domainId: 'engage-youth' },
  { id: 'm1', text: "Mentorat : jumelage d'un jeune avec un adulte bénévole", org: 'Maison des jeunes', domainId: 'mentoring' },
  { id: 'm2', text: 'One-on-one mentoring matching youth with adult volunteers', org: 'Mentor Link', domainId: 'mentoring' },
  { id: 'm3', text: 'Mentorship program pairing teens with caring adult mentors', org: 'YMCA', domainId: 'mentoring' },
  { id: 'x1', text: 'Ligue de basketball', org: 'Ville', domainId: 'engage-youth' },
  { id: 'x2', text: 'Annual fundraising gala for the foundation', org: 'Fondation', domainId: 'other' },
  { id: 'x3', text: 'Refonte du site web', org: 'Fusion', domainId: 'other' },
  { id: 'blank', text: '   ' },
];

const groups = (notes: ClusterNote[], opts = {}): string[][] => clusterNotes(notes, opts).clusters.map((c) => [...c.noteIds].sort());

describe('clusterNotes', () => {
  it('groups similar activities across languages and keeps unrelated ones apart', () => {
    expect(groups(wall).sort()).toEqual([
      ['h1', 'h2', 'h3'],
      ['m1', 'm2', 'm3'],
    ]);
  });

  it('leaves notes that are like nothing else unclustered, never as singleton clusters', () => {
    const r = clusterNotes(wall);
    expect(r.unclustered).toEqual(['x1', 'x2', 'x3', 'blank']);
    expect(r.clusters.every((c) => c.noteIds.length >= 2)).toBe(true);
  });

  it('keeps two unrelated notes apart and two paraphrases together, even on a tiny wall', () => {
    expect(groups([{ id: 'a', text: 'Aide aux devoirs' }, { id: 'b', text: 'Ligue de soccer' }])).toEqual([]);
    expect(groups([{ id: 'a', text: 'Aide aux devoirs pour les élèves' }, { id: 'b', text: 'Homework help for students' }])).toEqual([['a', 'b']]);
    expect(clusterNotes([])).toEqual({ clusters: [], unclustered: [], duplicates: [], duplicateCount: 0, threshold: { value: 1, method: 'auto' } });
  });

  it('is deterministic and independent of input order', () => {
    const first = clusterNotes(wall);
    expect(clusterNotes(wall)).toEqual(first);
    const shuffled = [...wall].reverse();
    const byId = (r: ReturnType<typeof clusterNotes>): Record<string, string[]> => Object.fromEntries(r.clusters.map((c) => [c.id, [...c.noteIds].sort()]));
    expect(byId(clusterNotes(shuffled))).toEqual(byId(first));
  });

  it('derives cluster ids from the member ids', () => {
    const c = clusterNotes(wall).clusters.find((x) => x.noteIds.includes('m1'));
    expect(c?.id).toBe(clusterId(['m3', 'm1', 'm2']));
    expect(clusterId(['a', 'b'])).toMatch(/^c_[0-9a-f]{12}$/);
  });

  it('reports organizations, domains, cohesion and a representative', () => {
    const homework = clusterNotes(wall).clusters.find((c) => c.noteIds.includes('h1'));
    expect(homework).toMatchObject({ orgCount: 3, domainCount: 2, language: 'fr' });
    expect(homework?.score).toBeGreaterThan(0);
    expect(homework?.score).toBeLessThanOrEqual(1);
    expect(homework?.noteIds[0]).toBe(homework?.representativeId);
  });

  it('ranks clusters spanning several organizations and domains first', () => {
    const r = clusterNotes(wall);
    expect(r.clusters.map((c) => c.noteIds.includes('h1'))).toEqual([true, false]); // 2 domains before 1
  });

  it('labels clusters with shared terms in the language of most members', () => {
    const r = clusterNotes(wall);
    const homework = r.clusters.find((c) => c.noteIds.includes('h1'));
    const mentoring = r.clusters.find((c) => c.noteIds.includes('m1'));
    expect(homework?.label.split(' · ')).toContain('aide aux devoirs');
    expect(homework?.terms.length).toBeGreaterThan(0);
    expect(mentoring?.language).toBe('en');
    expect(mentoring?.label.split(' · ')[0]).toBe('mentoring');
  });

  it('offers same-organization near-duplicates for merge, not cross-organization ones', () => {
    // On a wall of a few notes every shared word is "common"; duplicates show on a real-sized one.
    const notes: ClusterNote[] = [
      ...wall,
      { id: 'a', text: 'Resume writing & mock interviews every Tuesday', org: 'Youth Jobs' },
      { id: 'b', text: 'Resume writing and mock interview sessions on Tuesdays', org: 'youth  jobs' },
      { id: 'c', text: 'Resume writing and mock interviews on Tuesdays', org: 'Other Org' },
      { id: 'd', text: 'Ligue de soccer', org: 'Youth Jobs' },
    ];
    const { duplicates } = clusterNotes(notes);
    expect(duplicates.map((d) => d.noteIds)).toEqual([['a', 'b']]);
    expect(duplicates[0]?.score).toBeGreaterThanOrEqual(0.7);
    expect(clusterNotes(notes, { duplicateThreshold: 0.99 }).duplicates).toEqual([]);
  });

  it('R258: carries the closest 100 duplicate pairs and says how many it found, when one organization posts an activity many times', () => {
    // Numbers are not words to the engine (tokenize.ts), so these are copies of one note.
    const reposts: ClusterNote[] = Array.from({ length: 24 }, (_, i) => ({
      id: `r${String(i).padStart(2, '0')}`,
      text: `Aide aux devoirs après l'école pour les élèves du secondaire, groupe ${i + 1}`,
      org: 'Maison des jeunes',
    }));
    const all = clusterNotes([...wall, ...reposts]);
    expect(all.duplicateCount).toBeGreaterThan(MAX_DUPLICATE_PAIRS);
    expect(all.duplicates).toHaveLength(MAX_DUPLICATE_PAIRS);
    const scores = all.duplicates.map((d) => d.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    // A wall with fewer pairs than the cap keeps them all, and says so.
    const few = clusterNotes([...wall, ...reposts.slice(0, 6)]);
    expect(few.duplicateCount).toBe(few.duplicates.length);
    expect(few.duplicateCount).toBeGreaterThan(0);
  });

  it('lets a host glossary bridge words the built-in one does not know', () => {
    const notes: ClusterNote[] = [
      { id: 'a', text: 'Zorblat au parc' },
      { id: 'b', text: 'Quimpex downtown' },
      { id: 'c', text: 'Ligue de soccer' },
      { id: 'd', text: 'Annual fundraising gala' },
    ];
    expect(groups(notes)).toEqual([]);
    expect(groups(notes, { glossary: [{ fr: ['zorblat'], en: ['quimpex'] }] })).toEqual([['a', 'b']]);
  });

  it('accepts a fixed threshold', () => {
    const r = clusterNotes(wall, { threshold: 0.99 });
    expect(r.threshold).toEqual({ value: 0.99, method: 'fixed' });
    expect(r.clusters).toEqual([]);
  });

  it('reports progress through every phase in order', () => {
    const seen: [ClusterPhase, number][] = [];
    clusterNotes(wall, { onProgress: (p) => seen.push([p.phase, p.fraction]) });
    expect(seen.map((s) => s[0])).toEqual(['tokenize', 'vectorize', 'similarity', 'cluster', 'label']);
    expect(seen.map((s) => s[1])).toEqual([...seen.map((s) => s[1])].sort((a, b) => a - b));
  });
});
