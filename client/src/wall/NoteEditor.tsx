/**
 * Editing a note's text in place: an HTML textarea laid over the note (a canvas cannot host a
 * caret, an IME or a screen reader). Enter saves, Shift+Enter adds a line, Escape cancels.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LIMITS } from '@maillage/shared';

export interface NoteEditorProps {
  initial: string;
  /** Screen rectangle of the note (CSS pixels, relative to the wall container). */
  rect: { x: number; y: number; width: number; height: number };
  scale: number;
  label: string;
  onSave(text: string): void;
  onCancel(): void;
}

export function NoteEditor({ initial, rect, scale, label, onSave, onCancel }: NoteEditorProps) {
  const { t } = useTranslation();
  const [text, setText] = useState(initial);
  const ref = useRef<HTMLTextAreaElement>(null);
  const done = useRef(false);
  useEffect(() => {
    ref.current?.focus();
    ref.current?.select();
  }, []);
  const save = () => {
    if (done.current) return;
    done.current = true;
    const v = text.trim();
    if (v) onSave(v);
    else onCancel();
  };
  const left = LIMITS.noteText - text.length;
  const fontSize = Math.max(14, 15 * scale);
  return (
    <div
      className="note-editor"
      style={{ left: rect.x, top: rect.y, width: Math.max(rect.width, 220), minHeight: Math.max(rect.height, 120) }}
    >
      <textarea
        ref={ref}
        aria-label={label}
        placeholder={t('wall.notePlaceholder')}
        value={text}
        maxLength={LIMITS.noteText}
        style={{ fontSize }}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey) {
            e.preventDefault();
            save();
          } else if (e.key === 'Escape') {
            e.preventDefault();
            done.current = true;
            onCancel();
          }
        }}
      />
      <div className="note-editor-bar">
        <span className="muted" aria-live="polite">
          {left < 100 ? t('wall.charactersLeft', { count: left }) : ''}
        </span>
        <button type="button" onMouseDown={(e) => e.preventDefault()} onClick={() => { done.current = true; onCancel(); }}>
          {t('wall.cancel')}
        </button>
        <button type="button" className="primary" onMouseDown={(e) => e.preventDefault()} onClick={save}>
          {t('wall.save')}
        </button>
      </div>
    </div>
  );
}
