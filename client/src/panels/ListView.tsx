/**
 * The wall as a list (domains → notes): everything the canvas does, reachable with a keyboard and
 * a screen reader — add a note to a domain, edit and delete one's own notes, move a note to
 * another domain. Also the review view's main reading surface.
 *
 * Every write goes through `actions`, so the list obeys the same role, lock and ownership rules as
 * the canvas. Focus is managed by hand because a moved note is a different DOM node in another
 * section: after a move the moved note takes the focus, after a delete its neighbour (or the
 * domain's heading) does, and a polite live region says what happened.
 */
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LIMITS, type Domain, type Note } from '@maillage/shared';
import type { Language } from '../i18n/index.ts';
import type { NoteActions, SubmitResult } from '../wall/actions.ts';
import { nextSlotOf } from '../phone/deferred.tsx';
import { usePhoneLayout } from '../phone/layout.ts';
import { PhoneWall } from '../phone/PhoneWall.tsx';
import type { VoteView } from '../wall/Wall.tsx';
import { newDraftId, type DraftStore } from '../sync/drafts.ts';
import { useDraft } from '../wall/useDraft.ts';
import { DraftNotice } from '../wall/DraftNotice.tsx';
import { emailOf } from '../sync/emails.ts';

export interface ListViewProps {
  notes: Note[];
  domains: Domain[];
  actions: NoteActions;
  lang: Language;
  privateIds?: ReadonlySet<string>;
  /**
   * Emails this viewer may see, by author id: the server's `contacts:list` (R85). Notes carry no
   * email; what the server did not send is not shown.
   */
  emails: Readonly<Record<string, string>>;
  /** Where the add fields keep their text (typed, or waiting for a locked wall to reopen). */
  drafts?: DraftStore | null;
  /** The dot vote, when one is on (the phone view votes from a note's sheet). */
  vote?: VoteView | null;
  /**
   * Whether the page is connected to the wall now (default true): a note written while it is not
   * is kept on this device and sent once connected, so the phone does not call it posted.
   */
  connected?: boolean;
}

type FocusTarget = { note: string } | { domain: string };

const headingId = (domainId: string) => `dom-${domainId}`;

/**
 * On a phone or a touch screen the list takes its phone form (readable cards, one sheet per note:
 * docs/spec.md R100–R104); elsewhere it is the keyboard list.
 */
export function ListView(props: ListViewProps) {
  const phone = usePhoneLayout();
  return phone ? <PhoneWall {...props} /> : <KeyboardList {...props} />;
}

function KeyboardList({ notes, domains, actions, lang, emails, privateIds, drafts = null }: ListViewProps) {
  const { t } = useTranslation();
  const root = useRef<HTMLDivElement>(null);
  const [announcement, setAnnouncement] = useState('');
  const [focusTarget, setFocusTarget] = useState<FocusTarget | null>(null);
  const titleOf = (d: Domain | undefined) => (d ? d.title[lang] || d.title.fr : '');

  const byDomain = useMemo(() => {
    const m = new Map<string, Note[]>();
    for (const n of notes) {
      const list = m.get(n.domainId);
      if (list) list.push(n);
      else m.set(n.domainId, [n]);
    }
    return m;
  }, [notes]);

  // The same sentence twice in a row would not be read again: alternate a zero-width suffix.
  const announce = (s: string) => setAnnouncement((prev) => (prev === s ? `${s}\u200b` : s));

  // Moves and deletes replace DOM nodes; focus the requested one once the document has caught up.
  useEffect(() => {
    if (!focusTarget) return;
    const sel = 'note' in focusTarget ? `[data-note-id="${CSS.escape(focusTarget.note)}"]` : `#${CSS.escape(headingId(focusTarget.domain))}`;
    const el = root.current?.querySelector<HTMLElement>(sel);
    if (el) {
      el.focus();
      setFocusTarget(null);
    }
  }, [focusTarget, notes]);

  const move = async (note: Note, domainId: string) => {
    if (domainId === note.domainId) return;
    await actions.update(note.id, { domainId, ...(await nextSlotOf(domainId, notes)) });
    announce(t('list.moved', { domain: titleOf(domains.find((d) => d.id === domainId)) }));
    setFocusTarget({ note: note.id });
  };

  const remove = async (note: Note) => {
    const siblings = byDomain.get(note.domainId) ?? [];
    const i = siblings.findIndex((n) => n.id === note.id);
    const next = siblings[i + 1] ?? siblings[i - 1];
    await actions.remove(note.id);
    announce(t('list.deleted'));
    setFocusTarget(next ? { note: next.id } : { domain: note.domainId });
  };

  return (
    <div className="list-view" ref={root}>
      <p className="sr-only" role="status" aria-live="polite" data-testid="list-status">
        {announcement}
      </p>
      {domains.length === 0 && <p className="muted">{t('list.noDomains')}</p>}
      {domains.map((d) => {
        const inDomain = byDomain.get(d.id) ?? [];
        const title = titleOf(d);
        return (
          <section key={d.id} aria-labelledby={headingId(d.id)} className="list-domain" data-domain-id={d.id}>
            <h2 id={headingId(d.id)} tabIndex={-1} style={{ borderColor: d.color }}>
              {title} <span className="muted small">({t('wall.notes', { count: inDomain.length })})</span>
            </h2>
            {inDomain.length === 0 ? (
              <p className="muted">{t('wall.emptyColumn')}</p>
            ) : (
              <ul>
                {inDomain.map((n) => (
                  <NoteItem
                    key={n.id}
                    note={n}
                    domains={domains}
                    lang={lang}
                    canEdit={actions.canEdit(n)}
                    isPrivate={privateIds?.has(n.id) ?? false}
                    email={emailOf(emails, n.ownerId)}
                    onSave={async (text) => {
                      // Through submit: on a wall locked while the edit was open, the new text
                      // waits in the drafts tray instead of being written and reverted.
                      const r = await actions.submit({ text, domainId: n.domainId, editOf: n.id }, newDraftId());
                      announce(r.status === 'posted' ? t('list.saved') : r.reason === 'locked' ? t('drafts.keptLocked') : t('drafts.keptFailed'));
                    }}
                    onMove={(domainId) => void move(n, domainId)}
                    onDelete={() => void remove(n)}
                  />
                ))}
              </ul>
            )}
            {actions.mayWrite && (
              <AddForm
                domainId={d.id}
                domainTitle={title}
                headingId={headingId(d.id)}
                drafts={drafts}
                locked={actions.locked}
                onAdded={() => announce(t('list.added', { domain: title }))}
                onAdd={async (text, draftId) => {
                  const r = await actions.submit({ text, domainId: d.id, ...(await nextSlotOf(d.id, notes)) }, draftId);
                  if (r.status === 'posted') announce(t('list.added', { domain: title }));
                  return r;
                }}
              />
            )}
          </section>
        );
      })}
    </div>
  );
}

interface AddFormProps {
  domainId: string;
  domainTitle: string;
  headingId: string;
  drafts: DraftStore | null;
  locked: boolean;
  onAdd(text: string, draftId: string): Promise<SubmitResult>;
  /** A note this field kept for a locked wall was posted when it reopened. */
  onAdded(): void;
}

/** One domain's add field; each note typed in it is a new draft (the field remounts after a post). */
function AddForm(props: AddFormProps) {
  const [draftId, setDraftId] = useState(newDraftId);
  const id = useId();
  return <AddField key={draftId} {...props} id={id} draftId={draftId} onDone={() => setDraftId(newDraftId())} />;
}

function AddField({ domainId, domainTitle, headingId, drafts, locked, onAdd, onAdded, id, draftId, onDone }: AddFormProps & { id: string; draftId: string; onDone(): void }) {
  const { t } = useTranslation();
  const draft = useDraft(drafts, draftId, { domainId }, '', () => {
    onAdded();
    onDone();
  });
  const { text } = draft;
  const [busy, setBusy] = useState(false);
  // After a post the field remounts empty: keep the focus in it for the next note.
  const input = useRef<HTMLInputElement>(null);
  return (
    <form
      className="list-add"
      onSubmit={(e) => {
        e.preventDefault();
        const v = text.trim();
        if (!v || busy) return;
        setBusy(true);
        void onAdd(v, draftId)
          .then((r) => {
            if (draft.settle(r)) {
              const focused = document.activeElement === input.current;
              onDone();
              if (focused) requestAnimationFrame(() => document.getElementById(id)?.focus());
            }
          })
          .finally(() => setBusy(false));
      }}
    >
      <label htmlFor={id} className="sr-only">
        {t('wall.addNoteIn', { domain: domainTitle })}
      </label>
      <input ref={input} id={id} value={text} maxLength={LIMITS.noteText} placeholder={t('wall.notePlaceholder')} onChange={(e) => draft.setText(e.target.value)} />
      <button type="submit" className="primary" aria-describedby={headingId}>
        {locked ? t('drafts.keep') : t('wall.addNote')}
      </button>
      <DraftNotice locked={locked && !!text.trim()} kept={draft.kept} />
    </form>
  );
}

interface NoteItemProps {
  note: Note;
  domains: Domain[];
  lang: Language;
  canEdit: boolean;
  isPrivate: boolean;
  /** The author's email if the server sent it to this viewer, else ''. */
  email: string;
  onSave(text: string): Promise<void>;
  onMove(domainId: string): void;
  onDelete(): void;
}

function NoteItem({ note, domains, lang, canEdit, isPrivate, email, onSave, onMove, onDelete }: NoteItemProps) {
  const { t } = useTranslation();
  const textId = useId();
  const [mode, setMode] = useState<'view' | 'edit' | 'confirm'>('view');
  const [draft, setDraft] = useState(note.text);
  const [target, setTarget] = useState(note.domainId);
  const editButton = useRef<HTMLButtonElement>(null);
  const deleteButton = useRef<HTMLButtonElement>(null);
  // Where focus goes when a mode ends: back to the button that opened it (mounted again by then).
  const returnTo = useRef<'edit' | 'delete' | null>(null);
  useEffect(() => {
    if (mode !== 'view' || !returnTo.current) return;
    (returnTo.current === 'edit' ? editButton : deleteButton).current?.focus();
    returnTo.current = null;
  }, [mode]);

  const close = (to: 'edit' | 'delete') => {
    returnTo.current = to;
    setMode('view');
  };
  const save = () => {
    const v = draft.trim();
    if (!v) return;
    close('edit');
    if (v !== note.text) void onSave(v);
  };

  const byline = [note.author, note.org, email].filter(Boolean).join(' · ');
  return (
    <li className="list-note" data-note-id={note.id} data-private={isPrivate || undefined} tabIndex={-1}>
      {mode === 'edit' ? (
        <div className="list-edit">
          <label>
            {t('list.editLabel')}
            <textarea
              value={draft}
              maxLength={LIMITS.noteText}
              rows={3}
              autoFocus
              aria-describedby={`${textId}-help`}
              onChange={(e) => setDraft(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && !e.shiftKey) {
                  e.preventDefault();
                  save();
                } else if (e.key === 'Escape') {
                  e.preventDefault();
                  close('edit');
                }
              }}
            />
          </label>
          <p id={`${textId}-help`} className="muted small">
            {t('list.editHelp')}
          </p>
          <div className="row">
            <button type="button" className="primary" onClick={save} disabled={!draft.trim()}>
              {t('wall.save')}
            </button>
            <button type="button" onClick={() => close('edit')}>
              {t('wall.cancel')}
            </button>
          </div>
        </div>
      ) : (
        <p className="list-note-text" id={textId}>
          <span className="swatch-dot" style={{ background: note.color }} aria-hidden="true" />
          {note.text}
        </p>
      )}
      {mode !== 'edit' && (
        <p className="muted small list-note-meta">
          {byline}
          {isPrivate && <span className="badge private">{t('list.private')}</span>}
        </p>
      )}
      {canEdit && mode === 'view' && (
        <div className="list-note-actions">
          <button
            type="button"
            ref={editButton}
            aria-describedby={textId}
            onClick={() => {
              setDraft(note.text);
              setMode('edit');
            }}
          >
            {t('wall.editNote')}
          </button>
          <button type="button" className="danger" ref={deleteButton} aria-describedby={textId} onClick={() => setMode('confirm')}>
            {t('wall.deleteNote')}
          </button>
          <span className="list-move">
            <label>
              {t('wall.domain')}
              <select value={target} aria-describedby={textId} onChange={(e) => setTarget(e.target.value)}>
                {domains.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.title[lang] || d.title.fr}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" aria-describedby={textId} onClick={() => onMove(target)}>
              {t('list.move')}
            </button>
          </span>
        </div>
      )}
      {canEdit && mode === 'confirm' && (
        <div
          className="confirm row"
          role="group"
          aria-label={t('list.confirmDelete')}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              close('delete');
            }
          }}
        >
          <span>{t('list.confirmDelete')}</span>
          <button type="button" className="danger" autoFocus onClick={onDelete}>
            {t('list.confirmYes')}
          </button>
          <button type="button" onClick={() => close('delete')}>
            {t('wall.cancel')}
          </button>
        </div>
      )}
    </li>
  );
}
