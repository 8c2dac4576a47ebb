/**
 * The canvas: domain columns side by side, notes inside them, pan/zoom, drag between columns,
 * in-place editing. Only what is in view is drawn (culling), and note components are memoised,
 * so a 5,000-note wall pans as smoothly as a small one.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Layer, Stage } from 'react-konva';
import type Konva from 'konva';
import type * as Y from 'yjs';
import { useTranslation } from 'react-i18next';
import {
  addNote,
  columnAt,
  columnX,
  deleteNote,
  updateNote,
  LAYOUT,
  MaillageError,
  type Domain,
  type Note,
} from '@maillage/shared';
import { LOCAL_ORIGIN } from '../sync/connection.ts';
import { currentLanguage } from '../i18n/index.ts';
import { columnGeometry, intersects, nextSlot, noteHeight, wallBounds } from './geometry.ts';
import { useViewport } from './useViewport.ts';
import { NoteCard } from './NoteCard.tsx';
import { DomainColumn } from './DomainColumn.tsx';
import { NoteEditor } from './NoteEditor.tsx';
import type { Profile } from '../sync/profile.ts';

export interface WallProps {
  doc: Y.Doc;
  notes: Note[];
  domains: Domain[];
  profile: Profile | null;
  ownerId: string;
  canWrite: boolean;
  isHost: boolean;
  onError(message: string): void;
  /** Receives the zoom controls so the toolbar can drive them. */
  onControls?(c: { zoomIn(): void; zoomOut(): void; fit(): void }): void;
}

type Editing = { mode: 'new'; domainId: string; x: number; y: number } | { mode: 'edit'; id: string };

const isTouch = typeof window !== 'undefined' && window.matchMedia?.('(pointer: coarse)').matches;

export function Wall({ doc, notes, domains, profile, ownerId, canWrite, isHost, onError, onControls }: WallProps) {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage(i18n.language);
  const container = useRef<HTMLDivElement>(null);
  const stageRef = useRef<Konva.Stage>(null);
  const [size, setSize] = useState({ width: 800, height: 600 });
  const [selected, setSelected] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  const vp = useViewport(stageRef);

  useEffect(() => {
    const el = container.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setSize({ width: el.clientWidth, height: el.clientHeight }));
    ro.observe(el);
    setSize({ width: el.clientWidth, height: el.clientHeight });
    return () => ro.disconnect();
  }, []);

  const columns = useMemo(() => columnGeometry(domains, notes), [domains, notes]);
  const columnIndex = useMemo(() => new Map(columns.map((c) => [c.domain.id, c])), [columns]);
  const bounds = useMemo(() => wallBounds(columns), [columns]);
  const counts = useMemo(() => {
    const m = new Map<string, number>();
    for (const n of notes) m.set(n.domainId, (m.get(n.domainId) ?? 0) + 1);
    return m;
  }, [notes]);

  // Fit the wall once, when it first has columns.
  const fitted = useRef(false);
  useEffect(() => {
    if (!fitted.current && columns.length && size.width > 0) {
      fitted.current = true;
      vp.fit(bounds);
    }
  }, [columns.length, bounds, size.width, vp]);

  const fitRef = useRef(() => vp.fit(bounds));
  fitRef.current = () => vp.fit(bounds);
  useEffect(() => {
    onControls?.({ zoomIn: () => vp.zoomBy(1.25), zoomOut: () => vp.zoomBy(0.8), fit: () => fitRef.current() });
  }, [onControls, vp]);

  const canEdit = useCallback((n: Note) => canWrite && (isHost || n.ownerId === ownerId), [canWrite, isHost, ownerId]);

  const guard = useCallback(
    (fn: () => void) => {
      try {
        fn();
      } catch (e) {
        onError(e instanceof MaillageError ? e.message : String(e));
      }
    },
    [onError],
  );

  const onDragEnd = useCallback(
    (id: string, pos: { x: number; y: number }, node: Konva.Node) => {
      const note = notes.find((n) => n.id === id);
      if (!note) return;
      const centerX = pos.x + LAYOUT.noteWidth / 2;
      const target = domains[columnAt(centerX, domains.length)];
      if (!target) {
        // Dropped between or outside columns: back to where it was.
        const col = columnIndex.get(note.domainId);
        node.position({ x: (col?.rect.x ?? 0) + note.x, y: note.y });
        return;
      }
      const origin = columnX(domains.indexOf(target));
      guard(() =>
        updateNote(
          doc,
          id,
          { domainId: target.id, x: Math.round(pos.x - origin), y: Math.max(LAYOUT.headerHeight, Math.round(pos.y)) },
          LOCAL_ORIGIN,
        ),
      );
    },
    [notes, domains, columnIndex, doc, guard],
  );

  const onAdd = useCallback(
    (domainId: string) => {
      const slot = nextSlot(domainId, notes);
      setSelected(null);
      setEditing({ mode: 'new', domainId, ...slot });
    },
    [notes],
  );

  const onEdit = useCallback(
    (id: string) => {
      const n = notes.find((x) => x.id === id);
      if (n && canEdit(n)) setEditing({ mode: 'edit', id });
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
        deleteNote(doc, selectedNote.id, LOCAL_ORIGIN);
        setSelected(null);
      } else if (e.key === 'Escape') setSelected(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [editing, selectedNote, canEdit, doc]);

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
    return intersects(view, { x: col.rect.x + n.x, y: n.y, width: LAYOUT.noteWidth, height: noteHeight(n.text) });
  });

  const toScreen = (wx: number, wy: number) => ({ x: wx * scale + vx, y: wy * scale + vy });

  // Geometry for automated browser tests: positions only, never names or emails.
  useEffect(() => {
    (window as unknown as { __maillage?: unknown }).__maillage = {
      notes: () =>
        notes.map((n) => {
          const col = columnIndex.get(n.domainId);
          const p = toScreen((col?.rect.x ?? 0) + n.x, n.y);
          return { id: n.id, domainId: n.domainId, text: n.text, x: p.x, y: p.y, width: LAYOUT.noteWidth * scale, height: noteHeight(n.text) * scale };
        }),
      columns: () =>
        columns.map((c) => {
          const p = toScreen(c.rect.x, c.rect.y);
          const add = toScreen(c.rect.x + c.rect.width - 34, c.rect.y + 30);
          return { id: c.domain.id, x: p.x, y: p.y, width: c.rect.width * scale, height: c.rect.height * scale, add };
        }),
    };
  });

  let editor: React.ReactNode = null;
  if (editing) {
    const isNew = editing.mode === 'new';
    const note = isNew ? undefined : notes.find((n) => n.id === editing.id);
    const domainId = isNew ? editing.domainId : note?.domainId;
    const col = domainId ? columnIndex.get(domainId) : undefined;
    if (col && (isNew || note)) {
      const wx = col.rect.x + (isNew ? editing.x : (note as Note).x);
      const wy = isNew ? editing.y : (note as Note).y;
      const p = toScreen(wx, wy);
      const title = col.domain.title[lang] || col.domain.title.fr;
      editor = (
        <NoteEditor
          key={isNew ? `new-${editing.domainId}` : editing.id}
          initial={note?.text ?? ''}
          rect={{ x: p.x, y: p.y, width: LAYOUT.noteWidth * scale, height: noteHeight(note?.text ?? '') * scale }}
          scale={scale}
          label={isNew ? t('wall.addNoteIn', { domain: title }) : t('wall.editNote')}
          onCancel={() => setEditing(null)}
          onSave={(text) => {
            setEditing(null);
            guard(() => {
              if (editing.mode === 'new') {
                const id = addNote(
                  doc,
                  {
                    text,
                    domainId: editing.domainId,
                    x: editing.x,
                    y: editing.y,
                    author: profile?.author ?? '',
                    email: profile?.email ?? '',
                    org: profile?.org ?? '',
                    color: profile?.color,
                    ownerId,
                  },
                  LOCAL_ORIGIN,
                );
                setSelected(id);
              } else updateNote(doc, editing.id, { text }, LOCAL_ORIGIN);
            });
          }}
        />
      );
    }
  }

  let actions: React.ReactNode = null;
  if (selectedNote && !editing && canEdit(selectedNote)) {
    const col = columnIndex.get(selectedNote.domainId);
    const p = toScreen((col?.rect.x ?? 0) + selectedNote.x, selectedNote.y);
    actions = (
      <div className="note-actions" style={{ left: p.x, top: Math.max(0, p.y - 44) }} role="toolbar">
        <button type="button" onClick={() => onEdit(selectedNote.id)}>
          {t('wall.editNote')}
        </button>
        <button
          type="button"
          className="danger"
          onClick={() => {
            deleteNote(doc, selectedNote.id, LOCAL_ORIGIN);
            setSelected(null);
          }}
        >
          {t('wall.deleteNote')}
        </button>
      </div>
    );
  }

  return (
    <div className="wall" ref={container}>
      <Stage
        ref={stageRef}
        width={size.width}
        height={size.height}
        draggable
        onDragMove={(e) => e.target === stageRef.current && vp.publish()}
        onDragEnd={(e) => e.target === stageRef.current && vp.publish()}
        onWheel={vp.onWheel}
        onTouchMove={vp.onTouchMove}
        onTouchEnd={vp.onTouchEnd}
        onMouseDown={(e) => e.target === stageRef.current && setSelected(null)}
        onTap={(e) => e.target === stageRef.current && setSelected(null)}
      >
        <Layer>
          {columns.map((c) => (
            <DomainColumn
              key={c.domain.id}
              id={c.domain.id}
              title={c.domain.title[lang] || c.domain.title.fr}
              color={c.domain.color}
              rect={c.rect}
              count={counts.get(c.domain.id) ?? 0}
              canAdd={canWrite}
              addLabel={t('wall.addNote')}
              onAdd={onAdd}
            />
          ))}
        </Layer>
        <Layer>
          {visible.map((n) => {
            const col = columnIndex.get(n.domainId);
            return (
              <NoteCard
                key={n.id}
                note={n}
                x={(col?.rect.x ?? 0) + n.x}
                y={n.y}
                height={noteHeight(n.text)}
                selected={n.id === selected}
                draggable={canEdit(n) && (!isTouch || n.id === selected)}
                onSelect={setSelected}
                onEdit={onEdit}
                onDragEnd={onDragEnd}
              />
            );
          })}
        </Layer>
      </Stage>
      {editor}
      {actions}
    </div>
  );
}
