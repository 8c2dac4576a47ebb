/**
 * The end of a session as participants and review partners see it (docs/spec.md R126): a thank
 * you and what happens next, instead of "the wall is locked by the hosts" — nobody did anything
 * wrong, and a review partner was never going to write anyway.
 *
 * A session has ended when a host ended it (`sessionEndedAt`) and the wall is still locked (a
 * host who unlocks it afterwards reopens the session).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role, SessionState } from '@maillage/shared';
import './projection.css';

export function sessionEnded(st: SessionState | null): boolean {
  return !!st && st.sessionEndedAt !== null && st.locked;
}

/** The banner under the toolbar, for participants and review links. */
export function SessionEndedBanner({ role }: { role: Role | null }) {
  const { t } = useTranslation();
  if (role !== 'participant' && role !== 'review') return null;
  return (
    <p className="banner ended" data-testid="session-ended-banner">
      <strong>{t('ended.title')}</strong> {role === 'review' ? `${t('ended.review')} ${t('ended.reviewNext')}` : `${t('ended.participant')} ${t('ended.participantNext')}`}
    </p>
  );
}

/** Shown once to participants when the session ends (or when they open an ended wall). */
export function SessionEndedDialog({ role }: { role: Role | null }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(true);
  if (!open || role !== 'participant') return null;
  return (
    <div className="dialog-backdrop">
      <div className="dialog session-ended-card" role="dialog" aria-modal="true" aria-labelledby="session-ended-title" data-testid="session-ended">
        <h1 id="session-ended-title">{t('ended.title')}</h1>
        <p>{t('ended.participant')}</p>
        <p>{t('ended.participantNext')}</p>
        <div className="row-end">
          <button type="button" className="primary" autoFocus onClick={() => setOpen(false)}>
            {t('ended.seeWall')}
          </button>
        </div>
      </div>
    </div>
  );
}
