/**
 * A person's contact details and their choice of who may see them (issue 13). Contact details
 * are personal data: the server decides per viewer what reaches whom (server/src/privacy), and
 * this file only names the choice so that client, server and store agree on its values.
 */
import { z } from 'zod';
import { EmailSchema } from './records.ts';

/**
 * Who may see a person's email, most restrictive first; each level includes the ones before it.
 * - `hosts`: the wall's hosts only.
 * - `review`: hosts, and review links when the hosts allowed emails on review
 *   (`reviewShowsEmails`). What the join dialog has always promised, so the default.
 * - `participants`: also everyone on the wall (participants and the projection screen).
 */
export const CONTACT_SHARES = ['hosts', 'review', 'participants'] as const;
export type ContactShare = (typeof CONTACT_SHARES)[number];

/**
 * The choice assumed when a person never made one: every email written before the choice existed
 * was given under the join dialog's promise "hosts, and reviewers if the host allows".
 */
export const DEFAULT_CONTACT_SHARE: ContactShare = 'review';

export const ContactShareSchema = z.enum(CONTACT_SHARES);

/** One person's contact details as the server keeps them. Empty email means "not given". */
export const ContactSchema = z.object({
  email: EmailSchema,
  share: ContactShareSchema.default(DEFAULT_CONTACT_SHARE),
});
export type Contact = z.infer<typeof ContactSchema>;

/** Whether `share` lets at least the audience of `level` see the email (levels are nested). */
export function shareAllows(share: ContactShare, level: ContactShare): boolean {
  return CONTACT_SHARES.indexOf(share) >= CONTACT_SHARES.indexOf(level);
}

/**
 * Reads a stored choice leniently: a missing one is the default; an unreadable one is `hosts`,
 * since a value nobody can interpret must not widen who sees the email.
 */
export function readContactShare(raw: unknown): ContactShare {
  if (raw === undefined || raw === null) return DEFAULT_CONTACT_SHARE;
  const parsed = ContactShareSchema.safeParse(raw);
  return parsed.success ? parsed.data : 'hosts';
}
