import { describe, expect, it } from 'vitest';
import type { Note } from '@maillage/shared';
import { contactRows, contactsCsv, type ContactRow } from './contactsCsv.ts';

const row = (over: Partial<ContactRow>): ContactRow => ({ group: 'G', kind: 'cluster', organization: 'Org', name: 'Léa', email: '', activity: 'Tutorat', ...over });
const header = ['Groupe', 'Type', 'Organisation', 'Nom', 'Courriel', 'Activité'];

describe('contacts sheet CSV (client/src/panels/contactsCsv)', () => {
  it('R72 goes through the shared writer: full-width ＝HYPERLINK( and ASCII triggers are neutralised', () => {
    const out = contactsCsv([row({ activity: '＝HYPERLINK("http://evil.example","x")', name: '=1+1', organization: '＠org' })], header, 'en');
    expect(out.startsWith('\uFEFF')).toBe(true);
    expect(out).toContain(`"'＝HYPERLINK(""http://evil.example"",""x"")"`);
    expect(out).toContain(`'=1+1`);
    expect(out).toContain(`'＠org`);
  });

  it('R72 French sheets use semicolons, English ones commas; CRLF line ends', () => {
    expect(contactsCsv([row({})], header, 'fr')).toBe('\uFEFFGroupe;Type;Organisation;Nom;Courriel;Activité\r\nG;Regroupement;Org;Léa;;Tutorat\r\n');
    expect(contactsCsv([row({})], header, 'en')).toBe('\uFEFFGroupe,Type,Organisation,Nom,Courriel,Activité\r\nG,Group,Org,Léa,,Tutorat\r\n');
    // Outside a browser (no <html lang>) the default is French.
    expect(contactsCsv([], header)).toBe('\uFEFFGroupe;Type;Organisation;Nom;Courriel;Activité\r\n');
  });

  it('R91 emails come from the server\'s contacts list by author id (co-authors too), never from the note', () => {
    const note = { id: 'n1', text: 'Tutorat', author: 'Léa', org: 'CJE', email: 'stale@note.example', ownerId: 'o-lea', domainId: 'd', x: 0, y: 0, color: '#fff59d', createdAt: 1,
      coauthors: [{ author: 'Max', org: 'X', ownerId: 'o-max', email: 'stale2@note.example' }, { author: 'Zoé', org: 'Y', email: 'z@legacy.example' }] } as Note;
    const cluster = { id: 'c', label: 'G', noteIds: ['n1'], terms: [], score: 1, createdAt: 1 };
    const rows = contactRows([cluster], [], new Map([['n1', note]]), { 'o-max': 'max@allowed.example' });
    expect(rows.map((r) => [r.name, r.email])).toEqual([['Léa', ''], ['Max', 'max@allowed.example'], ['Zoé', '']]);
  });

  it('R151 the type column is translated and a connector quotes its activities cut at a word, not mid-word', () => {
    expect(contactsCsv([row({ kind: 'connector' })], header, 'fr')).toContain(';Lien;');
    expect(contactsCsv([row({ kind: 'connector' })], header, 'en')).toContain(',Connector,');
    const long = 'Accompagnement des jeunes vers un premier emploi d’été dans les entreprises de la région';
    const n = (id: string, text: string) => ({ id, text, author: 'A', org: 'O', email: '', ownerId: '', domainId: 'd', x: 0, y: 0, color: '#fff59d', createdAt: 1 }) as Note;
    const rows = contactRows([], [{ id: 'r', from: 'a', to: 'b', label: '', ownerId: '', createdAt: 1 }], new Map([['a', n('a', long)], ['b', n('b', 'Tutorat')]]), {});
    expect(rows[0]?.group).toBe('Accompagnement des jeunes vers un premier emploi d’été dans… → Tutorat');
    expect(rows[0]?.activity).toBe(long);
  });
});
