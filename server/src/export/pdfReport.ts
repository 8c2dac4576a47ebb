/**
 * The PDF report of a wall (pdfkit): a title block, the activities domain by domain (text, name,
 * organization, email, votes), then each accepted cluster with its activities and the contacts to
 * reach — what partners need to coordinate after the session. The wall given here has already been
 * through the privacy module (server/src/privacy): it prints the emails the reader may see, and a
 * blanked email simply leaves the field out. Every page carries the wall's title and the date at the top and its number at the bottom.
 *
 * pdfkit's built-in Helvetica encodes text as Windows-1252, which covers French (é, è, ç, œ, «»,
 * ’, …). Characters outside it are mapped to a close equivalent before drawing (`pdfText`), so a
 * note never prints as garbage; no font file needs to ship with the server.
 */
import PDFDocument from 'pdfkit';
import type { Note, WallExport } from '@maillage/shared';
import { WORDS, domainTitle, formatDateTime, templateTitle, type ExportLang } from './format.ts';

export interface PdfOptions {
  lang: ExportLang;
  timeZone: string;
  now?: number;
}

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

const INK = '#1b1f24';
const MUTED = '#4b5563';
const MARGIN = 50;

/** Renders the report; resolves with the PDF bytes. */
export function wallPdf(wall: WallExport, opts: PdfOptions): Promise<Buffer> {
  const words = WORDS[opts.lang];
  const now = opts.now ?? Date.now();
  const generated = formatDateTime(now, opts.timeZone);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN + 14, bottom: MARGIN + 10, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: { Title: pdfText(wall.title || words.report), Creator: 'Maillage', Producer: 'Maillage (pdfkit)', CreationDate: new Date(now) },
    lang: opts.lang === 'fr' ? 'fr-CA' : 'en-CA',
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const width = doc.page.width - 2 * MARGIN;
  const byline = (n: Note): string =>
    [n.author, n.org, n.email ?? '', (wall.votes?.[n.id] ?? 0) > 0 ? words.votes(wall.votes?.[n.id] ?? 0) : '']
      .map((s) => s.trim())
      .filter(Boolean)
      .join(' · ');
  /** Starts a new page unless `needed` points fit on this one. */
  const room = (needed: number) => {
    if (doc.y + needed > doc.page.height - doc.page.margins.bottom) doc.addPage();
  };
  const heading = (text: string, size: number, color?: string) => {
    room(size * 3);
    const y = doc.y;
    if (color) doc.rect(MARGIN, y, 6, size + 4).fill(color);
    doc.fillColor(INK).font('Helvetica-Bold').fontSize(size).text(pdfText(text), color ? MARGIN + 12 : MARGIN, y, { width: width - 12 });
    doc.moveDown(0.4);
  };
  const noteBlock = (n: Note, extra?: string) => {
    const text = pdfText(n.text || '—');
    const meta = pdfText([byline(n), extra ?? ''].filter(Boolean).join(' · '));
    doc.font('Helvetica').fontSize(10.5);
    const h = doc.heightOfString(text, { width }) + (meta ? 14 : 0) + 8;
    room(Math.min(h, 200));
    doc.fillColor(INK).font('Helvetica').fontSize(10.5).text(text, MARGIN, doc.y, { width });
    if (meta) doc.fillColor(MUTED).fontSize(8.5).text(meta, MARGIN, doc.y + 1, { width });
    doc.moveDown(0.6);
  };

  // Title block.
  const orgs = new Set(wall.notes.map((n) => n.org.trim().toLowerCase()).filter(Boolean));
  doc.fillColor(INK).font('Helvetica-Bold').fontSize(22).text(pdfText(wall.title || words.report), { width });
  doc.moveDown(0.2);
  doc.fillColor(MUTED).font('Helvetica').fontSize(11).text(pdfText([words.report, templateTitle(wall.template, opts.lang)].filter(Boolean).join(' — ')), { width });
  doc.text(pdfText(`${words.summary(wall.notes.length, wall.domains.length, orgs.size)} — ${words.generated} ${generated} (${opts.timeZone})`), { width });
  doc.moveDown(1.2);

  // Activities by domain, in the wall's order; notes whose domain is gone come last.
  heading(words.byDomain, 16);
  const known = new Set(wall.domains.map((d) => d.id));
  const groups = wall.domains.map((d) => ({ title: domainTitle(d, opts.lang), color: d.color, notes: wall.notes.filter((n) => n.domainId === d.id) }));
  const orphans = wall.notes.filter((n) => !known.has(n.domainId));
  if (orphans.length) groups.push({ title: words.noDomain, color: '#e5e7eb', notes: orphans });
  for (const g of groups) {
    doc.moveDown(0.4);
    heading(`${g.title} (${words.notes(g.notes.length)})`, 13, g.color);
    if (!g.notes.length) {
      doc.fillColor(MUTED).font('Helvetica-Oblique').fontSize(10).text(words.noNotes, { width });
      doc.moveDown(0.4);
    }
    for (const n of g.notes) noteBlock(n);
  }

  // Clusters, each with its activities and the people to contact.
  doc.addPage();
  heading(words.byCluster, 16);
  const byId = new Map(wall.notes.map((n) => [n.id, n]));
  const domainOf = new Map(wall.domains.map((d) => [d.id, domainTitle(d, opts.lang)]));
  if (!wall.clusters.length) {
    doc.fillColor(MUTED).font('Helvetica-Oblique').fontSize(10.5).text(words.noClusters, { width });
  }
  for (const c of wall.clusters) {
    const members = c.noteIds.map((id) => byId.get(id)).filter((n): n is Note => Boolean(n));
    doc.moveDown(0.5);
    heading(`${c.label || '—'} (${words.notes(members.length)})`, 13, '#1f3a5f');
    for (const n of members) noteBlock(n, domainOf.get(n.domainId));
    const contacts = new Map<string, string>();
    for (const n of members) {
      const line = [n.author, n.org, n.email ?? ''].map((s) => s.trim()).filter(Boolean).join(' — ');
      if (line) contacts.set(line.toLowerCase(), line);
    }
    if (contacts.size) {
      room(40);
      doc.fillColor(INK).font('Helvetica-Bold').fontSize(10).text(opts.lang === 'fr' ? `${words.contacts}\u00a0:` : `${words.contacts}:`, { width });
      doc.font('Helvetica').fontSize(9.5);
      for (const line of contacts.values()) doc.text(pdfText(`• ${line}`), { width, indent: 8 });
      doc.moveDown(0.4);
    }
  }

  // Header and footer on every page, drawn last so the page count is known.
  const range = doc.bufferedPageRange();
  const header = pdfText(wall.title || words.report);
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const { bottom } = doc.page.margins;
    doc.page.margins.bottom = 0; // writing inside the margin must not start a new page
    doc.fillColor(MUTED).font('Helvetica').fontSize(8);
    doc.text(header, MARGIN, 28, { width: width * 0.7, lineBreak: false, ellipsis: true });
    doc.text(generated, MARGIN, 28, { width, align: 'right', lineBreak: false });
    doc.text(`Maillage — ${words.page} ${i + 1} ${words.of} ${range.count}`, MARGIN, doc.page.height - 36, { width, align: 'center', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
