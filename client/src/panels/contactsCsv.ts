/**
 * The "who should talk to whom" sheet as CSV: one row per person per accepted cluster or
 * connector. UTF-8 with a BOM so Excel reads accents; cells that a spreadsheet would run as a
 * formula (= + - @, tab, CR) are prefixed with a quote.
 */
import { stringify } from 'csv-stringify/browser/esm/sync';
import type { Cluster, Note, Relation } from '@maillage/shared';

export function neutralise(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

export interface ContactRow {
  group: string;
  kind: 'cluster' | 'connector';
  organization: string;
  name: string;
  email: string;
  activity: string;
}

export function contactRows(clusters: Cluster[], relations: Relation[], notes: Map<string, Note>, showEmails: boolean): ContactRow[] {
  const rows: ContactRow[] = [];
  const push = (group: string, kind: ContactRow['kind'], n: Note | undefined) => {
    if (!n) return;
    for (const who of [n, ...(n.coauthors ?? [])]) {
      rows.push({ group, kind, organization: who.org, name: who.author, email: showEmails ? who.email : '', activity: n.text });
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

export function contactsCsv(rows: ContactRow[], header: string[]): string {
  const body = stringify(
    rows.map((r) => [r.group, r.kind, r.organization, r.name, r.email, r.activity].map(neutralise)),
    { header: true, columns: header },
  );
  return `\uFEFF${body}`;
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
