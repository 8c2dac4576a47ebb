/**
 * Editing a note's text in place: an HTML textarea laid over the note (a canvas cannot host a
 * caret, an IME or a screen reader). Enter saves, Shift+Enter adds a line, Escape cancels.
 *
 * What is typed is a draft from the first keystroke (useDraft): if the hosts lock the wall
 * meanwhile, the editor stays open with its text and says that the note will be posted when the
 * wall reopens; it then closes by itself once the page has posted it (docs/spec.md R64).
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LIMITS } from '@maillage/shared';
import type { DraftStore } from '../sync/drafts.ts';
import type { SubmitResult } from './actions.ts';
import { useDraft, type DraftPlace } from './useDraft.ts';
import { DraftNotice } from './DraftNotice.tsx';

export interface NoteEditorProps {
  initial: string;
  /** Screen rectangle of the note (CSS pixels, relative to the wall container). */
  rect: { x: number; y: number; width: number; height: number };
  scale: number;
  label: string;
  drafts: DraftStore | null;
  draftId: string;
  place: DraftPlace;
  /** A participant on a locked wall: submitting keeps the note until the wall reopens. */
  locked: boolean;
  onSubmit(text: string): Promise<SubmitResult>;
  /** The editor is done: saved, posted later by the page, or cancelled. */
  onClose(): void;
}

export function NoteEditor({ initial, rect, scale, label, drafts, draftId, place, locked, onSubmit, onClose }: NoteEditorProps) {
  const { t } = useTranslation();
  const draft = useDraft(drafts, draftId, place, initial, onClose);
  const { text } = draft;
  const ref = useRef<HTMLTextAreaElement>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    ref.current?.focus();
    ref.current?.select();
  }, []);
  const save = () => {
    if (busy) return;
    const v = text.trim();
    if (!v) {
      draft.discard();
      onClose();
      return;
    }
    setBusy(true);
    void onSubmit(v)
      .then((r) => draft.settle(r) && onClose())
      .finally(() => setBusy(false));
  };
  // Cancel drops what was typed — except a note already kept for the locked wall: closing the
  // editor then leaves it waiting in the tray.
  const cancel = () => {
    if (!draft.kept) draft.discard();
    onClose();
  };
  const left = LIMITS.noteText - text.length;
  const fontSize = Math.max(14, 15 * scale);
  return (
    <div
      className="note-editor"
      data-kept={draft.kept ?? undefined}
      style={{ left: rect.x, top: rect.y, width: Math.max(rect.width, 220), minHeight: Math.max(rect.height, 120) }}
    >
      <textarea
        ref={ref}
        aria-label={label}
        placeholder={t('wall.notePlaceholder')}
        value={text}
        maxLength={LIMITS.noteText}
        style={{ fontSize }}
        onChange={(e) => draft.setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey) {
            e.preventDefault();
            save();
          } else if (e.key === 'Escape') {
            e.preventDefault();
            cancel();
          }
        }}
      />
      <DraftNotice locked={locked} kept={draft.kept} />
      <div className="note-editor-bar">
        <span className="muted" aria-live="polite">
          {left < 100 ? t('phone.charactersLeft', { count: left }) : ''}
        </span>
        <button type="button" onMouseDown={(e) => e.preventDefault()} onClick={cancel}>
          {draft.kept ? t('wall.close') : t('wall.cancel')}
        </button>
        <button type="button" className="primary" onMouseDown={(e) => e.preventDefault()} onClick={save}>
          {locked ? t('drafts.keep') : t('wall.save')}
        </button>
      </div>
    </div>
  );
}
