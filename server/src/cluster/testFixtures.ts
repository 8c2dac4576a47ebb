/**
 * Loads the labelled fixtures of test/fixtures/ for tests and the benchmark. Kept out of the
 * production import graph: only *.test.ts files and bench/ import it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ClusterNote } from './types.ts';

/** A labelled note: `group` is the true theme ("solo-…" for a note that belongs to none). */
export interface LabelledNote {
  id: string;
  text: string;
  org: string;
  domainId: string;
  group: string;
}

/** Reads a JSON Lines fixture from test/fixtures/ (e.g. "activities.jsonl"). */
export function loadFixture(name: string): LabelledNote[] {
  const path = fileURLToPath(new URL(`../../../test/fixtures/${name}`, import.meta.url));
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as LabelledNote);
}

const note = (id: string, text: string, org: string): ClusterNote => ({ id, text, org, domainId: 'd' });

/**
 * A wall whose hosts grouped notes on words no glossary knows (R256): "ruche d'art" / "art hive"
 * and "grainothèque" / "seed", French and English in each group, so each group teaches one pair.
 */
export const TEACHING_NOTES: readonly ClusterNote[] = [
  note('a1', 'Ruche d’art ouverte le jeudi au sous-sol', 'Centre Saint-Pierre'),
  note('a2', 'Une ruche d’art pour créer ensemble', 'Maison de quartier'),
  note('a3', 'Art hive drop-in every Thursday', 'Westend Hub'),
  note('a4', 'Community art hive in the library basement', 'Library'),
  note('b1', 'Grainothèque au comptoir du centre', 'Comptoir Emmaüs'),
  note('b2', 'Grainothèque : échange du printemps', 'Paroisse'),
  note('b3', 'Seed swap at the community centre', 'Green Co-op'),
  note('b4', 'Free seeds for balcony growers', 'Family Centre'),
];
/** The hosts' two groups over {@link TEACHING_NOTES}. */
export const TEACHING_GROUPS: readonly { noteIds: string[] }[] = [{ noteIds: ['a1', 'a2', 'a3', 'a4'] }, { noteIds: ['b1', 'b2', 'b3', 'b4'] }];
