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
import { noteOrganizations, rankByVotes, type Network, type Note, type WallExport } from '@maillage/shared';
import { WORDS, domainTitle, formatDateTime, templateTitle, type ExportLang } from './format.ts';
import { pdfText } from './pdfText.ts';
import { drawMapPage } from './pdfMap.ts';

export interface PdfOptions {
  lang: ExportLang;
  timeZone: string;
  now?: number;
  /** The wall's relationship map (computed from the same redacted wall); no map page without it. */
  network?: Network;
}

/** Rows of the vote ranking printed (the rest are in the CSV). */
const RANKING_ROWS = 25;

export { pdfText } from './pdfText.ts';

/**
 * Notes (or pages) laid out between two returns to the event loop. The layout of a 5,000-note
 * report is seconds of CPU; drawn in one go it froze every live wall of the process (R209).
 */
const PACE = 40;
/** Gives the event loop back once every PACE calls. */
function pacer(): () => Promise<void> {
  let n = 0;
  return () => (++n % PACE === 0 ? new Promise<void>((resolve) => setImmediate(resolve)) : Promise.resolve());
}

const INK = '#1b1f24';
const MUTED = '#4b5563';
const MARGIN = 50;

/** Renders the report; resolves with the PDF bytes. */
export async function wallPdf(wall: WallExport, opts: PdfOptions): Promise<Buffer> {
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
  const pace = pacer();
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
    for (const n of g.notes) {
      noteBlock(n);
      await pace();
    }
  }

  // Accepted groups, each with its organizations, its activities and the people to contact.
  doc.addPage();
  heading(words.byCluster, 16);
  const byId = new Map(wall.notes.map((n) => [n.id, n]));
  const domainOf = new Map(wall.domains.map((d) => [d.id, domainTitle(d, opts.lang)]));
  const colon = (label: string) => (opts.lang === 'fr' ? `${label}\u00a0:` : `${label}:`);
  const contactsOf = (members: readonly Note[]) => {
    const contacts = new Map<string, string>();
    for (const n of members) {
      for (const who of [n, ...(n.coauthors ?? [])]) {
        const line = [who.author, who.org, who.email ?? ''].map((x) => x.trim()).filter(Boolean).join(' — ');
        if (line) contacts.set(line.toLowerCase(), line);
      }
    }
    if (!contacts.size) return;
    room(40);
    doc.fillColor(INK).font('Helvetica-Bold').fontSize(10).text(colon(words.contacts), MARGIN, doc.y, { width });
    doc.font('Helvetica').fontSize(9.5);
    for (const line of contacts.values()) doc.text(pdfText(`• ${line}`), { width, indent: 8 });
    doc.moveDown(0.4);
  };
  // Organizations as the map names them (the most frequent spelling), not as one note spelt them.
  const orgLabel = new Map((opts.network?.nodes ?? []).map((n) => [n.id, n.label]));
  if (!wall.clusters.length) {
    doc.fillColor(MUTED).font('Helvetica-Oblique').fontSize(10.5).text(words.noClusters, { width });
  }
  for (const c of wall.clusters) {
    const members = c.noteIds.map((id) => byId.get(id)).filter((n): n is Note => Boolean(n));
    doc.moveDown(0.5);
    heading(`${c.label || '—'} (${words.notes(members.length)})`, 13, '#1f3a5f');
    const orgs = new Map<string, string>();
    for (const n of members) for (const o of noteOrganizations(n)) if (!orgs.has(o.key)) orgs.set(o.key, orgLabel.get(o.key) ?? o.label);
    if (orgs.size) {
      doc.fillColor(INK).font('Helvetica-Bold').fontSize(10).text(pdfText(`${colon(words.organizations)} `), MARGIN, doc.y, { width, continued: true });
      doc.font('Helvetica').text(pdfText([...orgs.values()].join(', ')), { width });
      doc.moveDown(0.3);
    }
    for (const n of members) {
      noteBlock(n, domainOf.get(n.domainId));
      await pace();
    }
    contactsOf(members);
  }

  // Connectors: the links people drew between two activities.
  doc.moveDown(0.8);
  heading(words.connectors, 16);
  const links = wall.relations.filter((r) => byId.has(r.from) && byId.has(r.to));
  if (!links.length) doc.fillColor(MUTED).font('Helvetica-Oblique').fontSize(10.5).text(words.noConnectors, MARGIN, doc.y, { width });
  for (const r of links) {
    const a = byId.get(r.from) as Note;
    const b = byId.get(r.to) as Note;
    doc.moveDown(0.3);
    heading(r.label ? `${r.label}` : `${a.org || a.author} — ${b.org || b.author}`, 11.5, '#c2410c');
    noteBlock(a, domainOf.get(a.domainId));
    noteBlock(b, domainOf.get(b.domainId));
    await pace();
  }

  // Vote ranking, when a vote ran (the same ranking as the host panel and the projector).
  const ranking = rankByVotes(wall.notes, wall.votes ?? {}, wall.domains, { limit: RANKING_ROWS });
  if (ranking.length) {
    doc.addPage();
    heading(words.ranking, 16);
    for (const row of ranking) {
      const meta = pdfText([row.author, row.org, row.domainTitle ? row.domainTitle[opts.lang] || row.domainTitle.fr : ''].filter(Boolean).join(' · '));
      const text = pdfText(row.text || '—');
      doc.font('Helvetica').fontSize(10.5);
      room(doc.heightOfString(text, { width: width - 90 }) + 20);
      const y = doc.y;
      doc.fillColor(INK).font('Helvetica-Bold').fontSize(12).text(`${row.rank}.`, MARGIN, y, { width: 28 });
      doc.fillColor('#1f3a5f').fontSize(10.5).text(words.votes(row.votes), MARGIN + width - 58, y, { width: 58, align: 'right' });
      doc.fillColor(INK).font('Helvetica').fontSize(10.5).text(text, MARGIN + 30, y, { width: width - 90 });
      if (meta) doc.fillColor(MUTED).fontSize(8.5).text(meta, MARGIN + 30, doc.y + 1, { width: width - 90 });
      doc.moveDown(0.5);
      await pace();
    }
  }

  // The relationship map, on a landscape page of its own.
  if (opts.network) await drawMapPage(doc, wall, opts.network, opts.lang, MARGIN);

  // Next steps for the group: the strategy that leads to mutually reinforcing activities.
  doc.addPage({ size: 'A4', layout: 'portrait', margins: { top: MARGIN + 14, bottom: MARGIN + 10, left: MARGIN, right: MARGIN } });
  heading(words.nextSteps, 18);
  doc.fillColor(MUTED).font('Helvetica').fontSize(10.5).text(pdfText(words.nextStepsIntro), MARGIN, doc.y, { width });
  doc.moveDown(0.8);
  words.steps.forEach((step, i) => {
    room(60);
    const y = doc.y;
    doc.circle(MARGIN + 11, y + 9, 11).fill('#1f3a5f');
    doc.fillColor('#ffffff').font('Helvetica-Bold').fontSize(11).text(String(i + 1), MARGIN, y + 3.5, { width: 22, align: 'center' });
    doc.fillColor(INK).font('Helvetica-Bold').fontSize(12).text(pdfText(step.title), MARGIN + 34, y + 2, { width: width - 34 });
    doc.fillColor(MUTED).font('Helvetica').fontSize(10).text(pdfText(step.body), MARGIN + 34, doc.y + 2, { width: width - 34 });
    doc.moveDown(0.9);
  });
  doc.moveDown(0.5);
  doc.fillColor(MUTED).font('Helvetica-Oblique').fontSize(8.5).text(pdfText(words.source), MARGIN, doc.y, { width });

  // Header and footer on every page, drawn last so the page count is known.
  const range = doc.bufferedPageRange();
  const header = pdfText(wall.title || words.report);
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const { bottom } = doc.page.margins;
    doc.page.margins.bottom = 0; // writing inside the margin must not start a new page
    const pageWidth = doc.page.width - 2 * MARGIN; // landscape for the map
    doc.fillColor(MUTED).font('Helvetica').fontSize(8);
    doc.text(header, MARGIN, 28, { width: pageWidth * 0.7, lineBreak: false, ellipsis: true });
    doc.text(generated, MARGIN, 28, { width: pageWidth, align: 'right', lineBreak: false });
    doc.text(`Maillage — ${words.page} ${i + 1} ${words.of} ${range.count}`, MARGIN, doc.page.height - 36, { width: pageWidth, align: 'center', lineBreak: false });
    doc.page.margins.bottom = bottom;
    await pace();
  }
  doc.end();
  return done;
}
