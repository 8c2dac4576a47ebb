import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { csvDelimiterFor, neutraliseCell, writeCsv, type CsvDelimiter } from './index.ts';

/** Printed so that a failing run can be replayed: FC_SEED=<seed> npx vitest run … */
const seed = Number(process.env.FC_SEED ?? Math.floor(Math.random() * 2 ** 31));
console.info(`csv.test.ts fast-check seed ${seed}`);

/**
 * An RFC 4180 reader written apart from the writer (quotes, doubled quotes, CRLF records, bare
 * CR/LF inside quotes), so the round trip checks the file, not the library against itself.
 */
function parseCsv(text: string, sep: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

const stripBom = (s: string) => (s.startsWith('\uFEFF') ? s.slice(1) : s);
/** Written out here, not imported, so that a trigger dropped from the module fails the test. */
const TRIGGERS = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];
const isFormulaLike = (c: string) => TRIGGERS.includes(c.slice(0, 1));
const trigger = fc.constantFrom(...TRIGGERS);
const delimiter = fc.constantFrom<CsvDelimiter>(',', ';', '\t');
/** Text with the characters that make CSV hard: separators, quotes, line breaks, accents, emoji. */
const nastyText = fc.string({
  unit: fc.oneof(
    fc.constantFrom(',', ';', '\t', '"', "'", '\r', '\n', '\r\n', ' ', 'é', '«', '’', '🙂', '=', '＝', '＋', '－', '＠', '@', '+', '-'),
    fc.string({ minLength: 1, maxLength: 1 }),
  ),
  maxLength: 40,
});

describe('the CSV writer (shared/src/csv)', () => {
  it('R72 neutralises ASCII and full-width formula triggers, tab and CR, and nothing else', () => {
    for (const cell of ['=1+1', '+33', '-2+3', '@SUM(A1)', '\tx', '\rx', '＝HYPERLINK("http://x","y")', '＋1', '－1', '＠x']) {
      expect(neutraliseCell(cell)).toBe(`'${cell}`);
    }
    for (const cell of ['', 'Léa', ' =1', "'=1", 'a=b', '1-2', '\nx']) expect(neutraliseCell(cell)).toBe(cell);
  });

  it('R72 property: a string cell starting with a trigger comes out with a leading quote; every cell reads back as written otherwise', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.oneof(nastyText, fc.tuple(trigger, nastyText).map(([t, s]) => t + s)), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
        delimiter,
        (rows, sep) => {
          const width = rows[0]?.length ?? 1;
          const table = rows.map((r) => Array.from({ length: width }, (_, i) => r[i] ?? ''));
          const header = table[0]!.map((_, i) => `h${i}`);
          const out = writeCsv(header, table, { delimiter: sep });
          expect(out.startsWith('\uFEFF')).toBe(true);
          const back = parseCsv(stripBom(out), sep);
          expect(back[0]).toEqual(header);
          expect(back.slice(1)).toEqual(table.map((r) => r.map((c) => (isFormulaLike(c) ? `'${c}` : c))));
          // No cell of the file starts with a trigger once read back.
          for (const r of back) for (const c of r) expect(isFormulaLike(c)).toBe(false);
        },
      ),
      { seed, numRuns: 400 },
    );
  });

  it('R72 numbers stay numbers (a negative count is not a formula)', () => {
    const out = stripBom(writeCsv(['n', 'm'], [[-3, 4.5]], { delimiter: ',' }));
    expect(parseCsv(out, ',')).toEqual([['n', 'm'], ['-3', '4.5']]);
  });

  it('R72 BOM and CRLF by default; French files use semicolons', () => {
    const out = writeCsv(['a', 'b'], [['x', 'y']], { delimiter: csvDelimiterFor('fr') });
    expect(out).toBe('\uFEFFa;b\r\nx;y\r\n');
    expect(csvDelimiterFor('en')).toBe(',');
    expect(writeCsv(['a'], [], { delimiter: ',', bom: false })).toBe('a\r\n');
  });
});
