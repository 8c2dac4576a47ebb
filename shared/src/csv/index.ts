/**
 * The one CSV writer of Maillage, for the server's exports and the client's contacts sheet alike
 * (issue 13: two writers had drifted, and the client's let `＝HYPERLINK(` through).
 *
 * Files are written for spreadsheets: UTF-8 with a byte-order mark (Excel reads UTF-8 only with
 * it), CRLF line ends, RFC 4180 quoting by csv-stringify. French files use `;` between cells,
 * because French Excel reads `,` as the decimal mark and puts a whole `,` file in one column.
 *
 * Formula injection (OWASP "CSV injection"): a cell that a spreadsheet would run as a formula is
 * prefixed with a single quote, so `=HYPERLINK(…)` typed on a note stays text in a host's Excel.
 * The triggers are `=`, `+`, `-`, `@`, a tab or a carriage return at the start, and the full-width
 * forms of the first four (`＝ ＋ － ＠`), which some spreadsheets fold to ASCII before parsing.
 * The prefix is applied here, before csv-stringify's own `escape_formulas`, so that the rule does
 * not depend on which version of the library is installed. Numbers stay numbers (`-3` is a count,
 * not a formula).
 *
 * The browser build of csv-stringify is used because it runs unchanged in Node and in the client.
 */
import { stringify } from 'csv-stringify/browser/esm/sync';

/** Characters that make a spreadsheet read a cell as a formula when they come first. */
export const FORMULA_TRIGGERS: readonly string[] = ['=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20'];

const TRIGGER = new Set(FORMULA_TRIGGERS);

/** Whether a spreadsheet would read `cell` as a formula. */
export function isFormulaLike(cell: string): boolean {
  return cell.length > 0 && TRIGGER.has(cell[0] as string);
}

/** `cell` as text a spreadsheet will not run: a leading quote when it starts like a formula. */
export function neutraliseCell(cell: string): string {
  return isFormulaLike(cell) ? `'${cell}` : cell;
}

export type CsvCell = string | number;
export type CsvDelimiter = ',' | ';' | '\t';

export interface CsvWriteOptions {
  /** Cell separator; see `csvDelimiterFor` for the one a language's spreadsheets expect. */
  delimiter: CsvDelimiter;
  /** Byte-order mark first (default true): Excel needs it to read accents. */
  bom?: boolean;
}

/** The separator spreadsheets of a language open without an import dialog. */
export function csvDelimiterFor(lang: 'fr' | 'en'): CsvDelimiter {
  return lang === 'fr' ? ';' : ',';
}

/**
 * One CSV file from a header row and data rows. Every string cell is neutralised against formula
 * injection; the text is otherwise kept as is (quotes, separators and line breaks are quoted).
 */
export function writeCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[], opts: CsvWriteOptions): string {
  const body = stringify([header, ...rows] as CsvCell[][], {
    delimiter: opts.delimiter,
    record_delimiter: 'windows',
    escape_formulas: true,
    cast: {
      string: (v) => neutraliseCell(v),
      number: (v) => String(v),
    },
  });
  return opts.bom === false ? body : `\uFEFF${body}`;
}
