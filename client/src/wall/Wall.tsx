/**
 * The canvas: domain columns side by side, notes inside them, pan/zoom, drag between columns,
 * in-place editing. Only what is in view is drawn (culling), and note components are memoised,
 * so a 5,000-note wall pans as smoothly as a small one.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Layer, Stage } from 'react-konva';
import Konva from 'konva';
import { useTranslation } from 'react-i18next';
import { columnAt, columnX, LAYOUT, type Domain, type Note, type Relation, type ViewRect } from '@maillage/shared';
import { currentLanguage } from '../i18n/index.ts';
import { columnGeometry, flowLayout, intersects, nextSlot, noteHeight, wallBounds, type Placed } from './geometry.ts';
import { useViewport } from './useViewport.ts';
import { NoteCard } from './NoteCard.tsx';
import { DomainColumn } from './DomainColumn.tsx';
import { NoteEditor } from './NoteEditor.tsx';
import { newDraftId, type DraftStore } from '../sync/drafts.ts';
import type { NoteActions } from './actions.ts';
import { createWallExporter, type WallExporter } from './exportPng.ts';
import type { SessionSocket } from '../sync/session.ts';
import { CursorLayer, useCursorSender } from './CursorLayer.tsx';
import { RelationLayer, type NoteAnchor } from './RelationLayer.tsx';
import { NoteActionBar } from './NoteActionBar.tsx';

export interface VoteView {
  open: boolean;
  counts: Record<string, number>;
  mine: string[];
  cast(noteId: string, add: boolean): void;
}

export interface WallProps {
  notes: Note[];
  domains: Domain[];
  actions: NoteActions;
  /** Ids of notes not yet revealed (drawn dashed; only their author and hosts have them). */
  privateIds?: ReadonlySet<string>;
  vote?: VoteView | null;
  /** When set (follow-me), the wall shows this rectangle of the host's. */
  followRect?: ViewRect | null;
  /** Called with the visible rectangle whenever it changes (the host broadcasts it). */
  onViewRect?(rect: ViewRect): void;
  /** Large type, no controls (the projected screen). */
  projection?: boolean;
  /** Receives the zoom controls so the toolbar can drive them. */
  onControls?(c: { zoomIn(): void; zoomOut(): void; fit(): void }): void;
  /** Session socket: live cursors in and out. */
  socket?: SessionSocket | null;
  /** Connectors between notes. */
  relations?: Relation[];
  /** Coloured halo per note id (cluster membership), and whether it is a suggestion (dashed). */
  halos?: ReadonlyMap<string, { color: string; suggested: boolean }>;
  /** Receives the PNG exporter of the whole wall (null when the canvas goes away). */
  onExporter?(exporter: WallExporter | null): void;
  /** Where typed text is kept until it is on the wall (null: not kept, e.g. read-only views). */
  drafts?: DraftStore | null;
}

/** What the in-place editor is open for; `draftId` names the draft its text is kept in. */
type Editing = { mode: 'new'; domainId: string; x: number; y: number; draftId: string } | { mode: 'edit'; id: string; draftId: string };

// Keep delivering pointer moves to the stage while something is dragged: without it, the
// second finger of a pinch is never seen once the first one started panning.
Konva.hitOnDragEnabled = true;

/** Below this zoom, notes are drawn as sketches (text would be under ~5 px tall). */
const SKETCH_BELOW_SCALE = 0.35;

const isTouch = typeof window !== 'undefined' && window.matchMedia?.('(pointer: coarse)').matches;
/**
 * Other people's cursors cover the notes on a phone-sized or touch screen, where there is no
 * pointer of one's own to relate them to (docs/spec.md R129): not drawn there.
 */
const cursorsUnwanted = () => typeof window !== 'undefined' && (window.matchMedia?.('(max-width: 700px), (pointer: coarse)').matches ?? false);

const visibleNotesForTests = (notes: Note[], cols: Map<string, unknown>) => notes.filter((n) => cols.has(n.domainId));

export function Wall({ notes, domains, actions, privateIds, vote, followRect, onViewRect, projection, onControls, socket, relations = [], halos, onExporter, drafts = null }: WallProps) {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage(i18n.language);
  const container = useRef<HTMLDivElement>(null);
  const stageRef = useRef<Konva.Stage>(null);
  // 0×0 until the container is measured: the first zoom-to-fit must use the real screen size.
  const [size, setSize] = useState({ width: 0, height: 0 });
  const [selected, setSelected] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  /** Drawing a connector: the note it starts from, waiting for the note it goes to. */
  const [linkFrom, setLinkFrom] = useState<string | null>(null);
  const [selectedRelation, setSelectedRelation] = useState<string | null>(null);
  const vp = useViewport(stageRef);

  useEffect(() => {
    const el = container.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setSize({ width: el.clientWidth, height: el.clientHeight }));
    ro.observe(el);
    setSize({ width: el.clientWidth, height: el.clientHeight });
    return () => ro.disconnect();
  }, []);

  // Where each note is drawn: the column flow, so that no two notes cover each other (R128).
  const placed = useMemo(() => flowLayout(notes), [notes]);
  const at = useCallback((n: Note): Placed => placed.get(n.id) ?? { x: n.x, y: n.y, height: noteHeight(n.text) }, [placed]);
  const columns = useMemo(() => columnGeometry(domains, notes, placed), [domains, notes, placed]);
  const columnIndex = useMemo(() => new Map(columns.map((c) => [c.domain.id, c])), [columns]);
  const bounds = useMemo(() => wallBounds(columns), [columns]);
  const counts = useMemo(() => {
    const m = new Map<string, number>();
    for (const n of notes) m.set(n.domainId, (m.get(n.domainId) ?? 0) + 1);
    return m;
  }, [notes]);

  // Fit the wall once, when it first has columns; fit again when the space it has changes (a
  // panel docked beside it, a window resized) as long as nobody moved or zoomed the view since
  // (R127): re-fitting after someone zoomed in would take their place away.
  // A banner coming or going changes the height by a few lines: not worth moving everything under
  // the pointer of someone about to click; a panel docking or a resized window is.
  const fitted = useRef(false);
  const autoFit = useRef(true);
  const fitSize = useRef({ width: 0, height: 0 });
  useEffect(() => {
    if (!columns.length || size.width <= 0) return;
    const last = fitSize.current;
    const changed = size.width !== last.width || Math.abs(size.height - last.height) > last.height * 0.15;
    if (!fitted.current || (autoFit.current && changed)) {
      fitted.current = true;
      fitSize.current = size;
      vp.fit(bounds);
    }
    // Bounds are left out on purpose: a note added must not yank the view back.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [columns.length, size, vp]);
  const userMoved = useCallback(() => void (autoFit.current = false), []);

  const fitRef = useRef(() => vp.fit(bounds));
  fitRef.current = () => {
    autoFit.current = true;
    vp.fit(bounds);
  };
  useEffect(() => {
    onControls?.({
      zoomIn: () => {
        autoFit.current = false;
        vp.zoomBy(1.25);
      },
      zoomOut: () => {
        autoFit.current = false;
        vp.zoomBy(0.8);
      },
      fit: () => fitRef.current(),
    });
  }, [onControls, vp]);

  // PNG export draws every note, not only those in view: culling is off while it runs.
  const [drawAll, setDrawAll] = useState(false);
  const exportInfo = useRef({ bounds, count: 0 });
  exportInfo.current = { bounds, count: notes.filter((n) => columnIndex.has(n.domainId)).length };
  useEffect(() => {
    if (!onExporter) return;
    onExporter(
      createWallExporter({
        stage: () => stageRef.current,
        bounds: () => exportInfo.current.bounds,
        drawAll: setDrawAll,
        noteCount: () => exportInfo.current.count,
      }),
    );
    return () => onExporter(null);
  }, [onExporter]);

  const sendCursor = useCursorSender(socket ?? null, actions.canWrite && !projection);
  const showCursors = useMemo(() => !projection && !cursorsUnwanted(), [projection]);
  const voting = !!vote?.open;
  const canWrite = actions.canWrite && !voting && !projection;
  const canEdit = useCallback((n: Note) => canWrite && actions.canEdit(n), [canWrite, actions]);

  // Follow-me: show the host's rectangle whenever it changes.
  useEffect(() => {
    if (followRect) {
      autoFit.current = false;
      vp.fit(followRect, 0);
    }
  }, [followRect, vp]);
  // The host's visible rectangle, for followers (the toolbar decides whether to broadcast it).
  const { x: vx0, y: vy0, scale: s0 } = vp.viewport;
  useEffect(() => {
    onViewRect?.({ x: -vx0 / s0, y: -vy0 / s0, width: size.width / s0, height: size.height / s0 });
  }, [vx0, vy0, s0, size.width, size.height, onViewRect]);

  const onDragEnd = useCallback(
    (id: string, pos: { x: number; y: number }, node: Konva.Node) => {
      const note = notes.find((n) => n.id === id);
      if (!note) return;
      const centerX = pos.x + LAYOUT.noteWidth / 2;
      const target = domains[columnAt(centerX, domains.length)];
      if (!target) {
        // Dropped between or outside columns: back to where it was.
        const col = columnIndex.get(note.domainId);
        const p = at(note);
        node.position({ x: (col?.rect.x ?? 0) + p.x, y: p.y });
        return;
      }
      // The drop sets the note's place in its column's reading order; the column flow draws it
      // there, in line with the others, never on top of one (R128).
      const patch = { domainId: target.id, x: LAYOUT.columnPadding, y: Math.max(LAYOUT.headerHeight, Math.round(pos.y)) };
      const settled = flowLayout(notes.map((n) => (n.id === id ? { ...n, ...patch } : n)), target.id).get(id);
      // React would not move the node back if its props end up unchanged: place it ourselves.
      if (settled) node.position({ x: columnX(domains.indexOf(target)) + settled.x, y: settled.y });
      void actions.update(id, patch);
    },
    [notes, domains, columnIndex, actions, at],
  );

  const onAdd = useCallback(
    (domainId: string) => {
      const slot = nextSlot(domainId, notes);
      setSelected(null);
      setEditing({ mode: 'new', domainId, ...slot, draftId: newDraftId() });
    },
    [notes],
  );

  const onEdit = useCallback(
    (id: string) => {
      const n = notes.find((x) => x.id === id);
      if (n && canEdit(n)) setEditing({ mode: 'edit', id, draftId: newDraftId() });
    },
    [notes, canEdit],
  );

  const selectedNote = selected ? notes.find((n) => n.id === selected) : undefined;

  // Keyboard: Delete removes the selected note (if it is ours), Escape clears the selection.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (editing) return;
      const tag = (e.target as HTMLElement | null)?.tagName;
      if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') return;
      if ((e.key === 'Delete' || e.key === 'Backspace') && selectedNote && canEdit(selectedNote)) {
        e.preventDefault();
        void actions.remove(selectedNote.id);
        setSelected(null);
      } else if (e.key === 'Escape') setSelected(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [editing, selectedNote, canEdit, actions]);

  // In a vote, a click on a note places a dot; while drawing a connector, it picks the target.
  const onSelect = useCallback(
    (id: string) => {
      setSelectedRelation(null);
      if (voting) vote?.cast(id, true);
      else if (linkFrom && linkFrom !== id) {
        const rel = actions.connect(linkFrom, id);
        setLinkFrom(null);
        setSelected(null);
        if (rel) setSelectedRelation(rel);
      } else setSelected(id);
    },
    [voting, vote, linkFrom, actions],
  );

  const anchors = useMemo(() => {
    const m = new Map<string, NoteAnchor>();
    for (const n of notes) {
      const col = columnIndex.get(n.domainId);
      if (!col) continue;
      const p = at(n);
      m.set(n.id, { x: col.rect.x + p.x, y: p.y, height: p.height });
    }
    return m;
  }, [notes, columnIndex, at]);

  // Culling: only notes intersecting the visible area (plus a margin) are drawn.
  const { x: vx, y: vy, scale } = vp.viewport;
  const view = {
    x: -vx / scale - 200,
    y: -vy / scale - 200,
    width: size.width / scale + 400,
    height: size.height / scale + 400,
  };
  const visible = notes.filter((n) => {
    const col = columnIndex.get(n.domainId);
    if (!col) return false;
    const p = at(n);
    return drawAll || intersects(view, { x: col.rect.x + p.x, y: p.y, width: LAYOUT.noteWidth, height: p.height });
  });

  const toScreen = (wx: number, wy: number) => ({ x: wx * scale + vx, y: wy * scale + vy });

  // Geometry for automated browser tests: positions, texts and counts, never names or emails
  // except as drawn on the canvas (texts()), which is how tests prove what the canvas shows.
  useEffect(() => {
    (window as unknown as { __maillage?: unknown }).__maillage = {
      notes: () =>
        visibleNotesForTests(notes, columnIndex).map((n) => {
          const col = columnIndex.get(n.domainId);
          const a = at(n);
          const p = toScreen((col?.rect.x ?? 0) + a.x, a.y);
          return {
            id: n.id,
            domainId: n.domainId,
            text: n.text,
            private: privateIds?.has(n.id) ?? false,
            dots: vote?.counts[n.id] ?? 0,
            x: p.x,
            y: p.y,
            width: LAYOUT.noteWidth * scale,
            height: a.height * scale,
          };
        }),
      columns: () =>
        columns.map((c) => {
          const p = toScreen(c.rect.x, c.rect.y);
          const add = toScreen(c.rect.x + c.rect.width - 34, c.rect.y + 30);
          return { id: c.domain.id, title: c.domain.title[lang] || c.domain.title.fr, x: p.x, y: p.y, width: c.rect.width * scale, height: c.rect.height * scale, add, canAdd: canWrite };
        }),
      texts: () => (stageRef.current?.find('Text') ?? []).map((n) => (n as Konva.Text).text()),
      relations: () => relations.map((r) => ({ id: r.id, from: r.from, to: r.to, label: r.label })),
      halos: () => Array.from(halos ?? new Map(), ([id, h]) => ({ id, ...h })),
      // Layer order, bottom first (connectors must sit above notes, R124) and whether remote
      // cursors are drawn on this screen (R129).
      layers: () => (stageRef.current?.getLayers() ?? []).map((l) => l.name()),
      cursorsShown: showCursors,
    };
  });

  let editor: React.ReactNode = null;
  if (editing) {
    const isNew = editing.mode === 'new';
    const note = isNew ? undefined : notes.find((n) => n.id === editing.id);
    const domainId = isNew ? editing.domainId : note?.domainId;
    const col = domainId ? columnIndex.get(domainId) : undefined;
    if (col && (isNew || note)) {
      const wx = col.rect.x + (isNew ? editing.x : at(note as Note).x);
      const wy = isNew ? editing.y : at(note as Note).y;
      const p = toScreen(wx, wy);
      const title = col.domain.title[lang] || col.domain.title.fr;
      editor = (
        <NoteEditor
          key={editing.draftId}
          initial={note?.text ?? ''}
          rect={{ x: p.x, y: p.y, width: LAYOUT.noteWidth * scale, height: noteHeight(note?.text ?? '') * scale }}
          scale={scale}
          label={isNew ? t('wall.addNoteIn', { domain: title }) : t('wall.editNote')}
          drafts={drafts}
          draftId={editing.draftId}
          place={isNew ? { domainId: editing.domainId, x: editing.x, y: editing.y } : { domainId: (note as Note).domainId, editOf: editing.id }}
          locked={actions.locked}
          onClose={() => setEditing(null)}
          onSubmit={async (text) => {
            const r = await actions.submit(
              isNew ? { text, domainId: editing.domainId, x: editing.x, y: editing.y } : { text, domainId: (note as Note).domainId, editOf: editing.id },
              editing.draftId,
            );
            if (r.status === 'posted' && isNew) setSelected(r.id);
            return r;
          }}
        />
      );
    }
  }

  return (
    <div className="wall" ref={container} role="region" aria-label={t('wall.canvasLabel')}>
      <Stage
        ref={stageRef}
        width={size.width}
        height={size.height}
        draggable
        onDragMove={(e) => {
          if (e.target !== stageRef.current) return;
          userMoved();
          vp.publish();
        }}
        onDragEnd={(e) => e.target === stageRef.current && vp.publish()}
        onWheel={(e) => {
          userMoved();
          vp.onWheel(e);
        }}
        onTouchMove={(e) => {
          if (e.evt.touches.length > 1) userMoved();
          vp.onTouchMove(e);
        }}
        onTouchEnd={vp.onTouchEnd}
        onMouseDown={(e) => {
          if (e.target !== stageRef.current) return;
          setSelected(null);
          setSelectedRelation(null);
        }}
        onMouseMove={sendCursor}
        onTap={(e) => e.target === stageRef.current && setSelected(null)}
      >
        <Layer name="columns">
          {columns.map((c) => (
            <DomainColumn
              key={c.domain.id}
              id={c.domain.id}
              title={c.domain.title[lang] || c.domain.title.fr}
              color={c.domain.color}
              rect={c.rect}
              count={counts.get(c.domain.id) ?? 0}
              canAdd={canWrite}
              large={projection ?? false}
              addLabel={t('wall.addNote')}
              onAdd={onAdd}
            />
          ))}
        </Layer>
        <Layer name="notes">
          {visible.map((n) => {
            const col = columnIndex.get(n.domainId);
            const p = at(n);
            return (
              <NoteCard
                key={n.id}
                note={n}
                x={(col?.rect.x ?? 0) + p.x}
                y={p.y}
                height={p.height}
                selected={n.id === selected}
                draggable={canEdit(n) && (!isTouch || n.id === selected)}
                isPrivate={privateIds?.has(n.id) ?? false}
                halo={halos?.get(n.id)}
                dots={vote?.counts[n.id] ?? 0}
                myDots={vote ? vote.mine.filter((x) => x === n.id).length : 0}
                large={projection ?? false}
                sketch={!projection && scale < SKETCH_BELOW_SCALE}
                onSelect={onSelect}
                onEdit={onEdit}
                onDragEnd={onDragEnd}
              />
            );
          })}
        </Layer>
        {/* Connectors and their labels above the notes: a label under a note is never read (R124). */}
        <RelationLayer relations={relations} anchors={anchors} selected={selectedRelation} scale={scale} onSelect={(id) => { setSelected(null); setSelectedRelation(id); }} />
        {showCursors && <CursorLayer socket={socket ?? null} scale={scale} />}
      </Stage>
      {editor}
      <NoteActionBar
        relations={relations}
        selectedRelation={selectedRelation}
        setSelectedRelation={setSelectedRelation}
        linkFrom={linkFrom}
        setLinkFrom={setLinkFrom}
        selectedNote={selectedNote}
        editing={!!editing}
        setSelected={setSelected}
        anchors={anchors}
        actions={actions}
        canEdit={canEdit}
        onEdit={onEdit}
        notePosition={(n) => ({ x: (columnIndex.get(n.domainId)?.rect.x ?? 0) + at(n).x, y: at(n).y })}
        toScreen={toScreen}
      />
    </div>
  );
}
