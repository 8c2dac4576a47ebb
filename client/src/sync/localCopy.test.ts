import { describe, expect, it } from 'vitest';
import { isLocalDbOf, localDbName, wallStorageKeys } from './localCopy.ts';
import { linkTag } from './linkTag.ts';

/** A Map-backed Storage (the unit project runs in node, without localStorage). */
function memoryStorage(entries: Record<string, string>): Storage {
  const m = new Map(Object.entries(entries));
  return {
    get length() {
      return m.size;
    },
    key: (i: number) => [...m.keys()][i] ?? null,
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
    clear: () => m.clear(),
  };
}

describe('a wall\'s local copy (client/src/sync/localCopy)', () => {
  it('R92 names the wall\'s entries only: drafts, last sessions per link, erased flag — not the device profile, secret or other walls', () => {
    const s = memoryStorage({
      'maillage.drafts.W1': '[]',
      'maillage.session.W1.-': '{}',
      'maillage.session.W1.abc': '{}',
      'maillage.erased.W1': '1',
      'maillage.drafts.W12': '[]',
      'maillage.session.W2.-': '{}',
      'maillage.profile': '{"author":"W1"}',
      'maillage.ownerSecret': 'x',
      'other.W1': 'y',
    });
    expect(wallStorageKeys('W1', s).sort()).toEqual(['maillage.drafts.W1', 'maillage.erased.W1', 'maillage.session.W1.-', 'maillage.session.W1.abc']);
    expect(localDbName('W1')).toBe('maillage:W1');
  });

  it('R207 keeps one copy per link: a keyed link (host, review) never shares the participant link\'s copy, and erasing finds them all', () => {
    expect(localDbName('W1', null)).toBe('maillage:W1');
    const review = localDbName('W1', 'review-key-123');
    const host = localDbName('W1', 'host-key-456');
    expect(new Set([localDbName('W1'), review, host]).size).toBe(3);
    expect(review).not.toContain('review-key-123'); // the key is a secret: only its tag is kept
    expect(localDbName('W1', 'review-key-123')).toBe(review); // same link, same copy
    for (const name of [localDbName('W1'), review, host]) expect(isLocalDbOf('W1', name)).toBe(true);
    for (const name of [localDbName('W12'), localDbName('W12', 'review-key-123'), 'maillage:W', 'other:W1']) expect(isLocalDbOf('W1', name)).toBe(false);
    expect(linkTag(null)).toBe('-');
    expect(linkTag('a')).not.toBe(linkTag('b'));
  });
});
