/**
 * The projected wall (docs/spec.md R120–R126): what the room reads on the shared screen.
 *
 * Not the canvas zoomed out: its own layout (layout.ts) that flows the domains into a 16:9 grid
 * with notes as large as the screen allows, re-computed whenever the screen's size changes. The
 * host steps through views with the keyboard or a presentation clicker (arrows, Page Up/Down):
 * - wall: the overview of every note, then — when the overview's text is under 18 px — pages
 *   that keep it at 18 px or more;
 * - domains: one domain at a time, full screen (paged the same way when it is long);
 * - groups: one accepted group at a time, in its halo colour;
 * - votes: the ranked vote results.
 * No cursors, no emails (R21), no editing: nothing here writes.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Circle, Group, Layer, Rect, Stage, Text } from 'react-konva';
import type Konva from 'konva';
import { rankByVotes, type Cluster, type Domain, type Note, type Relation, type VoteRankingRow } from '@maillage/shared';
import type { Language } from '../i18n/index.ts';
import { FONT_FAMILY } from '../wall/geometry.ts';
import { RelationLayer, type NoteAnchor } from '../wall/RelationLayer.tsx';
import { layoutPage, paginate, READABLE_FONT, type Box, type Cell, type PageLayout, type Section } from './layout.ts';
import { groupColor } from './groupColors.ts';
import { GroupLegend } from './GroupLegend.tsx';
import { VoteRanking } from './VoteRanking.tsx';
import { clearRequestedMode, requestedMode, type ProjectionMode } from './requestedMode.ts';
import './projection.css';

export interface ProjectionViewProps {
  notes: Note[];
  domains: Domain[];
  clusters: Cluster[];
  relations: Relation[];
  /** Dot-vote counts per note id (empty when no vote ran). */
  votes: Readonly<Record<string, number>>;
  lang: Language;
}

type Scene =
  | { kind: 'page'; title: string; page: PageLayout; overview?: boolean }
  | { kind: 'votes'; title: string; rows: VoteRankingRow[]; start: number }
  | { kind: 'empty'; title: string; message: string };

const MODES: readonly ProjectionMode[] = ['wall', 'domains', 'groups', 'votes'];
const MODE_KEYS: Record<string, ProjectionMode> = { o: 'wall', d: 'domains', g: 'groups', v: 'votes' };
/** Height of one row of the projected ranking (CSS .vote-ranking.large), for paging it. */
const RANK_ROW_PX = 112;

/** Reading order in a column, as the canvas draws it (geometry.ts flowLayout). */
const byReadingOrder = (a: Note, b: Note) => a.y - b.y || a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function ProjectionView({ notes, domains, clusters, relations, votes, lang }: ProjectionViewProps) {
  const { t } = useTranslation();
  const container = useRef<HTMLDivElement>(null);
  const stageRef = useRef<Konva.Stage>(null);
  const [box, setBox] = useState<Box>({ width: 0, height: 0 });
  const [mode, setMode] = useState<ProjectionMode>(() => requestedMode() ?? 'wall');
  useEffect(() => clearRequestedMode(), []);
  const [index, setIndex] = useState(0);

  // Re-fit on entering and whenever the screen changes (window resized, projector plugged in).
  // Measured before the first paint, so the wall is drawn in the same frame the view appears.
  useLayoutEffect(() => {
    const el = container.current;
    if (!el) return;
    const measure = () => setBox({ width: el.clientWidth, height: el.clientHeight });
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    measure();
    return () => ro.disconnect();
  }, []);

  const domainTitle = useCallback((d: Domain) => d.title[lang] || d.title.fr, [lang]);
  const domainSections = useMemo<Section[]>(() => {
    const by = new Map<string, Note[]>();
    for (const n of notes) by.set(n.domainId, [...(by.get(n.domainId) ?? []), n]);
    return domains.map((d) => ({ key: d.id, title: domainTitle(d), color: d.color, notes: (by.get(d.id) ?? []).sort(byReadingOrder) }));
  }, [notes, domains, domainTitle]);
  const colorOf = useMemo(() => new Map(clusters.map((c, i) => [c.id, groupColor(i)])), [clusters]);
  const haloOf = useMemo(() => {
    const m = new Map<string, string>();
    clusters.forEach((c) => c.noteIds.forEach((id) => m.has(id) || m.set(id, colorOf.get(c.id) as string)));
    return m;
  }, [clusters, colorOf]);
  const ranking = useMemo(() => rankByVotes(notes, votes, domains), [notes, votes, domains]);

  const scenes = useMemo<Scene[]>(() => {
    if (box.width <= 0 || box.height <= 0) return [];
    const paged = (title: string, sections: Section[]): Scene[] => {
      const pages = paginate(sections, box);
      return pages.map((page, i) => ({ kind: 'page', title: pages.length > 1 ? `${title} — ${t('projection.page', { n: i + 1, total: pages.length })}` : title, page }));
    };
    switch (mode) {
      case 'wall': {
        const overview = layoutPage(domainSections, box);
        const first: Scene = { kind: 'page', title: t('projection.overview'), page: overview, overview: true };
        // The overview reads from the back of the room: nothing more to step through.
        if (overview.font >= READABLE_FONT) return [first];
        return [first, ...paged(t('projection.modeWall'), domainSections)];
      }
      case 'domains':
        return domainSections.filter((s) => s.notes.length).flatMap((s) => paged(s.title, [s]));
      case 'groups': {
        const byId = new Map(notes.map((n) => [n.id, n]));
        const out = clusters.flatMap((c) =>
          paged(c.label, [{ key: c.id, title: c.label, color: colorOf.get(c.id) as string, notes: c.noteIds.map((id) => byId.get(id)).filter((n): n is Note => !!n) }]),
        );
        return out.length ? out : [{ kind: 'empty', title: t('projection.modeGroups'), message: t('projection.noGroups') }];
      }
      case 'votes': {
        const per = Math.max(3, Math.floor((box.height - 90) / RANK_ROW_PX));
        if (!ranking.length) return [{ kind: 'empty', title: t('results.title'), message: t('results.none') }];
        const pages = Math.ceil(ranking.length / per);
        return Array.from({ length: pages }, (_, i) => ({
          kind: 'votes',
          title: pages > 1 ? `${t('results.title')} — ${t('projection.page', { n: i + 1, total: pages })}` : t('results.title'),
          rows: ranking.slice(i * per, (i + 1) * per),
          start: i * per,
        }));
      }
    }
  }, [mode, box, domainSections, clusters, notes, colorOf, ranking, t]);

  const count = scenes.length;
  const at = Math.min(index, Math.max(0, count - 1));
  const scene = scenes[at];
  const step = useCallback((d: number) => setIndex((i) => Math.max(0, Math.min(count - 1, Math.min(i, count - 1) + d))), [count]);
  const choose = useCallback((m: ProjectionMode) => {
    setMode(m);
    setIndex(0);
  }, []);

  // Keyboard and presentation clickers (which send Page Up/Down or arrows).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const tag = (e.target as HTMLElement | null)?.tagName;
      if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || e.ctrlKey || e.metaKey || e.altKey) return;
      const k = e.key;
      if (k === 'ArrowRight' || k === 'ArrowDown' || k === 'PageDown' || k === ' ') step(1);
      else if (k === 'ArrowLeft' || k === 'ArrowUp' || k === 'PageUp') step(-1);
      else if (k === 'Home') setIndex(0);
      else if (k === 'End') setIndex(Math.max(0, count - 1));
      else if (MODE_KEYS[k.toLowerCase()]) choose(MODE_KEYS[k.toLowerCase()] as ProjectionMode);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [step, choose, count]);

  const page = scene?.kind === 'page' ? scene.page : null;

  // For browser tests: what is on screen, measured from the drawn Konva nodes. The canvas's own
  // hook (`__maillage`, Wall.tsx) answers for the projected screen too: what it draws (texts(),
  // R21) and where its notes are.
  useEffect(() => {
    const w = window as unknown as { __maillage?: Record<string, unknown> };
    w.__maillage = {
      ...(w.__maillage ?? {}),
      texts: () => (stageRef.current?.find('Text') ?? []).map((n) => (n as Konva.Text).text()),
      notes: () =>
        (page?.cells ?? []).flatMap((c) =>
          c.note ? [{ id: c.note.id, domainId: c.note.domainId, text: c.note.text, private: false, dots: votes[c.note.id] ?? 0, x: c.x, y: c.y, width: c.width, height: c.height }] : [],
        ),
      columns: () => [],
    };
  });
  useEffect(() => {
    (window as unknown as { __maillageProjection?: unknown }).__maillageProjection = {
      mode,
      index: at,
      count,
      title: scene?.title ?? '',
      kind: scene?.kind ?? null,
      font: page?.font ?? null,
      noteTexts: () =>
        (stageRef.current?.find('.note-text') ?? []).map((n) => {
          const node = n as Konva.Text;
          const r = node.getClientRect();
          return { id: node.getParent()?.id().replace(/^pnote-/, ''), text: node.text(), px: node.fontSize() * node.getAbsoluteScale().y, x: r.x, y: r.y, width: r.width, height: r.height };
        }),
    };
  });

  return (
    <div className="projection-view">
      <div className="projection-stage" ref={container} role="region" aria-label={scene?.title ?? ''} aria-live="polite" data-testid="projection-stage">
        {scene?.kind === 'votes' && (
          <div className="projection-votes">
            <h2>{scene.title}</h2>
            <VoteRanking rows={scene.rows} lang={lang} large start={scene.start} />
          </div>
        )}
        {scene?.kind === 'empty' && (
          <div className="projection-votes">
            <h2>{scene.title}</h2>
            <p className="projection-empty">{scene.message}</p>
          </div>
        )}
        {page && box.width > 0 && (
          <Stage ref={stageRef} width={box.width} height={box.height} listening={false}>
            <Layer>
              {page.cells.map((c, i) => (c.kind === 'header' ? <HeaderCell key={`h${i}`} cell={c} font={page.font} groupMode={mode === 'groups'} /> : <NoteCell key={c.note?.id ?? i} cell={c} font={page.font} halo={mode === 'groups' ? undefined : haloOf.get(c.note?.id ?? '')} votes={votes[c.note?.id ?? ''] ?? 0} domain={mode === 'groups' ? domains.find((d) => d.id === c.note?.domainId) : undefined} lang={lang} />))}
            </Layer>
            <ProjectedRelations cells={page.cells} relations={relations} font={page.font} />
          </Stage>
        )}
      </div>
      <nav className="projection-nav" aria-label={t('projection.nav')}>
        <div className="projection-modes" role="group">
          {MODES.map((m) => (
            <button key={m} type="button" aria-pressed={mode === m} onClick={() => choose(m)}>
              {t(m === 'wall' ? 'projection.modeWall' : m === 'domains' ? 'projection.modeDomains' : m === 'groups' ? 'projection.modeGroups' : 'projection.modeVotes')}
            </button>
          ))}
        </div>
        <button type="button" onClick={() => step(-1)} disabled={at <= 0} aria-label={t('projection.prev')}>
          ←
        </button>
        <span className="projection-where" data-testid="projection-where">
          <strong>{scene?.title}</strong> {count > 1 && <span className="muted">{t('projection.step', { n: at + 1, total: count })}</span>}
        </span>
        <button type="button" onClick={() => step(1)} disabled={at >= count - 1} aria-label={t('projection.next')}>
          →
        </button>
        {mode !== 'votes' && <GroupLegend clusters={mode === 'groups' && scene?.kind === 'page' ? clusters.filter((c) => scene.page.cells.some((x) => x.section.key === c.id)) : clusters} colorOf={colorOf} noteIds={new Set(notes.map((n) => n.id))} className="in-nav" />}
        <span className="projection-keys" title={t('projection.keys')} aria-label={t('projection.keys')}>
          ⌨ ?
        </span>
      </nav>
    </div>
  );
}

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

function HeaderCell({ cell, font, groupMode }: { cell: Cell; font: number; groupMode: boolean }) {
  // The count is secondary: small, so the title keeps the width (long titles are the norm).
  const countSize = Math.max(13, Math.min(cell.height * 0.4, font * 0.8));
  const countW = countSize * 1.9;
  const pad = Math.max(6, countSize * 0.35);
  const textW = cell.width - 2 * pad - countW;
  // One size for headers on a page reads as a system; a short title does not get giant letters.
  const { size } = fitTitle(cell.section.title, textW, cell.height - 4, Math.min(cell.height * 0.6, font * 1.1));
  return (
    <Group x={cell.x} y={cell.y} name="projection-header">
      <Rect width={cell.width} height={cell.height} fill={groupMode ? '#ffffff' : cell.section.color} stroke={groupMode ? cell.section.color : 'rgba(0,0,0,0.25)'} strokeWidth={groupMode ? 5 : 1} cornerRadius={6} opacity={cell.continued ? 0.85 : 1} />
      <Text x={pad} y={0} width={textW} height={cell.height} verticalAlign="middle" text={cell.section.title} fontSize={size} lineHeight={1.1} fontStyle="bold" fontFamily={FONT_FAMILY} fill="#111827" wrap="word" ellipsis />
      <Text x={cell.width - countW - pad} y={0} width={countW} height={cell.height} verticalAlign="middle" align="right" text={String(cell.section.notes.length)} fontSize={countSize} fontFamily={FONT_FAMILY} fill="#374151" />
    </Group>
  );
}

function NoteCell({ cell, font, halo, votes, domain, lang }: { cell: Cell; font: number; halo: string | undefined; votes: number; domain: Domain | undefined; lang: Language }) {
  const n = cell.note as Note;
  const pad = Math.max(6, font * 0.5);
  const small = Math.max(13, Math.round(font * 0.72));
  const byline = [n.org ? `${n.author} · ${n.org}` : n.author, domain ? domain.title[lang] || domain.title.fr : ''].filter(Boolean).join(' — ');
  const badge = Math.max(12, font * 0.8);
  return (
    <Group x={cell.x} y={cell.y} id={`pnote-${n.id}`} name="projection-note">
      <Rect width={cell.width} height={cell.height} fill={n.color} cornerRadius={5} stroke={halo ?? 'rgba(0,0,0,0.2)'} strokeWidth={halo ? Math.max(4, font * 0.28) : 1} />
      <Text
        name="note-text"
        x={pad}
        y={pad}
        width={cell.width - 2 * pad - (votes > 0 ? badge * 1.6 : 0)}
        height={Math.max(font * 1.2, cell.height - 2 * pad - small * 1.3)}
        text={n.text}
        fontSize={font}
        lineHeight={1.2}
        fontFamily={FONT_FAMILY}
        fill="#111111"
        wrap="word"
        ellipsis
      />
      <Text x={pad} y={cell.height - pad - small} width={cell.width - 2 * pad} text={byline} fontSize={small} fontFamily={FONT_FAMILY} fill="#374151" wrap="none" ellipsis />
      {votes > 0 && (
        <Group x={cell.width - badge - 4} y={badge + 4}>
          <Circle radius={badge} fill="#1f3a5f" stroke="#fff" strokeWidth={2} />
          <Text x={-badge} y={-badge * 0.55} width={badge * 2} align="center" text={String(votes)} fontSize={badge * 1.1} fontStyle="bold" fill="#fff" />
        </Group>
      )}
    </Group>
  );
}

/** Connectors between notes that are both on this page, above the notes, labels scaled with the page. */
function ProjectedRelations({ cells, relations, font }: { cells: Cell[]; relations: Relation[]; font: number }) {
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
