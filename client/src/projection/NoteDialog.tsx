/**
 * A note opened in full on the projector (docs/spec.md R190): a click or tap on any projected
 * note shows its whole text in large type, with author, organization, domain and votes, so a text
 * drawn small in the overview (or cut on a crowded page) is always readable somewhere.
 * Escape, the close button or a click outside closes it; nothing else reacts to keys meanwhile.
 */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Domain, Note } from '@maillage/shared';
import type { Language } from '../i18n/index.ts';

export function NoteDialog({ note, domain, votes, lang, onClose }: { note: Note; domain: Domain | undefined; votes: number; lang: Language; onClose(): void }) {
  const { t } = useTranslation();
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    closeRef.current?.focus();
    // Captured before the page's own keys: Escape here closes the note, not the projection.
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
      if (e.key === 'Tab' || e.key === 'Enter') return;
      e.stopPropagation();
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [onClose]);
  const who = [note.author, note.org].filter(Boolean).join(' · ');
  return (
    <div className="projection-note-backdrop" onClick={onClose} data-testid="projection-note-dialog">
      <div className="projection-note-full" role="dialog" aria-modal="true" aria-label={note.text.slice(0, 60)} style={{ background: note.color }} onClick={(e) => e.stopPropagation()}>
        <p className="pnf-text">{note.text}</p>
        <p className="pnf-meta">
          {who}
          {domain && <span> — {domain.title[lang] || domain.title.fr}</span>}
          {votes > 0 && <strong> — {t('projection.noteVotes', { count: votes })}</strong>}
        </p>
        <button ref={closeRef} type="button" onClick={onClose}>
          {t('projection.close')}
        </button>
      </div>
    </div>
  );
}
