/**
 * What the projection draws in each cell of a page (layout.ts, overview.ts): domain or group
 * headers, notes with their text sized to the note (R190), and the connectors between notes.
 */
import { useMemo } from 'react';
import { Circle, Group, Rect, Text } from 'react-konva';
import type { Domain, Note, Relation } from '@maillage/shared';
import type { Language } from '../i18n/index.ts';
import { FONT_FAMILY } from '../wall/geometry.ts';
import { RelationLayer, type NoteAnchor } from '../wall/RelationLayer.tsx';
import { MAX_FONT, READABLE_FONT, type Cell } from './layout.ts';
import { HEADER_PAD, notePad, OVERVIEW_COUNT_FONT, OVERVIEW_HEADER_FONT } from './overview.ts';
import { fitFont, LINE_HEIGHT, type Measure } from './textFit.ts';

/**
 * The largest font (≤ `max`) at which `text` fits in `lines` lines of `width` px: domain titles
 * are long ("Passer des études secondaires aux études postsecondaires") and a title cut to its
 * first word says nothing.
 */
function fitTitle(text: string, width: number, height: number, max: number): { size: number; lines: number } {
  // Bold glyphs average ~0.6 em; words wrap whole, so count a little slack per line.
  for (let size = Math.floor(max); size > 12; size--) {
    const perLine = Math.max(1, Math.floor(width / (size * 0.6)) - 1);
    const lines = Math.ceil(text.length / perLine);
    if (lines <= 4 && lines * size * 1.12 <= height) return { size, lines };
  }
  return { size: 12, lines: 4 };
}

export function HeaderCell({ cell, font, groupMode, boldMeasure }: { cell: Cell; font: number; groupMode: boolean; boldMeasure?: Measure }) {
  const compact = cell.font === OVERVIEW_HEADER_FONT;
  // The count is secondary: small, so the title keeps the width (long titles are the norm).
  const countSize = compact ? OVERVIEW_COUNT_FONT : Math.max(13, Math.min(cell.height * 0.4, font * 0.8));
  const countW = countSize * 1.9;
  const pad = compact ? HEADER_PAD : Math.max(6, countSize * 0.35);
  const textW = cell.width - 2 * pad - countW;
  // One size for headers on a page reads as a system; a short title does not get giant letters.
  const size = compact && boldMeasure
    ? fitFont(cell.section.title, textW, cell.height - 2, 11, OVERVIEW_HEADER_FONT, boldMeasure, 1.1).font
    : fitTitle(cell.section.title, textW, cell.height - 4, Math.min(cell.height * 0.6, font * 1.1)).size;
  return (
    <Group x={cell.x} y={cell.y} name="projection-header">
      <Rect width={cell.width} height={cell.height} fill={groupMode ? '#ffffff' : cell.section.color} stroke={groupMode ? cell.section.color : 'rgba(0,0,0,0.25)'} strokeWidth={groupMode ? 5 : 1} cornerRadius={6} opacity={cell.continued ? 0.85 : 1} />
      <Text x={pad} y={0} width={textW} height={cell.height} verticalAlign="middle" text={cell.section.title} fontSize={size} lineHeight={1.1} fontStyle="bold" fontFamily={FONT_FAMILY} fill="#111827" wrap="word" ellipsis />
      <Text x={cell.width - countW - pad} y={0} width={countW} height={cell.height} verticalAlign="middle" align="right" text={String(cell.section.notes.length)} fontSize={countSize} fontFamily={FONT_FAMILY} fill="#374151" />
    </Group>
  );
}

export interface NoteCellProps {
  cell: Cell;
  /** The page's font: the note's text is fitted from there (R190). */
  font: number;
  halo: string | undefined;
  votes: number;
  domain: Domain | undefined;
  lang: Language;
  measure: Measure;
  onOpen(note: Note): void;
}

/**
 * One note. In the overview its cell was sized for its text at `cell.font`; on a grid page
 * (equal cells) the text gets the largest size that fits its cell — short notes larger, long ones
 * smaller, never under 18 px on a page that reads at 18 px. A text that fits nowhere is cut, and a
 * click or tap opens it in full.
 */
/** Where a note's text goes in its cell, and the sizes around it (NoteCell draws exactly this). */
export function noteBox(cell: Cell, font: number, votes: number) {
  const compact = cell.font !== undefined;
  const base = cell.font ?? font;
  const pad = compact ? notePad(base) : Math.max(6, font * 0.5);
  const small = Math.max(13, Math.round(font * 0.72));
  const showByline = cell.byline !== false;
  const badge = Math.max(compact ? 10 : 12, base * 0.8);
  const textW = cell.width - 2 * pad - (votes > 0 ? badge * 1.6 : 0);
  const textH = Math.max(base * LINE_HEIGHT, cell.height - 2 * pad - (showByline ? small * 1.3 : 0));
  return { compact, base, pad, small, showByline, badge, textW, textH };
}

/** The size a note's text is drawn at, and whether all of it fits (R190). */
export function noteFont(cell: Cell, font: number, votes: number, measure: Measure): { font: number; fits: boolean; wholeWords?: boolean } {
  const { compact, base, textW, textH } = noteBox(cell, font, votes);
  const text = (cell.note as Note).text;
  if (compact) return fitFont(text, textW, textH, base, base, measure);
  const floor = font >= READABLE_FONT ? Math.max(READABLE_FONT, font * 0.8) : font;
  return fitFont(text, textW, textH, floor, Math.min(MAX_FONT, font * 1.35), measure);
}

/** Words longer than this may break anywhere (a URL): asking for them whole would page forever. */
const LONG_WORD = 20;

/**
 * Whether a note reads whole in its cell: every word drawn, and no word split over two lines
 * unless it is too long for any line (R190). Pages hold only notes that do.
 */
export function readsWhole(cell: Cell, font: number, votes: number, measure: Measure): boolean {
  const f = noteFont(cell, font, votes, measure);
  return f.fits && (f.wholeWords !== false || (cell.note as Note).text.split(/\s+/).some((w) => w.length > LONG_WORD));
}

export function NoteCell({ cell, font, halo, votes, domain, lang, measure, onOpen }: NoteCellProps) {
  const n = cell.note as Note;
  const { compact, base, pad, small, showByline, badge, textW, textH } = noteBox(cell, font, votes);
  const byline = [n.org ? `${n.author} · ${n.org}` : n.author, domain ? domain.title[lang] || domain.title.fr : ''].filter(Boolean).join(' — ');
  const fit = useMemo(() => noteFont(cell, font, votes, measure), [cell, font, votes, measure]);
  return (
    <Group x={cell.x} y={cell.y} id={`pnote-${n.id}`} name="projection-note" onClick={() => onOpen(n)} onTap={() => onOpen(n)}>
      <Rect width={cell.width} height={cell.height} fill={n.color} cornerRadius={compact ? 3 : 5} stroke={halo ?? 'rgba(0,0,0,0.2)'} strokeWidth={halo ? Math.max(compact ? 3 : 4, base * 0.28) : 1} />
      <Text
        name="note-text"
        x={pad}
        y={pad}
        width={textW}
        // A pixel of air: Konva drops a line (and reserves room for "…") when the lines' summed
        // heights pass the box by a rounding error.
        height={textH + 1}
        text={n.text}
        fontSize={fit.font}
        lineHeight={LINE_HEIGHT}
        fontFamily={FONT_FAMILY}
        fill="#111111"
        wrap="word"
        ellipsis
        listening={false}
      />
      {showByline && <Text x={pad} y={cell.height - pad - small} width={cell.width - 2 * pad} text={byline} fontSize={small} fontFamily={FONT_FAMILY} fill="#374151" wrap="none" ellipsis listening={false} />}
      {votes > 0 && (
        <Group x={cell.width - badge - 4} y={badge + 4} listening={false}>
          <Circle radius={badge} fill="#1f3a5f" stroke="#fff" strokeWidth={2} />
          <Text x={-badge} y={-badge * 0.55} width={badge * 2} align="center" text={String(votes)} fontSize={badge * 1.1} fontStyle="bold" fill="#fff" />
        </Group>
      )}
    </Group>
  );
}

/** Connectors between notes that are both on this page, above the notes, labels scaled with the page. */
export function ProjectedRelations({ cells, relations, font }: { cells: Cell[]; relations: Relation[]; font: number }) {
  const anchors = useMemo(() => {
    const m = new Map<string, NoteAnchor>();
    for (const c of cells) if (c.note) m.set(c.note.id, { x: c.x, y: c.y, width: c.width, height: c.height });
    return m;
  }, [cells]);
  const shown = relations.filter((r) => anchors.has(r.from) && anchors.has(r.to));
  if (!shown.length) return null;
  // RelationLayer sizes labels 14 px / scale: this scale gives ~0.8 of the note font.
  return <RelationLayer relations={shown} anchors={anchors} selected={null} scale={14 / Math.max(14, font * 0.8)} onSelect={() => {}} />;
}
