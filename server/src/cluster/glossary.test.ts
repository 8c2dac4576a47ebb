import { describe, expect, it } from 'vitest';
import { compileGlossary } from './concepts.ts';
import { BUILTIN_GLOSSARY, mergeGlossary } from './glossary.ts';
import { ClusterInputError } from './validate.ts';

describe('built-in glossary', () => {
  it('has over 150 concepts with unique ids, both languages and valid references', () => {
    expect(BUILTIN_GLOSSARY.length).toBeGreaterThanOrEqual(150);
    const ids = new Set(BUILTIN_GLOSSARY.map((e) => e.id));
    expect(ids.size).toBe(BUILTIN_GLOSSARY.length);
    for (const e of BUILTIN_GLOSSARY) {
      expect(e.fr.length, e.id).toBeGreaterThan(0);
      expect(e.en.length, e.id).toBeGreaterThan(0);
      for (const b of e.broader ?? []) expect(ids.has(b), `${e.id} → ${b}`).toBe(true);
    }
  });

  it('compiles every term to at least one content word', () => {
    const single = (id: string, lang: 'fr' | 'en', term: string): number => {
      const m = compileGlossary([{ id, fr: lang === 'fr' ? [term] : [], en: lang === 'en' ? [term] : [] }]);
      return m.root.next.size;
    };
    for (const e of BUILTIN_GLOSSARY) for (const lang of ['fr', 'en'] as const) for (const t of e[lang]) expect(single(e.id, lang, t), `${e.id}: ${t}`).toBeGreaterThan(0);
  });
});

describe('mergeGlossary', () => {
  it('adds host terms to an existing concept', () => {
    const merged = mergeGlossary([{ id: 'mentoring', fr: ['accompagnement par un pair aîné'], en: [] }]);
    expect(merged.find((e) => e.id === 'mentoring')?.fr).toContain('accompagnement par un pair aîné');
    expect(merged.length).toBe(BUILTIN_GLOSSARY.length);
    expect(BUILTIN_GLOSSARY.find((e) => e.id === 'mentoring')?.fr).not.toContain('accompagnement par un pair aîné');
  });

  it('creates a concept named after its first term when no id is given', () => {
    const merged = mergeGlossary([{ fr: ['ruche d’art'], en: ['art hive'] }]);
    expect(merged.find((e) => e.id === 'host-art-hive')).toBeDefined();
  });

  it('can replace the built-in glossary', () => {
    expect(mergeGlossary([{ id: 'x', fr: ['a b'], en: ['c'] }], true).map((e) => e.id)).toEqual(['x']);
  });

  it('rejects malformed entries', () => {
    for (const bad of [[{ fr: [], en: [] }], [{ id: 'Bad Id', fr: ['x'], en: [] }], [{ fr: [''], en: ['x'] }], [{ fr: ['x'.repeat(101)], en: [] }], [{ fr: ['x'], en: [], extra: 1 }], 'nope']) {
      expect(() => mergeGlossary(bad as never)).toThrow(ClusterInputError);
    }
  });
});
