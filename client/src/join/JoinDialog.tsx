/**
 * Asked once per device: name, email, organization, note colour, and who may see the email (the
 * person's `ContactShare`, R91), stated plainly with how long the wall keeps it. Remembered
 * locally for the next wall; the email and choice go to the server's contact store, never on notes.
 * Opened again from "My details" (`mode="edit"`), where it can be cancelled.
 *
 * A native modal `<dialog>`: the wall behind it is inert (no tabbing or tapping into it) until the
 * person has said who they are, and screen readers announce it as a dialog. Escape does not
 * dismiss it — a wall cannot be used without a name on the notes.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LIMITS, NOTE_COLORS, type ContactShare } from '@maillage/shared';
import type { Profile } from '../sync/profile.ts';
import { LanguageButton } from '../panels/LanguageButton.tsx';
import { DEFAULT_SHARE, SHARE_CHOICES } from './choices.ts';
import { useJoinSlot } from './joinSlot.ts';

/** Names for NOTE_COLORS, in order (a screen reader should hear "yellow", not "#fff59d"). */
const COLOR_NAMES = ['yellow', 'orange', 'green', 'blue', 'pink', 'purple', 'cyan'] as const;

export interface JoinDialogProps {
  initial: Profile | null;
  onDone(p: Profile): void;
  /** The wall's retention of contact details in days (0: until the wall is deleted), when known. */
  retentionDays?: number | null;
  /** `edit`: "My details", opened from the wall; it may be cancelled. */
  mode?: 'join' | 'edit';
  onCancel?(): void;
}

/**
 * The email check lives with the profile code (zod), which is not part of the first screen
 * (R185): it is fetched by then, or on the first submit.
 */
const emailCheck = () => import('../sync/profile.ts').then((m) => m.isValidEmail);

/**
 * In `join` mode inside a join host (JoinHost.tsx), the dialog the host already shows takes this
 * one's props and nothing is drawn here: the page never shows a second dialog over the first.
 */
export function JoinDialog(props: JoinDialogProps) {
  const slot = useJoinSlot();
  if (slot && (props.mode ?? 'join') === 'join') return <HandOver slot={slot} onDone={props.onDone} retentionDays={props.retentionDays ?? null} />;
  return <JoinForm {...props} />;
}

function HandOver({ slot, onDone, retentionDays }: { slot: NonNullable<ReturnType<typeof useJoinSlot>>; onDone(p: Profile): void; retentionDays: number | null }) {
  const latest = useRef(onDone);
  useEffect(() => {
    latest.current = onDone;
  });
  useEffect(() => {
    slot({ onDone: (p) => latest.current(p), retentionDays });
  }, [slot, retentionDays]);
  useEffect(() => () => slot(null), [slot]);
  return null;
}

function JoinForm({ initial, onDone, retentionDays = null, mode = 'join', onCancel }: JoinDialogProps) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  const nameInput = useRef<HTMLInputElement>(null);
  const emailInput = useRef<HTMLInputElement>(null);
  const [author, setAuthor] = useState(initial?.author ?? '');
  const [email, setEmail] = useState(initial?.email ?? '');
  const [org, setOrg] = useState(initial?.org ?? '');
  const [color, setColor] = useState<string>(initial?.color ?? NOTE_COLORS[0]);
  const [share, setShare] = useState<ContactShare>(initial?.share ?? DEFAULT_SHARE);
  const [tried, setTried] = useState(false);
  const [isValidEmail, setEmailCheck] = useState<((s: string) => boolean) | null>(null);
  const nameError = tried && !author.trim() ? t('join.required') : null;
  const emailError = tried && isValidEmail && !isValidEmail(email) ? (email.trim() ? t('join.invalidEmail') : t('join.required')) : null;

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    // showModal() focuses the first control, the language button; the name is what to type (R108).
    nameInput.current?.focus();
    return () => d?.close();
  }, []);

  return (
    <dialog
      ref={dialog}
      className="dialog join-dialog"
      aria-labelledby="join-heading"
      aria-describedby="join-intro"
      onCancel={(e) => {
        e.preventDefault();
        if (mode === 'edit') onCancel?.();
      }}
      // Some browsers close a modal on a repeated Escape regardless: open it again.
      onClose={(e) => mode === 'join' && !e.currentTarget.open && e.currentTarget.isConnected && e.currentTarget.showModal()}
    >
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void emailCheck().then((valid) => {
            setEmailCheck(() => valid);
            setTried(true);
            if (!author.trim()) return nameInput.current?.focus();
            if (!valid(email)) return emailInput.current?.focus();
            onDone({ author: author.trim(), email: email.trim(), share, org: org.trim(), color });
          });
        }}
      >
        <div className="dialog-head">
          <h1 id="join-heading">{t(mode === 'edit' ? 'join.editHeading' : 'join.heading')}</h1>
          <LanguageButton />
        </div>
        <p id="join-intro">{t('join.intro')}</p>
        <label>
          {t('join.name')}
          <input
            ref={nameInput}
            autoFocus
            name="name"
            autoComplete="name"
            value={author}
            maxLength={LIMITS.personField}
            onChange={(e) => setAuthor(e.target.value)}
            aria-invalid={!!nameError}
            aria-describedby={nameError ? 'name-error' : undefined}
            required
          />
        </label>
        {nameError && (
          <p id="name-error" className="field-error" role="alert">
            {nameError}
          </p>
        )}
        <label>
          {t('join.email')}
          <input
            ref={emailInput}
            name="email"
            type="email"
            inputMode="email"
            autoComplete="email"
            value={email}
            maxLength={LIMITS.email}
            onChange={(e) => setEmail(e.target.value)}
            aria-invalid={!!emailError}
            aria-describedby={emailError ? 'email-error consent' : 'consent'}
            required
          />
        </label>
        {emailError && (
          <p id="email-error" className="field-error" role="alert">
            {emailError}
          </p>
        )}
        <p id="consent" className="consent">
          {t('join.consent')}
        </p>
        <fieldset className="share" data-testid="share">
          <legend>{t('join.shareLegend')}</legend>
          {SHARE_CHOICES.map((v) => (
            <label key={v} className="share-option">
              <input type="radio" name="share" value={v} checked={share === v} onChange={() => setShare(v)} />
              {t(`join.share.${v}`)}
            </label>
          ))}
          {retentionDays !== null && (
            <p className="consent" data-testid="retention">
              {retentionDays > 0 ? t('join.retention', { count: retentionDays }) : t('join.retentionKept')}
            </p>
          )}
        </fieldset>
        <label>
          {t('join.org')}
          <input name="org" autoComplete="organization" value={org} maxLength={LIMITS.personField} onChange={(e) => setOrg(e.target.value)} />
        </label>
        <fieldset className="colors">
          <legend>{t('join.color')}</legend>
          {NOTE_COLORS.map((c, i) => {
            const name = COLOR_NAMES[i];
            return (
              <label key={c} className="swatch" style={{ background: c }} title={name ? t(`join.colors.${name}`) : c}>
                <input type="radio" name="color" value={c} checked={color === c} onChange={() => setColor(c)} aria-label={name ? t(`join.colors.${name}`) : c} />
              </label>
            );
          })}
        </fieldset>
        <button type="submit" className="primary">
          {t(mode === 'edit' ? 'join.save' : 'join.continue')}
        </button>
        {mode === 'edit' && (
          <button type="button" onClick={onCancel}>
            {t('join.cancel')}
          </button>
        )}
      </form>
    </dialog>
  );
}
