/**
 * CSV export: one row per note, for spreadsheets. Written by the shared CSV writer
 * (`writeCsv`, shared/src/csv: UTF-8 BOM, CRLF, formula injection neutralised including the
 * full-width forms, docs/spec.md R28, R72), the same one the client's contacts sheet uses.
 * The wall given here has already been through the privacy module: its emails are those the
 * reader may see, so this file never decides about emails.
 */
import { writeCsv, type CsvDelimiter, type WallExport } from '@maillage/shared';
import { WORDS, domainTitle, formatDateTime, type ExportLang } from './format.ts';

export interface CsvOptions {
  /** Language of domain titles, and of the header row when `localizedHeaders`. */
  lang: ExportLang;
  /** Header row in `lang` (for people) rather than stable English keys (for scripts). */
  localizedHeaders: boolean;
  /** Cell separator (`;` is what French spreadsheets expect: `csvDelimiterFor`). */
  delimiter: CsvDelimiter;
  /** IANA zone for the created-at column. */
  timeZone: string;
}

/** Stable header keys, in column order (the default header row). */
export const CSV_COLUMNS = ['domain', 'text', 'author', 'organization', 'email', 'cluster', 'votes', 'created_at'] as const;

export function wallCsv(wall: WallExport, opts: CsvOptions): string {
  const words = WORDS[opts.lang].csv;
  const header = opts.localizedHeaders
    ? [words.domain, words.text, words.author, words.organization, words.email, words.cluster, words.votes, words.created]
    : [...CSV_COLUMNS];
  const domains = new Map(wall.domains.map((d) => [d.id, d]));
  const order = new Map(wall.domains.map((d, i) => [d.id, i]));
  const clustersOf = new Map<string, string[]>();
  for (const c of wall.clusters) {
    for (const id of c.noteIds) clustersOf.set(id, [...(clustersOf.get(id) ?? []), c.label]);
  }
  // Domain by domain (in wall order), oldest note first within a domain.
  const notes = wall.notes
    .slice()
    .sort((a, b) => (order.get(a.domainId) ?? 1e9) - (order.get(b.domainId) ?? 1e9) || a.createdAt - b.createdAt);
  const rows = notes.map((n) => [
    // A note whose domain is gone is still a note of the wall: filed under "no domain" (R59).
    domains.has(n.domainId) ? domainTitle(domains.get(n.domainId), opts.lang) : WORDS[opts.lang].noDomain,
    n.text,
    n.author,
    n.org,
    n.email ?? '',
    (clustersOf.get(n.id) ?? []).join(' | '),
    wall.votes?.[n.id] ?? 0,
    formatDateTime(n.createdAt, opts.timeZone, true),
  ]);
  return writeCsv(header, rows, { delimiter: opts.delimiter });
}
