/**
 * CSV export: one row per note, for spreadsheets. UTF-8 with a byte-order mark (Excel reads the
 * file as UTF-8 only with it) and CRLF line ends. Every cell that a spreadsheet would read as a
 * formula (starting with = + - @, a tab or a carriage return, or their full-width forms) is
 * prefixed with a single quote, so a note like `=HYPERLINK(…)` stays text (OWASP "CSV injection").
 * csv-stringify's `escape_formulas` does the neutralising; numbers are left as numbers.
 */
import { stringify } from 'csv-stringify/sync';
import type { WallExport } from '@maillage/shared';
import { WORDS, domainTitle, formatDateTime, type ExportLang } from './format.ts';

export interface CsvOptions {
  /** Language of domain titles, and of the header row when `localizedHeaders`. */
  lang: ExportLang;
  /** Header row in `lang` (for people) rather than stable English keys (for scripts). */
  localizedHeaders: boolean;
  delimiter: ',' | ';' | '\t';
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
    n.email,
    (clustersOf.get(n.id) ?? []).join(' | '),
    wall.votes?.[n.id] ?? 0,
    formatDateTime(n.createdAt, opts.timeZone, true),
  ]);
  return stringify([header, ...rows], {
    bom: true,
    delimiter: opts.delimiter,
    record_delimiter: 'windows',
    escape_formulas: true,
    cast: { number: (v) => String(v) },
  });
}
