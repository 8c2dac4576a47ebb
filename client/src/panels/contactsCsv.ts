/**
 * The "who should talk to whom" sheet as CSV: one row per person per accepted cluster or
 * connector. Written by the shared CSV writer (`writeCsv`, the server's exports use it too): BOM,
 * CRLF, formula triggers neutralised including full-width `＝ ＋ － ＠` (R72), and `;` between
 * cells in French, `,` in English.
 */
import { csvDelimiterFor, writeCsv, type Cluster, type Note, type Relation } from '@maillage/shared';

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
    const group = `${a?.text.slice(0, 40) ?? '?'} → ${b?.text.slice(0, 40) ?? '?'}${r.label ? ` (${r.label})` : ''}`;
    push(group, 'connector', a);
    push(group, 'connector', b);
  }
  return rows;
}

/** The email the server sent for this author id, or '' (no id, or not for this viewer). */
export function emailOf(emails: Readonly<Record<string, string>>, ownerId: string | undefined): string {
  return ownerId && Object.prototype.hasOwnProperty.call(emails, ownerId) ? (emails[ownerId] ?? '') : '';
}

export function contactsCsv(rows: ContactRow[], header: string[], lang: 'fr' | 'en' = pageLanguage()): string {
  const cells = rows.map((r) => [r.group, r.kind, r.organization, r.name, r.email, r.activity]);
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
