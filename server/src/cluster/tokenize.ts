/**
 * Splits a note into word tokens. French and English text, often mixed in one note, goes through
 * the same rules: elisions are removed ("l'école" → "école"), English clitics too ("youth's" →
 * "youth"), hyphenated compounds are split ("jeunesse-emploi") except after prefixes that normally
 * fuse ("post-secondaire" → "postsecondaire"), dotted acronyms are closed up ("D.E.S." → "DES").
 */
import { cleanText, foldAccents } from './normalize.ts';

/** One word of a note. */
export interface Token {
  /** Lower case, accents kept (the French stemmer needs them). */
  lower: string;
  /** Lower case, accents removed: the form used for matching. */
  folded: string;
  /**
   * Written in capitals, like "DES" or "CJE". Acronyms are matched case-sensitively against the
   * glossary so that the diploma "DES" is not confused with the article "des".
   */
  acronym: boolean;
}

/** French elided words: "l'", "d'", "qu'", "jusqu'"… */
const ELIDED = new Set(['l', 'd', 'j', 'm', 'n', 's', 't', 'c', 'qu', 'jusqu', 'lorsqu', 'puisqu', 'quoiqu', 'presqu']);
/** English contractions and possessive: "'s", "n't" (as "t"), "'re", "'ve", "'ll", "'d", "'m". */
const ENGLISH_CLITICS = new Set(['s', 't', 're', 've', 'll', 'd', 'm']);
/**
 * Prefixes written either fused or hyphenated ("postsecondary" / "post-secondary", "coop" /
 * "co-op"); fusing them makes both spellings one token.
 */
const FUSING_PREFIXES = new Set(['post', 'pre', 're', 'co', 'non', 'socio', 'psycho', 'semi', 'multi', 'inter', 'extra', 'para', 'bi']);

const DOTTED_ACRONYM = /(?<![\p{L}\p{N}.])((?:\p{L}\.){2,})(?![\p{L}\p{N}])/gu;
const WORD = /[\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)*/gu;
/** Numbers, ordinals and durations ("5e", "1er", "48h", "12th"): noise for similarity. */
const NUMERIC = /^\d+[a-z]{0,3}$/;
const ACRONYM = /^(?=(?:[^A-Z]*[A-Z]){2})[A-Z0-9]{2,10}$/;

/**
 * Tokenizes one note.
 *
 * When the whole note is written in capitals, no token is flagged as an acronym: shouting is not
 * abbreviating.
 */
export function tokenize(text: string): Token[] {
  const cleaned = cleanText(text).replace(DOTTED_ACRONYM, (m) => m.replace(/\./g, ''));
  const shouting = isShouting(cleaned);
  const tokens: Token[] = [];
  for (const match of cleaned.matchAll(WORD)) {
    for (const word of splitCompound(match[0])) {
      const unaccented = foldAccents(word);
      const folded = unaccented.toLowerCase();
      if (folded.length < 2 || NUMERIC.test(folded)) continue;
      tokens.push({ lower: word.toLowerCase(), folded, acronym: !shouting && ACRONYM.test(unaccented) });
    }
  }
  return tokens;
}

/** Splits on hyphens (fusing known prefixes) and strips elisions/clitics from each part. */
function splitCompound(raw: string): string[] {
  if (!raw.includes('-')) {
    const word = stripApostrophes(raw);
    return word ? [word] : [];
  }
  const parts = raw.split('-').map(stripApostrophes).filter(Boolean);
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const next = parts[i + 1];
    if (next !== undefined && FUSING_PREFIXES.has(foldAccents(part).toLowerCase())) {
      parts[i + 1] = part + next;
      continue;
    }
    out.push(part);
  }
  return out;
}

function stripApostrophes(part: string): string {
  if (!part.includes("'")) return part;
  const segs = part.split("'").filter(Boolean);
  if (segs.length > 1 && ELIDED.has(foldAccents(segs[0] as string).toLowerCase())) segs.shift();
  if (segs.length > 1 && ENGLISH_CLITICS.has((segs[segs.length - 1] as string).toLowerCase())) segs.pop();
  return segs.join('');
}

function isShouting(text: string): boolean {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  const upper = text.match(/\p{Lu}/gu)?.length ?? 0;
  return letters >= 20 && upper / letters > 0.6;
}
