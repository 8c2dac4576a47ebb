import { describe, expect, it } from 'vitest';
import type { Refusal } from '../auth/judge.ts';
import { noteFromRefusal, patchFromRefusal } from './HeldWrites.ts';

const refusal = (over: Partial<Refusal>): Refusal => ({
  reason: 'locked',
  detail: 'the wall is locked',
  root: 'notes',
  key: 'note-1',
  kind: 'create',
  ownerId: 'owner-a',
  ...over,
});

describe('held writes (R57)', () => {
  it('R57 a refused creation becomes a note of the sender: same id, owner forced to the sender, defaults filled', () => {
    const note = noteFromRefusal(refusal({ value: { text: 'pendant le verrou', domainId: 'other', ownerId: 'someone-else', x: 3, y: 4 } }), 'owner-a', 1000);
    expect(note).toMatchObject({ id: 'note-1', text: 'pendant le verrou', domainId: 'other', ownerId: 'owner-a', org: '', createdAt: 1000, x: 3, y: 4 });
  });

  it('R57 a stock client\'s note (no ownerId, no org, an unknown field) is kept with its documented fields only', () => {
    const note = noteFromRefusal(refusal({ value: { text: 't', domainId: 'd', author: 'A', createdAt: 7, extra: 'dropped' } }), 'owner-a');
    expect(note).toMatchObject({ text: 't', domainId: 'd', author: 'A', createdAt: 7, ownerId: 'owner-a' });
    expect(note).not.toHaveProperty('extra');
  });

  it('R57 an invalid refused record is not held', () => {
    expect(noteFromRefusal(refusal({ value: { text: 'x'.repeat(10_000), domainId: 'd' } }), 'owner-a')).toBeNull();
    expect(noteFromRefusal(refusal({ value: { domainId: 'd' } }), 'owner-a')).toBeNull();
  });

  it('R57 a refused edit keeps only the fields it changed, never id, owner or creation time', () => {
    const current = { id: 'note-1', text: 'avant', x: 1, y: 2, ownerId: 'owner-a', createdAt: 5, domainId: 'd' };
    const patch = patchFromRefusal(refusal({ kind: 'update', value: { ...current, text: 'après', x: 9, ownerId: 'thief', createdAt: 0 } }), current);
    expect(patch).toEqual({ text: 'après', x: 9 });
    expect(patchFromRefusal(refusal({ kind: 'update', value: current }), current)).toBeNull();
    expect(patchFromRefusal(refusal({ kind: 'update', value: { ...current, text: 7 } }), current)).toBeNull();
  });
});
