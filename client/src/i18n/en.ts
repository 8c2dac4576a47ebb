import type { Resources } from './fr.ts';
import { partnersEn } from './en/partners.ts';
import { projectionEn } from './en/projection.ts';
import { entryEn } from './en/entry.ts';
import { wallEn } from './en/wall.ts';
import { hostEn } from './en/host.ts';
import { statusEn } from './en/status.ts';
import { phoneEn } from './en/phone.ts';

/** English strings, one module per area (en/*.ts); the type forces the same keys as French. */
export const en: Resources = {
  ...partnersEn,
  ...projectionEn,
  ...entryEn,
  ...wallEn,
  ...hostEn,
  ...statusEn,
  ...phoneEn,
};
