import { describe, expect, it } from 'vitest';
import { CONTACT_SHARES, DEFAULT_CONTACT_SHARE } from '@maillage/shared';
import { DEFAULT_SHARE, SHARE_CHOICES } from './choices.ts';

describe('the join dialog’s own copy of the email-sharing choices', () => {
  it('R185 offers exactly the shared choices, in their order, with the same default', () => {
    expect([...SHARE_CHOICES]).toEqual([...CONTACT_SHARES]);
    expect(DEFAULT_SHARE).toBe(DEFAULT_CONTACT_SHARE);
  });
});
