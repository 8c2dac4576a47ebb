import { describe, expect, it } from 'vitest';
import { contactsCsv, type ContactRow } from './contactsCsv.ts';

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
    expect(contactsCsv([row({})], header, 'fr')).toBe('\uFEFFGroupe;Type;Organisation;Nom;Courriel;Activité\r\nG;cluster;Org;Léa;;Tutorat\r\n');
    expect(contactsCsv([row({})], header, 'en')).toBe('\uFEFFGroupe,Type,Organisation,Nom,Courriel,Activité\r\nG,cluster,Org,Léa,,Tutorat\r\n');
    // Outside a browser (no <html lang>) the default is French.
    expect(contactsCsv([], header)).toBe('\uFEFFGroupe;Type;Organisation;Nom;Courriel;Activité\r\n');
  });
});
