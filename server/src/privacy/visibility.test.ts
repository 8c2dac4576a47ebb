import { describe, expect, it } from 'vitest';
import { CONTACT_SHARES, readContactShare, type ContactShare } from '@maillage/shared';
import { emailAccess, LOG_VIEWER, mayReadEmail, policyOf, viewerFor, type Audience } from './visibility.ts';

const AUDIENCES: Audience[] = ['host', 'review', 'participant', 'projection', 'log'];

/**
 * The rule as docs/security.md states it, written out case by case (not computed) so that a change
 * to the module that widens any cell fails here.
 */
const EXPECTED: Record<Audience, Record<'allowed' | 'notAllowed', Record<ContactShare, boolean>>> = {
  host: { allowed: { hosts: true, review: true, participants: true }, notAllowed: { hosts: true, review: true, participants: true } },
  review: { allowed: { hosts: false, review: true, participants: true }, notAllowed: { hosts: false, review: false, participants: false } },
  participant: { allowed: { hosts: false, review: false, participants: true }, notAllowed: { hosts: false, review: false, participants: true } },
  projection: { allowed: { hosts: false, review: false, participants: true }, notAllowed: { hosts: false, review: false, participants: true } },
  log: { allowed: { hosts: false, review: false, participants: false }, notAllowed: { hosts: false, review: false, participants: false } },
};

describe('mayReadEmail (server/src/privacy)', () => {
  it('R71 every audience × host permission × person’s choice, as docs/security.md states it', () => {
    for (const audience of AUDIENCES) {
      for (const reviewShowsEmails of [true, false]) {
        for (const share of CONTACT_SHARES) {
          const want = EXPECTED[audience][reviewShowsEmails ? 'allowed' : 'notAllowed'][share];
          expect(mayReadEmail({ audience }, { reviewShowsEmails }, share), `${audience} ${reviewShowsEmails} ${share}`).toBe(want);
        }
      }
    }
  });

  it('R71 one’s own email: a participant always sees it; projection, review and logs never through it', () => {
    for (const share of CONTACT_SHARES) {
      expect(mayReadEmail({ audience: 'participant', ownerId: 'me' }, { reviewShowsEmails: false }, share, true)).toBe(true);
      expect(mayReadEmail({ audience: 'projection' }, { reviewShowsEmails: true }, share, true)).toBe(share === 'participants');
      expect(mayReadEmail({ audience: 'review' }, { reviewShowsEmails: false }, share, true)).toBe(false);
      expect(mayReadEmail(LOG_VIEWER, { reviewShowsEmails: true }, share, true)).toBe(false);
    }
  });

  it('R71 roles map to audiences; the policy reads the session settings leniently', () => {
    expect(viewerFor('host')).toEqual({ audience: 'host' });
    expect(viewerFor('review', 'x')).toEqual({ audience: 'review' });
    expect(viewerFor('participant', 'p1')).toEqual({ audience: 'participant', ownerId: 'p1' });
    expect(policyOf({ reviewShowsEmails: true })).toEqual({ reviewShowsEmails: true });
    expect(policyOf(null)).toEqual({ reviewShowsEmails: false });
    expect(policyOf({ reviewShowsEmails: 'yes' })).toEqual({ reviewShowsEmails: false });
  });

  it('R253 how far each audience sees emails, written out: hosts all, a review link none until the hosts allow it, participants those shared with them', () => {
    const want: Record<Audience, [allowed: string, notAllowed: string]> = {
      host: ['all', 'all'],
      review: ['if-shared', 'none'],
      participant: ['if-shared', 'if-shared'],
      projection: ['if-shared', 'if-shared'],
      log: ['none', 'none'],
    };
    for (const audience of AUDIENCES) {
      expect(emailAccess({ audience }, { reviewShowsEmails: true }), `${audience} allowed`).toBe(want[audience][0]);
      expect(emailAccess({ audience }, { reviewShowsEmails: false }), `${audience} not allowed`).toBe(want[audience][1]);
    }
  });

  it('R74 a missing choice is the default (review); an unreadable one is the narrowest (hosts)', () => {
    expect(readContactShare(undefined)).toBe('review');
    expect(readContactShare('participants')).toBe('participants');
    expect(readContactShare('everyone')).toBe('hosts');
  });
});
