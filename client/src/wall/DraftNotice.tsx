/**
 * The sentence under a field whose text cannot go on the wall right now: the wall is locked
 * (keep typing; it is posted when the wall reopens), or it was kept after a failure.
 */
import { useTranslation } from 'react-i18next';
import type { DraftReason } from '../sync/drafts.ts';

export function DraftNotice({ locked, kept }: { locked: boolean; kept: DraftReason | null }) {
  const { t } = useTranslation();
  const message = kept === 'locked' ? t('drafts.keptLocked') : kept ? t('drafts.keptFailed') : locked ? t('drafts.lockedWhileTyping') : '';
  return (
    <p className={`draft-notice${message ? ' shown' : ''}`} role="status" aria-live="polite" data-testid="draft-notice">
      {message}
    </p>
  );
}
