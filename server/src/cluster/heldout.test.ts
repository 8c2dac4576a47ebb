/**
 * R171: held-out evaluation walls. Two labelled bilingual walls on other collective-impact topics
 * than the glossary's (youth, schooling, work), each built by a different method — food security
 * written as paraphrase sets whose groups were fixed before the engine ever ran on them; housing
 * derived from public policy briefs (test/fixtures/heldout-README.md) — and never tuned on: no
 * parameter, glossary term or rule was chosen by looking at them. Their floors sit just under
 * the latest measurement (round 6: scored once, after the services lexicon was decided without
 * them), so they guard regressions; the issue's target (ARI ≥ 0.65, French within 0.1 of
 * English) is reported, not asserted, because it is not met (docs/clustering.md#held-out-evaluation).
 * Round 6's lexicon covers their topics (food, housing) as service types of the 211/AIRS
 * taxonomy, written without reading them, so they stay held out but no longer unseen in kind.
 *
 * R197: a third labelled wall, early childhood (tuning-earlychild.jsonl), is the tuning and
 * validation signal for generic methods (nothing topic-specific may be chosen on it either); it is
 * reported here with a floor so that a change judged on it is judged on the same numbers.
 *
 * R220: a fourth, bigger validation wall, older adults aging in place (tuning-aging.jsonl, 199
 * notes, 14 themes), written by a fourth method (211/AIRS-style service categories, each note as
 * a different kind of organisation would describe its activity) and never run through the engine
 * before it was written. At 200 notes the subsample deviation is ~0.02 instead of 0.04–0.07, so a
 * generic change can be judged on it; it gets a floor like the others.
 *
 * Round 6: the services lexicon (glossary-services.ts) was written blind to both validation walls
 * (early childhood 0.17 → 0.33, aging 0.20 → 0.24 on that first draft), then corrected on their
 * misfires, so their floors now guard an in-sample score (0.53 each); only the two R171 walls are
 * still held out.
 */
import { describe, expect, it } from 'vitest';
import { clusterNotes } from './clusterNotes.ts';
import { evaluate, type Evaluation } from './evaluation.ts';
import { loadFixture } from './testFixtures.ts';

const scored = (name: string, replaceGlossary = false): Evaluation => {
  const notes = loadFixture(name);
  const result = evaluate(notes, clusterNotes(notes, { replaceGlossary }));
  // Reported on every run: the numbers, not just pass/fail, are the evaluation.
  console.info(`${name}${replaceGlossary ? ' (no glossary)' : ''}: ARI ${result.ari.toFixed(3)} NMI ${result.nmi.toFixed(3)} F1 ${result.f1.toFixed(3)} | FR ARI ${result.fr?.ari.toFixed(3)} | EN ARI ${result.en?.ari.toFixed(3)}`);
  return result;
};

describe('R171: held-out evaluation walls (never tuned on)', () => {
  it('R171: heldout-food.jsonl (66 notes, 11 groups): measured ARI 0.45, NMI 0.81 (0.24 / 0.75 before the services lexicon, round 6)', () => {
    const r = scored('heldout-food.jsonl');
    expect(r.ari).toBeGreaterThanOrEqual(0.42);
    expect(r.nmi).toBeGreaterThanOrEqual(0.78);
  });

  it('R171: heldout-housing.jsonl (56 notes, 9 groups): measured ARI 0.28, NMI 0.75 (0.19 / 0.72 before the services lexicon)', () => {
    const r = scored('heldout-housing.jsonl');
    expect(r.ari).toBeGreaterThanOrEqual(0.25);
    expect(r.nmi).toBeGreaterThanOrEqual(0.71);
  });

  it('R197: tuning-earlychild.jsonl (59 notes, 9 groups), the validation wall for generic methods: measured ARI 0.53, NMI 0.82 (0.17 / 0.65 before the services lexicon, which was then tuned on it)', () => {
    const r = scored('tuning-earlychild.jsonl');
    expect(r.ari).toBeGreaterThanOrEqual(0.49);
    expect(r.nmi).toBeGreaterThanOrEqual(0.78);
  });

  it('R220: tuning-aging.jsonl (199 notes, 14 groups), the bigger validation wall: measured ARI 0.53, NMI 0.79 (0.20 / 0.60 before the services lexicon, which was then tuned on it)', () => {
    const r = scored('tuning-aging.jsonl');
    expect(r.ari).toBeGreaterThanOrEqual(0.50);
    expect(r.nmi).toBeGreaterThanOrEqual(0.75);
  });

  it('R171, R197, R220: the held-out and validation walls are bilingual and labelled before use (each language ≥ 40 %, every group in both or solo)', () => {
    for (const name of ['heldout-food.jsonl', 'heldout-housing.jsonl', 'tuning-earlychild.jsonl', 'tuning-aging.jsonl']) {
      const notes = loadFixture(name) as (ReturnType<typeof loadFixture>[number] & { lang: 'fr' | 'en' })[];
      const fr = notes.filter((n) => n.lang === 'fr').length;
      expect(fr / notes.length, name).toBeGreaterThanOrEqual(0.4);
      expect((notes.length - fr) / notes.length, name).toBeGreaterThanOrEqual(0.4);
      const langsOf = new Map<string, Set<string>>();
      for (const n of notes) langsOf.set(n.group, (langsOf.get(n.group) ?? new Set()).add(n.lang));
      for (const [group, langs] of langsOf) if (!group.startsWith('solo')) expect(langs.size, `${name} ${group}`).toBe(2);
    }
  });
});
