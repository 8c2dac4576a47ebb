import { describe, expect, it } from 'vitest';
import { correct, editDistance, SpellIndex } from './spell.ts';

const index = new SpellIndex(['mentorat', 'workshop', 'entrepreneuriat', 'classes', 'homework'].map((word) => ({ word, weight: 1 })));

describe('spelling repair', () => {
  it('measures edits with transpositions', () => {
    expect(editDistance('mentorrat', 'mentorat')).toBe(1);
    expect(editDistance('wokrshop', 'workshop')).toBe(1);
    expect(editDistance('entreprenariat', 'entrepreneuriat')).toBe(2);
    expect(editDistance('abc', 'xyz', 1)).toBe(2); // gives up past the limit
  });

  it('repairs typos of known words', () => {
    expect(correct('mentorrat', [index])).toBe('mentorat');
    expect(correct('worshop', [index])).toBe('workshop');
    expect(correct('homewrk', [index])).toBe('homework');
    expect(correct('entreprenariat', [index])).toBe('entrepreneuriat');
  });

  it('leaves known, short and first-letter-different words alone', () => {
    expect(correct('workshop', [index])).toBeUndefined();
    expect(correct('clas', [index])).toBeUndefined();
    expect(correct('glasses', [index])).toBeUndefined();
  });

  it('prefers the heavier of equally close words', () => {
    const two = new SpellIndex([
      { word: 'stages', weight: 1 },
      { word: 'stager', weight: 5 },
    ]);
    expect(correct('stagez', [two])).toBe('stager');
  });
});
