/**
 * What the join dialog offers, without the validators that sit next to these lists in
 * `@maillage/shared` (zod, ~25 KB compressed): the dialog is the first screen of a participant
 * link and is drawn before the wall's code arrives (R185). The types tie each list to the shared
 * one, and choices.test.ts checks that they are equal, value for value and in order.
 */
import type { ContactShare } from '@maillage/shared';

/** Who may see the email (R91), most restrictive first: `CONTACT_SHARES`. */
export const SHARE_CHOICES = ['hosts', 'review', 'participants'] as const satisfies readonly ContactShare[];
/** The choice made for someone who never chose: `DEFAULT_CONTACT_SHARE`. */
export const DEFAULT_SHARE: ContactShare = 'review';

// Every value of the shared type is offered (the compiler says which one is missing).
type Missing = Exclude<ContactShare, (typeof SHARE_CHOICES)[number]>;
export const allSharesOffered: [Missing] extends [never] ? true : Missing = true;
