/** Top bar of a wall: title, role, connection state, undo/redo, zoom, language, share. */
import { useTranslation } from 'react-i18next';
import type { Role } from '@maillage/shared';
import type { ConnectionStatus } from '../sync/connection.ts';
import { LanguageButton } from './LanguageButton.tsx';

export interface ToolbarProps {
  title: string;
  role: Role | null;
  status: ConnectionStatus;
  noteCount: number;
  canUndo: boolean;
  canRedo: boolean;
  onUndo(): void;
  onRedo(): void;
  onZoomIn(): void;
  onZoomOut(): void;
  onFit(): void;
  onShare?: () => void;
}

export function Toolbar(p: ToolbarProps) {
  const { t } = useTranslation();
  const roleLabel = p.role === 'host' ? t('wall.roleHost') : p.role === 'review' ? t('wall.roleReview') : t('wall.roleParticipant');
  return (
    <header className="toolbar">
      <a href="/" className="brand" aria-label={t('app.name')}>
        M
      </a>
      <h1 className="title">{p.title}</h1>
      <span className="badge" data-testid="role">
        {roleLabel}
      </span>
      <span className="muted small">{t('wall.notes', { count: p.noteCount })}</span>
      <span className={`status status-${p.status}`} role="status" data-testid="connection-status" data-status={p.status}>
        <span className="dot" aria-hidden="true" />
        <span className="status-text">{t(`status.${p.status}`)}</span>
      </span>
      <span className="spacer" />
      <div className="group" role="group">
        <button type="button" onClick={p.onUndo} disabled={!p.canUndo} aria-label={t('wall.undo')} title={t('wall.undo')}>
          ↶
        </button>
        <button type="button" onClick={p.onRedo} disabled={!p.canRedo} aria-label={t('wall.redo')} title={t('wall.redo')}>
          ↷
        </button>
      </div>
      <div className="group" role="group">
        <button type="button" onClick={p.onZoomOut} aria-label={t('wall.zoomOut')} title={t('wall.zoomOut')}>
          −
        </button>
        <button type="button" onClick={p.onFit} aria-label={t('wall.zoomFit')} title={t('wall.zoomFit')}>
          ⤢
        </button>
        <button type="button" onClick={p.onZoomIn} aria-label={t('wall.zoomIn')} title={t('wall.zoomIn')}>
          +
        </button>
      </div>
      {p.onShare && (
        <button type="button" onClick={p.onShare}>
          {t('wall.share')}
        </button>
      )}
      <LanguageButton />
    </header>
  );
}
