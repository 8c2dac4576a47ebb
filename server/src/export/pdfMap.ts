/**
 * The relationship map page of the PDF report (R148): the same scene the screen draws
 * (`mapScene` over `layoutNetwork`), as vector shapes on a landscape A4 page, with a legend of
 * link kinds and domains. Labels are drawn last, on a white halo, so they stay readable where
 * links cross them.
 */
import type PDFDocument from 'pdfkit';
import { layoutNetwork, mapScene, MAP_COLORS, type Network, type WallExport } from '@maillage/shared';
import { domainTitle, type ExportLang } from './format.ts';
import { pdfText } from './pdfText.ts';

type Doc = InstanceType<typeof PDFDocument>;

export const MAP_WORDS = {
  fr: {
    title: 'Carte des relations',
    intro: 'Chaque cercle est une organisation (sa taille suit son nombre d’activités, sa couleur le domaine où elle en a le plus) ; chaque trait relie deux organisations.',
    group: 'Regroupement commun',
    connector: 'Lien tracé entre leurs activités',
    similar: 'Activités semblables (suggestion)',
    empty: 'Aucune organisation sur ce mur.',
  },
  en: {
    title: 'Relationship map',
    intro: 'Each circle is an organization (sized by its number of activities, coloured by the domain where it has most); each line links two organizations.',
    group: 'Shared group',
    connector: 'Connector between their activities',
    similar: 'Similar activities (suggestion)',
    empty: 'No organization on this wall.',
  },
} as const;

/** Draws the map on a new landscape page of `doc`. */
export async function drawMapPage(doc: Doc, wall: WallExport, network: Network, lang: ExportLang, margin: number): Promise<void> {
  const words = MAP_WORDS[lang];
  doc.addPage({ size: 'A4', layout: 'landscape', margins: { top: margin + 14, bottom: margin + 10, left: margin, right: margin } });
  const width = doc.page.width - 2 * margin;
  doc.fillColor(MAP_COLORS.label).font('Helvetica-Bold').fontSize(16).text(pdfText(words.title), margin, doc.y, { width });
  doc.fillColor('#4b5563').font('Helvetica').fontSize(9).text(pdfText(words.intro), { width });
  const top = doc.y + 6;
  const legendH = 34;
  const height = doc.page.height - top - margin - 10 - legendH;
  if (!network.nodes.length) {
    doc.font('Helvetica-Oblique').fontSize(10.5).text(pdfText(words.empty), margin, top, { width });
    return;
  }
  const layout = await layoutNetwork(network, width / height);
  const scene = mapScene(network, layout, { width, height, margin: 28, notes: wall.notes, domains: wall.domains });
  doc.save();
  doc.rect(margin, top, width, height).lineWidth(0.5).strokeColor('#d1d5db').stroke();
  doc.translate(margin, top);
  for (const e of scene.edges) {
    doc.moveTo(e.x1, e.y1).lineTo(e.x2, e.y2).lineWidth(e.width * 0.6).strokeColor(e.color).strokeOpacity(e.kind === 'similar' ? 0.8 : 0.9);
    if (e.dash.length) doc.dash(e.dash[0] as number, { space: e.dash[1] as number });
    doc.stroke();
    doc.undash();
  }
  doc.strokeOpacity(1);
  for (const n of scene.nodes) doc.circle(n.x, n.y, n.r * 0.8).lineWidth(1).fillAndStroke(n.fill, MAP_COLORS.outline);
  const font = Math.min(10, Math.max(7, (scene.nodes[0]?.font ?? 10) * 0.75));
  doc.font('Helvetica').fontSize(font);
  for (const n of scene.nodes) {
    const lines = n.lines.map(pdfText);
    const w = Math.min(Math.max(...lines.map((l) => doc.widthOfString(l))), 140);
    const x = Math.min(Math.max(n.x - w / 2, 2), width - w - 2);
    const y = n.y + n.r * 0.8 + 2;
    doc.rect(x - 1.5, y - 0.5, w + 3, (font + 1.5) * lines.length + 1).fillOpacity(0.8).fill('#ffffff').fillOpacity(1);
    lines.forEach((line, i) => doc.fillColor(MAP_COLORS.label).text(line, x, y + i * (font + 1.5), { width: w + 1, align: 'center', lineBreak: false, ellipsis: true }));
  }
  doc.restore();

  // Legend: link kinds, then domains (the node colours).
  let x = margin;
  const y = top + height + 8;
  doc.font('Helvetica').fontSize(8);
  for (const kind of ['group', 'connector', 'similar'] as const) {
    doc.moveTo(x, y + 4).lineTo(x + 22, y + 4).lineWidth(kind === 'similar' ? 1 : 2.5).strokeColor(MAP_COLORS[kind]);
    if (kind === 'similar') doc.dash(4, { space: 3 });
    doc.stroke();
    doc.undash();
    const text = pdfText(words[kind]);
    doc.fillColor(MAP_COLORS.label).text(text, x + 26, y, { lineBreak: false });
    x += 26 + doc.widthOfString(text) + 16;
  }
  x = margin;
  const used = new Set(scene.nodes.map((n) => n.fill));
  for (const d of wall.domains) {
    if (!used.has(d.color)) continue;
    const text = pdfText(domainTitle(d, lang));
    const w = 14 + doc.widthOfString(text) + 12;
    if (x + w > margin + width) break;
    doc.circle(x + 4, y + 20, 4).lineWidth(0.7).fillAndStroke(d.color, MAP_COLORS.outline);
    doc.fillColor(MAP_COLORS.label).text(text, x + 12, y + 16, { lineBreak: false });
    x += w;
  }
}
