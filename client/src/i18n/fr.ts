/**
 * French strings, one module per area of the app (fr/*.ts). Every key must exist in English:
 * each en/*.ts module is typed by its French one, and i18n.test.ts checks keys and placeholders.
 */
import { partnersFr } from './fr/partners.ts';
import { projectionFr } from './fr/projection.ts';
import { entryFr } from './fr/entry.ts';
import { wallFr } from './fr/wall.ts';
import { hostFr } from './fr/host.ts';
import { statusFr } from './fr/status.ts';
import { phoneFr } from './fr/phone.ts';

export const fr = {
  ...partnersFr,
  ...projectionFr,
  ...entryFr,
  ...wallFr,
  ...hostFr,
  ...statusFr,
  ...phoneFr,
};
export type Resources = typeof fr;
