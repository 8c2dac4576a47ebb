import { describe, expect, it } from 'vitest';
import { fr } from './fr.ts';
import { en } from './en.ts';

function leaves(o: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'string') out.set(prefix + k, v);
    else for (const [kk, vv] of leaves(v as object, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}

describe('bilingual strings', () => {
  it('every French key has an English string and vice versa, none empty', () => {
    const f = leaves(fr);
    const e = leaves(en);
    expect([...f.keys()].sort()).toEqual([...e.keys()].sort());
    for (const [k, v] of [...f, ...e]) expect(v.trim(), k).not.toBe('');
  });
  it('interpolation placeholders match between languages', () => {
    const f = leaves(fr);
    const e = leaves(en);
    const vars = (s: string) => (s.match(/{{\w+}}/g) ?? []).sort().join(',');
    for (const [k, v] of f) expect(vars(e.get(k) ?? ''), k).toBe(vars(v));
  });
});
