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
import { Layer, Stage } from 'react-konva';
import type Konva from 'konva';
import { rankByVotes, type Cluster, type Domain, type Note, type Relation, type VoteRankingRow } from '@maillage/shared';
import type { Language } from '../i18n/index.ts';
import { FONT_FAMILY } from '../wall/geometry.ts';
import type { SessionSocket } from '../sync/session.ts';
import { layoutPage, paginate, READABLE_FONT, type Box, type PageLayout, type Section } from './layout.ts';
import { overviewPage } from './overview.ts';
import { canvasMeasure } from './textFit.ts';
import { HeaderCell, NoteCell, ProjectedRelations, readsWhole } from './cells.tsx';
import { NoteDialog } from './NoteDialog.tsx';
import { resolveSpotlight, spotlightOf, useSpotlightSync, type SceneRef, type Spotlight } from './spotlightSync.ts';
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
  /** The session: hosts' steps are sent to the wall's other projected screens (R192). */
  socket?: SessionSocket | null;
  live?: boolean;
  canDrive?: boolean;
}

type Scene = (
  | { kind: 'page'; title: string; page: PageLayout; overview?: boolean }
  | { kind: 'votes'; title: string; rows: VoteRankingRow[]; start: number }
  | { kind: 'empty'; title: string; message: string }
) & { ref: SceneRef };

/** Where the view is; `anchor` when another screen put it there (R192), `local` on our own steps. */
interface Spot {
  mode: ProjectionMode;
  index: number;
  anchor?: Spotlight;
  local: object | null;
}

const MODES: readonly ProjectionMode[] = ['wall', 'domains', 'groups', 'votes'];
const MODE_KEYS: Record<string, ProjectionMode> = { o: 'wall', d: 'domains', g: 'groups', v: 'votes' };
/** Height of one row of the projected ranking (CSS .vote-ranking.large), for paging it. */
const RANK_ROW_PX = 112;

/** Reading order in a column, as the canvas draws it (geometry.ts flowLayout). */
const noteIdsOf = (page: PageLayout) => page.cells.flatMap((c) => (c.note ? [c.note.id] : []));
const byReadingOrder = (a: Note, b: Note) => a.y - b.y || a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function ProjectionView({ notes, domains, clusters, relations, votes, lang, socket = null, live = false, canDrive = false }: ProjectionViewProps) {
  const { t } = useTranslation();
  const container = useRef<HTMLDivElement>(null);
  const stageRef = useRef<Konva.Stage>(null);
  const [box, setBox] = useState<Box>({ width: 0, height: 0 });
  // Opened from the host panel on a view of its own ("Project the results"): that is a step to send.
  const [spot, setSpot] = useState<Spot>(() => ({ mode: requestedMode() ?? 'wall', index: 0, local: requestedMode() ? {} : null }));
  useEffect(() => clearRequestedMode(), []);
  const mode = spot.mode;
  const [opened, setOpened] = useState<Note | null>(null);
  const measure = useMemo(() => canvasMeasure(FONT_FAMILY), []);
  const boldMeasure = useMemo(() => canvasMeasure(FONT_FAMILY, 'bold'), []);

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
    const paged = (title: string, sections: Section[], section?: string): Scene[] => {
      const pages = paginate(sections, box, READABLE_FONT, (page) => page.cells.every((c) => !c.note || readsWhole(c, page.font, votes[c.note.id] ?? 0, measure)));
      return pages.map((page, i) => ({
        kind: 'page',
        title: pages.length > 1 ? `${title} — ${t('projection.page', { n: i + 1, total: pages.length })}` : title,
        page,
        ref: { ...(section ? { section } : {}), noteIds: noteIdsOf(page) },
      }));
    };
    switch (mode) {
      case 'wall': {
        // Equal cells when they read at 18 px; otherwise cells sized to each note's text (R190).
        // (Equal cells also need every note whole: a cut note is read nowhere.)
        const grid = layoutPage(domainSections, box);
        const gridWhole = grid.cells.every((c) => !c.note || readsWhole(c, grid.font, votes[c.note.id] ?? 0, measure));
        const overview = grid.font >= READABLE_FONT && gridWhole ? grid : overviewPage(domainSections, box, measure, boldMeasure);
        const first: Scene = { kind: 'page', title: t('projection.overview'), page: overview, overview: true, ref: { overview: true, noteIds: noteIdsOf(overview) } };
        // The overview reads from the back of the room: nothing more to step through.
        if (overview.font >= READABLE_FONT) return [first];
        return [first, ...paged(t('projection.modeWall'), domainSections)];
      }
      case 'domains':
        return domainSections.filter((s) => s.notes.length).flatMap((s) => paged(s.title, [s], s.key));
      case 'groups': {
        const byId = new Map(notes.map((n) => [n.id, n]));
        const out = clusters.flatMap((c) =>
          paged(c.label, [{ key: c.id, title: c.label, color: colorOf.get(c.id) as string, notes: c.noteIds.map((id) => byId.get(id)).filter((n): n is Note => !!n) }], c.id),
        );
        return out.length ? out : [{ kind: 'empty', title: t('projection.modeGroups'), message: t('projection.noGroups'), ref: {} }];
      }
      case 'votes': {
        const per = Math.max(3, Math.floor((box.height - 90) / RANK_ROW_PX));
        if (!ranking.length) return [{ kind: 'empty', title: t('results.title'), message: t('results.none'), ref: {} }];
        const pages = Math.ceil(ranking.length / per);
        return Array.from({ length: pages }, (_, i) => ({
          kind: 'votes',
          title: pages > 1 ? `${t('results.title')} — ${t('projection.page', { n: i + 1, total: pages })}` : t('results.title'),
          rows: ranking.slice(i * per, (i + 1) * per),
          start: i * per,
          ref: { rank: { start: i * per, count: Math.min(per, ranking.length - i * per) } },
        }));
      }
    }
  }, [mode, box, domainSections, clusters, notes, colorOf, ranking, t, measure, boldMeasure, votes]);

  const count = scenes.length;
  const at = spot.anchor ? resolveSpotlight(scenes.map((s) => s.ref), spot.anchor) : Math.min(spot.index, Math.max(0, count - 1));
  const scene = scenes[at];
  const go = useCallback((m: ProjectionMode, index: number) => setSpot({ mode: m, index: Math.max(0, index), local: {} }), []);
  const step = useCallback((d: number) => go(mode, Math.min(count - 1, at + d)), [go, mode, count, at]);
  const choose = useCallback((m: ProjectionMode) => go(m, 0), [go]);
  useSpotlightSync({
    socket,
    live,
    canDrive,
    local: spot.local,
    current: () => spotlightOf(mode, scene?.ref, at),
    onRemote: (s) => setSpot({ mode: s.mode, index: s.at, anchor: s, local: null }),
  });

  // Keyboard and presentation clickers (which send Page Up/Down or arrows).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const tag = (e.target as HTMLElement | null)?.tagName;
      if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || e.ctrlKey || e.metaKey || e.altKey) return;
      const k = e.key;
      if (k === 'ArrowRight' || k === 'ArrowDown' || k === 'PageDown' || k === ' ') step(1);
      else if (k === 'ArrowLeft' || k === 'ArrowUp' || k === 'PageUp') step(-1);
      else if (k === 'Home') go(mode, 0);
      else if (k === 'End') go(mode, count - 1);
      else if (MODE_KEYS[k.toLowerCase()]) choose(MODE_KEYS[k.toLowerCase()] as ProjectionMode);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [step, choose, go, mode, count]);

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
          // Whole when the drawn lines hold every word (Konva drops lines and adds "…" otherwise).
          // (Lines may break after a hyphen, so spaces are left out of the comparison.)
          const drawn = (node as unknown as { textArr: { text: string }[] }).textArr.map((l) => l.text).join('');
          const whole = drawn.replace(/\s+/g, '') === node.text().replace(/\s+/g, '');
          // Words split over two lines (a hyphen may break a word; a word over 20 letters may break anywhere).
          const lines = (node as unknown as { textArr: { text: string }[] }).textArr.map((l) => l.text);
          const split = node.text().split(/\s+/).filter((w) => w && !w.includes('-') && w.length <= 20 && !lines.some((l) => l.split(/\s+/).includes(w))).length;
          return { id: node.getParent()?.id().replace(/^pnote-/, ''), text: node.text(), px: node.fontSize() * node.getAbsoluteScale().y, whole, split, x: r.x, y: r.y, width: r.width, height: r.height };
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
          <Stage ref={stageRef} width={box.width} height={box.height}>
            <Layer>
              {page.cells.map((c, i) =>
                c.kind === 'header' ? (
                  <HeaderCell key={`h${i}`} cell={c} font={page.font} groupMode={mode === 'groups'} boldMeasure={boldMeasure} />
                ) : (
                  <NoteCell key={c.note?.id ?? i} cell={c} font={page.font} halo={mode === 'groups' ? undefined : haloOf.get(c.note?.id ?? '')} votes={votes[c.note?.id ?? ''] ?? 0} domain={mode === 'groups' ? domains.find((d) => d.id === c.note?.domainId) : undefined} lang={lang} measure={measure} onOpen={setOpened} />
                ),
              )}
            </Layer>
            <ProjectedRelations cells={page.cells} relations={relations} font={page.font} />
          </Stage>
        )}
        {opened && <NoteDialog note={opened} domain={domains.find((d) => d.id === opened.domainId)} votes={votes[opened.id] ?? 0} lang={lang} onClose={() => setOpened(null)} />}
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
