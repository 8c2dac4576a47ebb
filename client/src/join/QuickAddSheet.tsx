/**
 * Phone-first "add an activity": a bottom sheet with the text and a domain picker that places the
 * note in the chosen domain without any dragging.
 *
 * A native modal `<dialog>`, so focus stays inside it and Escape (or a tap on the dimmed wall)
 * closes it; focus then goes back to whatever opened it. The last domain chosen is offered again
 * next time: people tend to post several activities under the same domain in a row.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LIMITS, type Domain, type Note } from '@maillage/shared';
import type { Language } from '../i18n/index.ts';
import type { NoteActions } from '../wall/actions.ts';
import { nextSlotOf } from '../phone/deferred.tsx';
import { newDraftId, type DraftStore } from '../sync/drafts.ts';
import { useDraft } from '../wall/useDraft.ts';
import { DraftNotice } from '../wall/DraftNotice.tsx';

let lastDomainId: string | null = null;

export interface QuickAddSheetProps {
  domains: Domain[];
  notes: Note[];
  actions: NoteActions;
  lang: Language;
  /** Where the text is kept while typed, and while the wall is locked (docs/spec.md R64). */
  drafts: DraftStore | null;
  /** The domain to offer first (the phone view's "add in this domain"); else the last one chosen. */
  domainId?: string;
  onClose(): void;
}

export function QuickAddSheet({ domains, notes, actions, lang, drafts, domainId: preset, onClose }: QuickAddSheetProps) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  const [draftId] = useState(newDraftId);
  const [domainId, setDomainId] = useState(() => [preset, lastDomainId].find((id) => domains.some((d) => d.id === id)) ?? domains[0]?.id ?? '');
  const draft = useDraft(drafts, draftId, { domainId }, '', onClose);
  const { text } = draft;
  const [busy, setBusy] = useState(false);
  // The Cancel button drops the text (a choice); Escape or a tap on the dimmed wall — easy to do
  // by accident on a phone — leave it in the drafts tray. A note kept for a locked wall stays
  // queued either way unless cancelled.
  const cancel = () => {
    if (!draft.kept) draft.discard();
    onClose();
  };

  useLayoutEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    return () => {
      d?.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  // The domain list can change under us (the host edits it): keep a valid choice.
  useEffect(() => {
    if (!domains.some((d) => d.id === domainId)) setDomainId(domains[0]?.id ?? '');
  }, [domains, domainId]);

  const left = LIMITS.noteText - text.length;
  return (
    <dialog
      ref={dialog}
      className="sheet"
      aria-labelledby="quick-add-title"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      // A tap on the backdrop lands on the dialog element itself, outside its form.
      onClick={(e) => e.target === e.currentTarget && onClose()}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const v = text.trim();
          if (!v || !domainId || busy) return;
          setBusy(true);
          lastDomainId = domainId;
          void nextSlotOf(domainId, notes)
            .then((slot) => actions.submit({ text: v, domainId, ...slot }, draftId))
            .then((r) => draft.settle(r) && onClose())
            .finally(() => setBusy(false));
        }}
      >
        <h2 id="quick-add-title">{t('wall.quickAdd')}</h2>
        <label>
          {t('wall.activity')}
          <textarea
            name="text"
            value={text}
            maxLength={LIMITS.noteText}
            onChange={(e) => draft.setText(e.target.value)}
            placeholder={t('wall.notePlaceholder')}
            rows={3}
            autoFocus
            aria-describedby="quick-add-left"
          />
        </label>
        <p id="quick-add-left" className="muted small" aria-live="polite">
          {left < 100 ? t('phone.charactersLeft', { count: left }) : ''}
        </p>
        <label>
          {t('wall.domain')}
          <select name="domain" value={domainId} onChange={(e) => setDomainId(e.target.value)}>
            {domains.map((d) => (
              <option key={d.id} value={d.id}>
                {d.title[lang] || d.title.fr}
              </option>
            ))}
          </select>
        </label>
        <DraftNotice locked={actions.locked} kept={draft.kept} />
        <div className="row-end">
          <button type="button" onClick={cancel}>
            {draft.kept ? t('wall.close') : t('wall.cancel')}
          </button>
          <button type="submit" className="primary" disabled={!text.trim() || busy}>
            {actions.locked ? t('drafts.keep') : t('wall.addNote')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
