import { describe, expect, it } from 'vitest';
import { pdfText } from './pdfReport.ts';

describe('pdfText', () => {
  it('keeps what Windows-1252 can draw (all of French) and maps or replaces the rest', () => {
    expect(pdfText('Élèves « cœur » l’école — 5 €…')).toBe('Élèves « cœur » l’école — 5 €…');
    expect(pdfText('a\u202fb\u2010c\u2192d')).toBe('a\u00a0b-c->d');
    expect(pdfText('Łódź ő 漢字 🙂')).toBe('Lódz o ?? ?');
    expect(pdfText('x\u0007y\tz')).toBe('xy z');
  });
});
