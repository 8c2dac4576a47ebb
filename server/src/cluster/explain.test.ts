/**
 * R172: every suggestion carries what joined its notes, and one held by a single shared word is
 * marked weak and ranked after the others.
 */
import { describe, expect, it } from 'vitest';
import { clusterNotes } from './clusterNotes.ts';
import { compileGlossary } from './concepts.ts';
import { explainCluster } from './explain.ts';

const wall = [
  { id: 'h1', text: 'Aide aux devoirs après l’école pour les élèves du secondaire', org: 'A' },
  { id: 'h2', text: 'After-school homework help for high school students', org: 'B' },
  { id: 'h3', text: 'Homework club with tutors after school for secondary students', org: 'C' },
  { id: 'h4', text: 'Aide aux devoirs et tutorat après l’école au secondaire', org: 'D' },
  { id: 'r1', text: 'Soirée de reconnaissance des bénévoles', org: 'E' },
  { id: 'r2', text: 'Reconnaissance des acquis pour les immigrants', org: 'F' },
  { id: 'x1', text: 'Ligue de soccer le samedi', org: 'G' },
];

describe('R172: suggestions explain themselves', () => {
  it('R172: a cluster lists the shared words and concept, with how many notes hold each', () => {
    const homework = clusterNotes(wall).clusters.find((c) => c.noteIds.includes('h1'));
    expect(homework?.noteIds).toEqual(expect.arrayContaining(['h1', 'h2', 'h3', 'h4']));
    expect(homework?.evidence.weak).toBe(false);
    expect(homework?.evidence.concept).toBeTruthy();
    const concept = homework?.evidence.shared.find((t) => t.concept === 'homework');
    expect(concept?.notes).toBe(4);
  });

  it('R172: a group held by one word is weak and comes after the strong ones', () => {
    const { clusters } = clusterNotes(wall);
    const recognition = clusters.find((c) => c.noteIds.includes('r1') && c.noteIds.includes('r2'));
    // The engine may or may not pair them; when it does, the one word that did it is named.
    if (recognition) {
      expect(recognition.evidence.weak).toBe(true);
      expect(recognition.evidence.shared.map((t) => t.term)).toEqual(['reconnaissance']);
      expect(clusters.indexOf(recognition)).toBeGreaterThan(clusters.findIndex((c) => !c.evidence.weak));
    }
    const weakFirst = clusters.findIndex((c) => c.evidence.weak);
    if (weakFirst >= 0) expect(clusters.slice(weakFirst).every((c) => c.evidence.weak)).toBe(true);
  });

  it('R172: the weakness rule — one plain word, or one concept over three notes or fewer, is weak; one concept over four is a theme', () => {
    const matcher = compileGlossary([{ id: 'homework', fr: ['devoirs'], en: ['homework'] }, { id: 'help', fr: ['aide'], en: ['help'], weight: 0.5 }]);
    const word = [{ key: 'S:reconnaiss', shown: 'reconnaissance', holders: 2 }];
    expect(explainCluster(word, 2, matcher)).toEqual({ shared: [{ term: 'reconnaissance', notes: 2 }], weak: true });
    const concept = [{ key: 'C:homework', shown: 'homework', holders: 4 }];
    expect(explainCluster(concept, 4, matcher).weak).toBe(false);
    expect(explainCluster(concept.map((t) => ({ ...t, holders: 3 })), 3, matcher).weak).toBe(true);
    const two = [...word, { key: 'S:benevol', shown: 'bénévoles', holders: 2 }];
    expect(explainCluster(two, 2, matcher)).toMatchObject({ weak: false });
    // A term held by fewer than half the members does not bind.
    expect(explainCluster([{ key: 'S:a', shown: 'a', holders: 6 }, { key: 'S:b', shown: 'b', holders: 2 }], 6, matcher).weak).toBe(true);
  });
});
