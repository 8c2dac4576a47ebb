/**
 * The wall's status banners, under the toolbar: outage, a send that failed for good, the session's
 * end, the lock (with the notes held for hosts), private writing, the dot vote, following the host.
 * Nothing is drawn when none applies.
 */
import { useTranslation } from 'react-i18next';
import type { Role, SessionState } from '@maillage/shared';
import { SessionEndedBanner } from '../projection/SessionEnded.tsx';

export interface WallBannersProps {
  state: SessionState | null;
  role: Role | null;
  ended: boolean;
  following: boolean;
  sendFailed: 'too-large' | 'broken' | null;
  outage: boolean;
  /** Note ids this person put a dot on. */
  voteMine: readonly string[];
  /** Takes one dot back. */
  unvote(noteId: string): void;
}

export function WallBanners({ state: st, role, ended, following, sendFailed, outage, voteMine, unvote }: WallBannersProps) {
  const { t } = useTranslation();
  const isHost = role === 'host';
  if (!((st?.locked && role !== 'review') || ended || (st?.privateWriting && !isHost) || st?.vote || following || sendFailed || outage)) return null;
  const myDotsLeft = st?.vote ? st.vote.dotsPerParticipant - voteMine.length : 0;
  return (
    <div className="banners" role="status">
      {outage && <p className="banner outage" data-testid="outage-banner">{t('wall.outage')}</p>}
      {sendFailed && <p className="banner locked" data-testid="send-failed-banner">{t(sendFailed === 'too-large' ? 'wall.sendTooLarge' : 'wall.sendBroken')}</p>}
      {ended && <SessionEndedBanner role={role} />}
      {st?.locked && !ended && role !== 'review' && (
        <p className="banner locked" data-testid="locked-banner">
          {t('wall.locked')}
          {isHost && (st.heldCount ?? 0) > 0 && <> {t('wall.heldCount', { count: st.heldCount })}</>}
        </p>
      )}
      {st?.privateWriting && !isHost && <p className="banner private">{t('wall.privateOn')}</p>}
      {st?.vote?.open && role !== 'review' && (
        <p className="banner vote">
          {t('phone.voteOpen', { count: myDotsLeft })}{' '}
          {voteMine.length > 0 && (
            <button type="button" onClick={() => voteMine.forEach(unvote)}>
              {t('wall.resetDots')}
            </button>
          )}
        </p>
      )}
      {st?.vote && !st.vote.open && <p className="banner vote">{t('wall.voteClosed')}</p>}
      {following && <p className="banner follow">{t('wall.following')}</p>}
    </div>
  );
}
