/**
 * Loads the labelled fixtures of test/fixtures/ for tests and the benchmark. Kept out of the
 * production import graph: only *.test.ts files and bench/ import it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

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
