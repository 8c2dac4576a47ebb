/**
 * A short, readable name for a suggested group, in the host's language (docs/spec.md R130).
 *
 * The clustering names its suggestions with keyword strings ("mentorat, pairs, tutorat") that may
 * be in the other language. What reads best in a live session is the words of the participants:
 * the opening words of the group's most representative note — the one holding most of the
 * group's key terms — preferring notes written in the host's language. Client-side and pure: the
 * server's suggestions are unchanged (server/src/cluster belongs to the clustering work).
 */
import { foldText, type Note } from '@maillage/shared';
import type { Language } from '../i18n/index.ts';

const FR = new Set(['le', 'la', 'les', 'des', 'du', 'de', 'et', 'pour', 'avec', 'au', 'aux', 'une', 'un', 'dans', 'sur', 'par', 'en', 'l', 'd', 'à', 'a']);
const EN = new Set(['the', 'and', 'for', 'with', 'of', 'to', 'in', 'on', 'by', 'an', 'a', 'at', 'from']);
/** Words a label should not end on. */
const DANGLING = new Set([...FR, ...EN, 'et/ou', 'or', 'ou']);

const words = (s: string) => s.split(/\s+/).filter(Boolean);

/** 'fr', 'en' or null (cannot tell) for a short text: stopwords and accents. */
export function guessLanguage(text: string): Language | null {
  let fr = /[àâçéèêëîïôûùüÿœ]/i.test(text) ? 1.5 : 0;
  let en = 0;
  for (const w of words(foldText(text).replace(/[’']/g, ' '))) {
    const x = w.replace(/[^a-z/]/g, '');
    if (FR.has(x) && !EN.has(x)) fr++;
    if (EN.has(x) && !FR.has(x)) en++;
  }
  if (fr === en) return null;
  return fr > en ? 'fr' : 'en';
}

/** At most `maxWords` opening words of a note's first clause, without a dangling article. */
export function shortPhrase(text: string, maxWords = 6, maxChars = 48): string {
  const clause = (text.split(/[.;:!?()[\]\n—–]|,\s| - /)[0] ?? text).trim() || text.trim();
  let ws = words(clause).slice(0, maxWords);
  while (ws.join(' ').length > maxChars && ws.length > 2) ws = ws.slice(0, -1);
  while (ws.length > 1 && DANGLING.has(foldText(ws[ws.length - 1] as string).replace(/[^a-z/]/g, ''))) ws = ws.slice(0, -1);
  let out = ws.join(' ');
  if (out.length > maxChars) out = `${out.slice(0, maxChars - 1)}…`;
  return out ? out[0]?.toLocaleUpperCase() + out.slice(1) : '';
}

/**
 * The label: the opening words of the note that best represents the group. Falls back to the
 * server's label when no note is available.
 */
export function groupLabel(notes: readonly Note[], terms: readonly string[], lang: Language, fallback: string): string {
  if (!notes.length) return fallback;
  const folded = terms.map((t) => foldText(t));
  const score = (n: Note) => {
    const text = foldText(n.text);
    return folded.reduce((a, t) => a + (t && text.includes(t) ? 1 : 0), 0);
  };
  const inLang = notes.filter((n) => guessLanguage(n.text) === lang);
  const pool = inLang.length ? inLang : notes;
  const best = [...pool].sort((a, b) => score(b) - score(a) || a.text.length - b.text.length || (a.id < b.id ? -1 : 1))[0] as Note;
  return shortPhrase(best.text) || fallback;
}
