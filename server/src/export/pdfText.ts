/**
 * Text pdfkit's standard fonts can draw. Their built-in Helvetica encodes text as Windows-1252,
 * which covers French (é, è, ç, œ, «», ’, …); characters outside it are mapped to a close
 * equivalent or '?', so a note never prints as garbage and no font file ships with the server.
 */
/** Code points > 255 that Windows-1252 (pdfkit's standard-font encoding) has. */
const WIN_ANSI_EXTRA = new Set([
  402, 8211, 8212, 8216, 8217, 8218, 8220, 8221, 8222, 8224, 8225, 8226, 8230, 8364, 8240, 8249, 8250, 710, 8482, 338, 339, 732, 352, 353,
  376, 381, 382,
]);
const REPLACEMENTS: Record<string, string> = {
  '\u202f': '\u00a0', // narrow no-break space (French « guillemets »)
  '\u2009': ' ',
  '\u200b': '',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2015': '—',
  '\u2032': "'",
  '\u2033': '"',
  '\u02bc': '’',
  '\u2192': '->',
  '\u2190': '<-',
  '\u2264': '<=',
  '\u2265': '>=',
  Ł: 'L',
  ł: 'l',
  Đ: 'D',
  đ: 'd',
  ı: 'i',
};

/** Text drawable with the standard fonts: unsupported characters mapped or replaced by '?'. */
export function pdfText(s: string): string {
  let out = '';
  for (const ch of s.normalize('NFC')) {
    const cp = ch.codePointAt(0) ?? 63;
    if ((cp >= 32 && cp <= 126) || (cp >= 160 && cp <= 255) || WIN_ANSI_EXTRA.has(cp) || ch === '\n') {
      out += ch;
      continue;
    }
    if (cp < 32 || (cp >= 127 && cp < 160)) {
      out += ch === '\t' || ch === '\r' ? ' ' : '';
      continue;
    }
    const mapped = REPLACEMENTS[ch];
    if (mapped !== undefined) {
      out += mapped;
      continue;
    }
    // A letter with a diacritic the encoding lacks (e.g. "ő"): drop the accent.
    const base = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    out += base && [...base].every((c) => (c.codePointAt(0) ?? 0) <= 255) ? base : '?';
  }
  return out;
}

