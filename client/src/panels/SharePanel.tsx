/** The links of a wall, for the host: participant (public), review (read-only) and host (secret). */
import { useTranslation } from 'react-i18next';
import { CopyField } from './CopyField.tsx';

export function SharePanel({ boardId, hostKey, onClose }: { boardId: string; hostKey: string; onClose(): void }) {
  const { t } = useTranslation();
  const origin = window.location.origin;
  return (
    <aside className="side-panel" aria-label={t('wall.share')}>
      <div className="side-panel-head">
        <h2>{t('wall.share')}</h2>
        <button type="button" onClick={onClose} aria-label={t('wall.close')}>
          ×
        </button>
      </div>
      <CopyField label={t('landing.participantLink')} help={t('landing.participantHelp')} value={`${origin}/b/${boardId}`} />
      <CopyField label={t('landing.hostLink')} help={t('landing.hostHelp')} value={`${origin}/b/${boardId}#k=${hostKey}`} />
    </aside>
  );
}
