/**
 * Issue 18, "learn from the host" (R256): groups the hosts accepted teach French↔English word
 * pairs that the next run uses. The words here are in no glossary ("ruche d'art" / "art hive",
 * "grainothèque" / "seed"), so before teaching nothing joins a French note to an English one.
 */
import { describe, expect, it } from 'vitest';
import { clusterNotes } from './clusterNotes.ts';
import { compileGlossary } from './concepts.ts';
import { BUILTIN_GLOSSARY } from './glossary.ts';
import { learnedEntries } from './learn.ts';
import { TEACHING_GROUPS, TEACHING_NOTES } from './testFixtures.ts';
import type { ClusterNote } from './types.ts';

const n = (id: string, text: string, org: string): ClusterNote => ({ id, text, org, domainId: 'd' });
const WALL: ClusterNote[] = [
  // What the hosts grouped earlier in the session.
  ...TEACHING_NOTES,
  // Written later: one French and one English note on each, sharing no word across languages.
  n('c1', 'Nouvelle ruche au centre-ville', 'Carrefour'),
  n('c2', 'A hive for teens on Saturdays', 'Youth Space'),
  n('c3', 'Une grainothèque ouvre ses portes', 'Entraide'),
  n('c4', 'Pop-up seed sale this weekend', 'Neighbours'),
];
const TAUGHT = TEACHING_GROUPS.map((g) => ({ noteIds: [...g.noteIds] }));
const together = (r: ReturnType<typeof clusterNotes>, x: string, y: string) => r.clusters.some((c) => c.noteIds.includes(x) && c.noteIds.includes(y));

describe('R256: accepted groups teach word pairs across languages', () => {
  it('teaches one pair per group, as the notes wrote the words, none a glossary already knows', () => {
    const pairs = learnedEntries(WALL, TAUGHT, compileGlossary(BUILTIN_GLOSSARY));
    expect(pairs).toEqual([
      { fr: ['ruche'], en: ['hive'] },
      { fr: ['grainothèque'], en: ['seed'] },
    ]);
    // A group of one language, or with unknown notes only, teaches nothing.
    expect(learnedEntries(WALL, [{ noteIds: ['a1', 'a2'] }, { noteIds: ['zz'] }], compileGlossary(BUILTIN_GLOSSARY))).toEqual([]);
  });

  it('the next run groups later notes that share only the taught words; without the groups it does not', () => {
    const before = clusterNotes(WALL);
    const after = clusterNotes(WALL, { taught: TAUGHT });
    expect(together(before, 'c1', 'c2')).toBe(false);
    expect(together(before, 'c3', 'c4')).toBe(false);
    expect(together(after, 'c1', 'c2')).toBe(true);
    expect(together(after, 'c3', 'c4')).toBe(true);
    // Untaught again (the groups were removed): as before.
    expect(clusterNotes(WALL, { taught: [] })).toEqual(before);
  });

  it('refuses malformed taught groups at the door', () => {
    expect(() => clusterNotes(WALL, { taught: [{ noteIds: 'a1' }] as never })).toThrow(/invalid options/);
  });
});
