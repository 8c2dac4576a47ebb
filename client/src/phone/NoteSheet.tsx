/**
 * One note, opened from the phone view (R103): its whole text, who wrote it, and everything one
 * may do with it, as buttons at least 44 px tall — vote, edit, move to another domain (a list of
 * whole domain titles: no dragging, no precision), delete (confirmed).
 *
 * Every write goes through `actions`, so the sheet obeys the same role, lock and ownership rules
 * as the canvas and the list.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LIMITS, type Domain, type Note } from '@maillage/shared';
import type { Language } from '../i18n/index.ts';
import type { NoteActions } from '../wall/actions.ts';
import { newDraftId } from '../sync/drafts.ts';
import type { VoteView } from '../wall/Wall.tsx';
import { Sheet } from './Sheet.tsx';
import { DomainPicker, domainTitle } from './DomainPicker.tsx';

export interface NoteSheetProps {
  note: Note;
  domains: readonly Domain[];
  lang: Language;
  actions: NoteActions;
  mine: boolean;
  isPrivate: boolean;
  /** The author's email if the server sent it to this viewer, else ''. */
  email: string;
  vote: VoteView | null;
  onMove(domainId: string): Promise<void>;
  onDeleted(): void;
  /** A sentence for the page's live region (and its toast). */
  onMessage(m: string): void;
  onClose(): void;
}

type Mode = 'view' | 'edit' | 'move' | 'confirm';

export function NoteSheet({ note, domains, lang, actions, mine, isPrivate, email, vote, onMove, onDeleted, onMessage, onClose }: NoteSheetProps) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<Mode>('view');
  const [text, setText] = useState(note.text);
  const [busy, setBusy] = useState(false);
  const canEdit = actions.canEdit(note);
  const domain = domains.find((d) => d.id === note.domainId);
  const byline = [note.author, note.org, email].filter(Boolean).join(' · ');
  const dots = vote?.counts[note.id] ?? 0;
  const myDots = vote?.mine.filter((id) => id === note.id).length ?? 0;

  const save = async () => {
    const v = text.trim();
    if (!v || busy) return;
    if (v === note.text) return setMode('view');
    setBusy(true);
    // Through submit: on a wall locked meanwhile, the new text waits as a draft instead of being lost.
    const r = await actions.submit({ text: v, domainId: note.domainId, editOf: note.id }, newDraftId());
    setBusy(false);
    onMessage(r.status === 'posted' ? t('list.saved') : r.reason === 'locked' ? t('drafts.keptLocked') : t('drafts.keptFailed'));
    setMode('view');
  };

  return (
    <Sheet title={domainTitle(domain, lang)} onClose={onClose} className="note-sheet" testId="note-sheet">
      <article className="note-sheet-note" style={{ background: note.color }} data-note-id={note.id}>
        {mode === 'edit' ? (
          <label>
            {t('list.editLabel')}
            <textarea value={text} maxLength={LIMITS.noteText} rows={5} autoFocus onChange={(e) => setText(e.target.value)} />
          </label>
        ) : (
          <p className="note-sheet-text">{note.text}</p>
        )}
        <p className="note-sheet-meta">
          {byline}
          {mine && <span className="badge mine">{t('phone.mine')}</span>}
          {isPrivate && <span className="badge private">{t('list.private')}</span>}
          {dots > 0 && <span className="badge dots">{t('phone.dots', { count: dots })}</span>}
        </p>
      </article>

      {mode === 'view' && (
        <div className="sheet-actions">
          {vote?.open && (
            <>
              <button type="button" className="primary" onClick={() => vote.cast(note.id, true)} data-testid="vote-add">
                {t('phone.vote')}
              </button>
              {myDots > 0 && (
                <button type="button" onClick={() => vote.cast(note.id, false)} data-testid="vote-remove">
                  {t('phone.unvote', { count: myDots })}
                </button>
              )}
            </>
          )}
          {canEdit && (
            <>
              <button type="button" onClick={() => (setText(note.text), setMode('edit'))}>
                {t('wall.editNote')}
              </button>
              <button type="button" onClick={() => setMode('move')}>
                {t('phone.moveTo')}
              </button>
              <button type="button" className="danger" onClick={() => setMode('confirm')}>
                {t('wall.deleteNote')}
              </button>
            </>
          )}
        </div>
      )}
      {mode === 'edit' && (
        <div className="sheet-actions">
          <button type="button" className="primary" disabled={!text.trim() || busy} onClick={() => void save()}>
            {t('wall.save')}
          </button>
          <button type="button" onClick={() => setMode('view')}>
            {t('wall.cancel')}
          </button>
        </div>
      )}
      {mode === 'move' && (
        <section aria-labelledby="move-heading" className="note-sheet-move">
          <h3 id="move-heading">{t('phone.moveTo')}</h3>
          <DomainPicker domains={domains} lang={lang} current={note.domainId} onPick={(id) => void onMove(id)} />
          <button type="button" onClick={() => setMode('view')}>
            {t('wall.cancel')}
          </button>
        </section>
      )}
      {mode === 'confirm' && (
        <div className="sheet-actions confirm" role="group" aria-label={t('list.confirmDelete')}>
          <p>{t('list.confirmDelete')}</p>
          <button
            type="button"
            className="danger"
            autoFocus
            onClick={() =>
              void actions.remove(note.id).then(() => {
                onMessage(t('list.deleted'));
                onDeleted();
              })
            }
          >
            {t('list.confirmYes')}
          </button>
          <button type="button" onClick={() => setMode('view')}>
            {t('wall.cancel')}
          </button>
        </div>
      )}
    </Sheet>
  );
}
