/**
 * The small toolbar over the canvas for what is selected (docs/spec.md R124): a connector's label
 * and delete button, the "pick the target" hint while drawing one, or a note's edit / connect /
 * delete buttons. Positioned in screen pixels above the selection; nothing when there is none.
 */
import { useTranslation } from 'react-i18next';
import { LAYOUT, type Note, type Relation } from '@maillage/shared';
import type { NoteActions } from './actions.ts';
import type { NoteAnchor } from './RelationLayer.tsx';

export interface NoteActionBarProps {
  relations: Relation[];
  selectedRelation: string | null;
  setSelectedRelation(id: string | null): void;
  linkFrom: string | null;
  setLinkFrom(id: string | null): void;
  /** The selected note, when no editor is open over it. */
  selectedNote: Note | undefined;
  editing: boolean;
  setSelected(id: string | null): void;
  anchors: ReadonlyMap<string, NoteAnchor & { height: number }>;
  actions: NoteActions;
  canEdit(n: Note): boolean;
  onEdit(id: string): void;
  /** Where a note is drawn, in wall coordinates. */
  notePosition(n: Note): { x: number; y: number };
  toScreen(wx: number, wy: number): { x: number; y: number };
}

export function NoteActionBar({ relations, selectedRelation, setSelectedRelation, linkFrom, setLinkFrom, selectedNote, editing, setSelected, anchors, actions, canEdit, onEdit, notePosition, toScreen }: NoteActionBarProps) {
  const { t } = useTranslation();
  const rel = selectedRelation ? relations.find((r) => r.id === selectedRelation) : undefined;
  if (rel && actions.canEditRelation(rel)) {
    const a = anchors.get(rel.from);
    const b = anchors.get(rel.to);
    if (a && b) {
      const p = toScreen((a.x + b.x) / 2 + LAYOUT.noteWidth / 2, (a.y + b.y) / 2 + a.height / 2);
      return (
        <div className="note-actions relation-actions" style={{ left: p.x, top: Math.max(0, p.y - 50) }} role="toolbar" aria-label={t('wall.connector')}>
          <input
            key={rel.id}
            aria-label={t('wall.connectorLabel')}
            placeholder={t('wall.connectorPlaceholder')}
            defaultValue={rel.label}
            maxLength={80}
            list="relation-labels"
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                actions.relabel(rel.id, (e.target as HTMLInputElement).value);
                setSelectedRelation(null);
              }
            }}
            onBlur={(e) => e.target.value !== rel.label && actions.relabel(rel.id, e.target.value)}
          />
          <datalist id="relation-labels">
            <option value={t('wall.relComplements')} />
            <option value={t('wall.relSameAudience')} />
            <option value={t('wall.relSamePlace')} />
          </datalist>
          <button type="button" className="danger" onClick={() => { actions.disconnect(rel.id); setSelectedRelation(null); }}>
            {t('wall.deleteNote')}
          </button>
        </div>
      );
    }
  } else if (linkFrom) {
    const a = anchors.get(linkFrom);
    if (a) {
      const p = toScreen(a.x, a.y);
      return (
        <div className="note-actions" style={{ left: p.x, top: Math.max(0, p.y - 44) }} role="status">
          <span className="hint">{t('wall.pickTarget')}</span>
          <button type="button" onClick={() => setLinkFrom(null)}>
            {t('wall.cancel')}
          </button>
        </div>
      );
    }
  } else if (selectedNote && !editing && canEdit(selectedNote)) {
    const sp = notePosition(selectedNote);
    const p = toScreen(sp.x, sp.y);
    return (
      <div className="note-actions" style={{ left: p.x, top: Math.max(0, p.y - 44) }} role="toolbar">
        <button type="button" onClick={() => onEdit(selectedNote.id)}>
          {t('wall.editNote')}
        </button>
        <button type="button" onClick={() => setLinkFrom(selectedNote.id)} aria-pressed={linkFrom === selectedNote.id}>
          {t('wall.connect')}
        </button>
        <button
          type="button"
          className="danger"
          onClick={() => {
            void actions.remove(selectedNote.id);
            setSelected(null);
          }}
        >
          {t('wall.deleteNote')}
        </button>
      </div>
    );
  }
  return null;
}
