/**
 * Character-level clean-up shared by the tokenizer and the glossary compiler. Both sides must go
 * through exactly the same steps, otherwise a glossary term would never meet the text it describes.
 */

const ASCII = /^[ -~\t\n\r]*$/;

/** Letters that NFD does not decompose but that people routinely type either way. */
const LIGATURES: Record<string, string> = { œ: 'oe', Œ: 'OE', æ: 'ae', Æ: 'AE', ß: 'ss' };

/**
 * Removes diacritics ("élèves" → "eleves", "cœur" → "coeur"). Case is preserved so the tokenizer can
 * still tell the acronym "DES" from the article "des".
 */
export function foldAccents(s: string): string {
  // Most words are plain ASCII; skipping NFD for them halves tokenizing time.
  if (ASCII.test(s)) return s;
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[œŒæÆß]/g, (c) => LIGATURES[c] ?? c);
}

/**
 * Canonical punctuation: typographic apostrophes and dashes become ASCII so that "l’école" and
 * "l'école" tokenize alike; URLs and e-mail addresses are dropped because they are shared by notes
 * from the same organization whatever the activity, and would pull unrelated notes together.
 */
export function cleanText(s: string): string {
  return s
    .normalize('NFC')
    .replace(/https?:\/\/\S+|www\.\S+/gi, ' ')
    .replace(/[^\s@]+@[^\s@]+\.[^\s@]+/g, ' ')
    .replace(/[\u2018\u2019\u02BC\u00B4\u0060\u2032]/g, "'")
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\u00A0|\u202F/g, ' ');
}
