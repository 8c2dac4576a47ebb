/**
 * The French↔English glossary: the main lever for grouping a French note with an English one.
 * Built-in entries are generic vocabulary of youth, education, employment and community work in
 * Canada (three data files) and a lexicon of human-service types after the 211 / AIRS taxonomy
 * (glossary-services.ts, docs/lexicon-services.md); a host adds its own through `ClusterOptions.glossary`, validated
 * here. Format and extension rules: docs/clustering.md#glossary.
 */
import { z } from 'zod';
import { COMMUNITY_GLOSSARY } from './glossary-community.ts';
import { EDUCATION_GLOSSARY } from './glossary-education.ts';
import { EMPLOYMENT_GLOSSARY } from './glossary-employment.ts';
import { SERVICES_GLOSSARY } from './glossary-services.ts';
import { foldAccents } from './normalize.ts';
import type { GlossaryEntry, GlossaryEntryInput } from './types.ts';
import { ClusterInputError } from './validate.ts';

/** The built-in glossary (read-only; extend it through options, not by mutation). */
export const BUILTIN_GLOSSARY: readonly GlossaryEntry[] = Object.freeze([
  ...EDUCATION_GLOSSARY,
  ...EMPLOYMENT_GLOSSARY,
  ...COMMUNITY_GLOSSARY,
  ...SERVICES_GLOSSARY,
]);

const CONCEPT_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const term = z.string().trim().min(1).max(100);

/** Validator for host-supplied entries. */
export const GlossaryEntryInputSchema = z
  .object({
    id: z.string().regex(CONCEPT_ID, 'id must be kebab-case (a-z, 0-9, -), at most 64 characters').optional(),
    fr: z.array(term).max(200),
    en: z.array(term).max(200),
    broader: z.array(z.string().regex(CONCEPT_ID)).max(10).optional(),
  })
  .strict()
  .refine((e) => e.fr.length + e.en.length > 0, 'an entry needs at least one term');

/** At most this many host entries: a glossary, not a dictionary dump. */
export const MAX_HOST_ENTRIES = 5000;

/**
 * Merges host entries into the built-in glossary (or replaces it). A host entry whose id matches
 * an existing concept adds its terms to that concept, so a host can teach the engine a local
 * abbreviation for a known idea; one without id becomes a new concept named after its first term.
 *
 * @throws ClusterInputError when an entry is malformed.
 */
export function mergeGlossary(extra: readonly GlossaryEntryInput[] = [], replace = false): GlossaryEntry[] {
  const parsed = z.array(GlossaryEntryInputSchema).max(MAX_HOST_ENTRIES).safeParse(extra);
  if (!parsed.success) throw new ClusterInputError('invalid glossary', parsed.error.issues);
  const byId = new Map<string, GlossaryEntry>();
  for (const e of replace ? [] : BUILTIN_GLOSSARY) byId.set(e.id, { ...e, fr: [...e.fr], en: [...e.en] });
  for (const e of parsed.data) {
    const id = e.id ?? `host-${slug(e.en[0] ?? e.fr[0] ?? '')}`;
    const known = byId.get(id);
    if (known) {
      known.fr.push(...e.fr);
      known.en.push(...e.en);
      if (e.broader) known.broader = [...new Set([...(known.broader ?? []), ...e.broader])];
    } else {
      byId.set(id, { id, fr: [...e.fr], en: [...e.en], ...(e.broader ? { broader: [...e.broader] } : {}) });
    }
  }
  return [...byId.values()];
}

function slug(s: string): string {
  return (
    foldAccents(s)
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 58) || 'term'
  );
}
