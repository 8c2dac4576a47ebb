/**
 * The "who should talk to whom" sheet as CSV: one row per person per accepted cluster or
 * connector. Written by the shared CSV writer (`writeCsv`, the server's exports use it too): BOM,
 * CRLF, formula triggers neutralised including full-width `＝ ＋ － ＠` (R72), and `;` between
 * cells in French, `,` in English — the main CSV's conventions. The type column is in the sheet's
 * language, and a connector's name quotes both activities cut at a word, never mid-word (R151).
 */
import { csvDelimiterFor, writeCsv, type Cluster, type Note, type Relation } from '@maillage/shared';
import { emailOf } from '../sync/emails.ts';

/** The page's language (`<html lang>` follows the i18n language); French unless English. */
const pageLanguage = (): 'fr' | 'en' => (typeof document !== 'undefined' && document.documentElement.lang === 'en' ? 'en' : 'fr');

export interface ContactRow {
  group: string;
  kind: 'cluster' | 'connector';
  organization: string;
  name: string;
  email: string;
  activity: string;
}

/**
 * One row per author and co-author of each note in an accepted cluster or connector. Emails come
 * only from `emails` — the server's `contacts:list` for this viewer, by author id (R85) — never
 * from the note: what the server did not send is not shown.
 */
export function contactRows(clusters: Cluster[], relations: Relation[], notes: Map<string, Note>, emails: Readonly<Record<string, string>>): ContactRow[] {
  const rows: ContactRow[] = [];
  const push = (group: string, kind: ContactRow['kind'], n: Note | undefined) => {
    if (!n) return;
    for (const who of [n, ...(n.coauthors ?? [])]) {
      rows.push({ group, kind, organization: who.org, name: who.author, email: emailOf(emails, who.ownerId), activity: n.text });
    }
  };
  for (const c of clusters) for (const id of c.noteIds) push(c.label, 'cluster', notes.get(id));
  for (const r of relations) {
    const a = notes.get(r.from);
    const b = notes.get(r.to);
    const group = `${shorten(a?.text ?? '?')} → ${shorten(b?.text ?? '?')}${r.label ? ` (${r.label})` : ''}`;
    push(group, 'connector', a);
    push(group, 'connector', b);
  }
  return rows;
}

/** What the type column says, in the sheet's language (the same words as the server's CSV). */
export const KIND_WORDS = {
  fr: { cluster: 'Regroupement', connector: 'Lien' },
  en: { cluster: 'Group', connector: 'Connector' },
} as const;

/** Longest activity quoted in a connector's name. */
const QUOTE_MAX = 60;

/** `text` on one line, cut at the last word boundary before `max` characters, with an ellipsis. */
export function shorten(text: string, max = QUOTE_MAX): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/, '')}…`;
}

export function contactsCsv(rows: ContactRow[], header: string[], lang: 'fr' | 'en' = pageLanguage()): string {
  const cells = rows.map((r) => [r.group, KIND_WORDS[lang][r.kind], r.organization, r.name, r.email, r.activity]);
  return writeCsv(header, cells, { delimiter: csvDelimiterFor(lang) });
}

export function download(filename: string, content: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
