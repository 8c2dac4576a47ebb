/**
 * Who may read a person's email: the one rule, asked by every path that hands out wall content
 * (exports, snapshots and time travel today; live sync, socket.io events and the contact store
 * as issue 13 moves emails out of the shared document). Before this module the rule was written
 * in six places that disagreed, and the disagreement leaked co-authors' emails to review links.
 *
 * Three things decide, and all three must agree:
 * - who is looking (`Viewer`: the audience of the screen or file, and on whose device);
 * - what the wall's hosts allowed (`WallPolicy`: emails on the review link or not);
 * - what the person chose (`ContactShare`: hosts < review < participants).
 */
import { CONTACT_SHARES, readSettings, shareAllows, type ContactListAccess, type ContactShare, type Role } from '@maillage/shared';

/**
 * Who a piece of content is for.
 * - `host`: a host's page or download; sees every email.
 * - `review`: the review link (after the session); sees an email when the hosts allow emails on
 *   review and the person agreed to reviewers.
 * - `participant`: anyone with the participant link (the projected QR code hands it to a whole
 *   webinar); sees an email only when the person chose to share it with participants, and always
 *   their own.
 * - `projection`: the big screen, a participant's or host's view shown to a room; like a
 *   participant but never "their own", since the room is not the person.
 * - `log`: server logs; never any email (docs/spec.md R47).
 */
export type Audience = 'host' | 'review' | 'participant' | 'projection' | 'log';

export interface Viewer {
  audience: Audience;
  /**
   * The viewer's own author id (derived from their device secret), so that a person always sees
   * the email they typed. Null or absent for hosts, review links, projection and logs.
   */
  ownerId?: string | null;
}

/** What the wall's hosts decided about personal fields (from the session settings). */
export interface WallPolicy {
  /** The review link may see emails (of people who agreed to reviewers). Off by default. */
  reviewShowsEmails: boolean;
}

/** The viewer of a server log line. */
export const LOG_VIEWER: Viewer = Object.freeze({ audience: 'log' });

/** The viewer behind a key's role; `ownerId` only for a participant with a device secret. */
export function viewerFor(role: Role, ownerId: string | null = null): Viewer {
  return role === 'participant' ? { audience: 'participant', ownerId } : { audience: role };
}

/** The wall's policy from its stored session settings (read leniently: unknown means "not allowed"). */
export function policyOf(settings: unknown): WallPolicy {
  return { reviewShowsEmails: readSettings(settings).reviewShowsEmails };
}

/**
 * How far `viewer` may read emails on this wall, whatever each person chose (R253): what a screen
 * tells a viewer whose list has no email. Follows {@link mayReadEmail}: `all` when it allows every
 * choice, `none` when it allows none, `if-shared` otherwise.
 */
export function emailAccess(viewer: Viewer, policy: WallPolicy): ContactListAccess['emails'] {
  const allowed = CONTACT_SHARES.filter((share) => mayReadEmail(viewer, policy, share));
  return allowed.length === CONTACT_SHARES.length ? 'all' : allowed.length === 0 ? 'none' : 'if-shared';
}

/**
 * Whether `viewer` may read the email of a person whose choice is `share`. `self` says the email
 * is the viewer's own (the caller compares author ids: see `emailFor`).
 */
export function mayReadEmail(viewer: Viewer, policy: WallPolicy, share: ContactShare, self = false): boolean {
  const audience = viewer.audience;
  switch (audience) {
    case 'host':
      return true;
    case 'review':
      return policy.reviewShowsEmails && shareAllows(share, 'review');
    case 'participant':
      return self || shareAllows(share, 'participants');
    case 'projection':
      return shareAllows(share, 'participants');
    case 'log':
      return false;
    default: {
      // A new audience must be decided here before anything shows it an email.
      const never: never = audience;
      void never;
      return false;
    }
  }
}
