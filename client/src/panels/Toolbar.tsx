/**
 * Top bar of a wall: title, role, presence, connection state, timer, view switch, undo/redo, zoom,
 * language. On a phone or a touch screen, a compact header whose menu holds all of it
 * (phone/PhoneHeader.tsx, docs/spec.md R105).
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '@maillage/shared';
import type { ConnectionStatus } from '../sync/connection.ts';
import { LanguageButton } from './LanguageButton.tsx';
import { usePhoneLayout } from '../phone/layout.ts';
import { PhoneHeader } from '../phone/PhoneHeader.tsx';

export interface ToolbarProps {
  title: string;
  role: Role | null;
  status: ConnectionStatus;
  noteCount: number;
  participants: number;
  canUndo: boolean;
  canRedo: boolean;
  onUndo(): void;
  onRedo(): void;
  onZoomIn(): void;
  onZoomOut(): void;
  onFit(): void;
  view: 'canvas' | 'list';
  onView(v: 'canvas' | 'list'): void;
  onHostPanel?: () => void;
  onClusters?: () => void;
  timer?: ReactNode;
  /** Extra controls (presence list, …) */
  children?: ReactNode;
}

export function Toolbar(p: ToolbarProps) {
  const { t } = useTranslation();
  const roleLabel = p.role === 'host' ? t('wall.roleHost') : p.role === 'review' ? t('wall.roleReview') : t('wall.roleParticipant');
  const writer = p.role === 'host' || p.role === 'participant';
  const phone = usePhoneLayout();
  if (phone) return <PhoneHeader {...p} roleLabel={roleLabel} />;
  return (
    <header className="toolbar">
      <a href="/" className="brand" aria-label={t('app.name')}>
        M
      </a>
      <h1 className="title">{p.title}</h1>
      <span className="badge" data-testid="role">
        {roleLabel}
      </span>
      <span className="muted small hide-narrow">{t('wall.notes', { count: p.noteCount })}</span>
      <span className={`status status-${p.status}`} role="status" data-testid="connection-status" data-status={p.status}>
        <span className="dot" aria-hidden="true" />
        <span className="status-text">{t(`status.${p.status}`)}</span>
      </span>
      {p.timer}
      {p.children}
      <span className="spacer" />
      <div className="group" role="group" aria-label={t('wall.viewList')}>
        <button type="button" aria-pressed={p.view === 'canvas'} onClick={() => p.onView('canvas')}>
          {t('wall.viewCanvas')}
        </button>
        <button type="button" aria-pressed={p.view === 'list'} onClick={() => p.onView('list')}>
          {t('wall.viewList')}
        </button>
      </div>
      {writer && (
        <div className="group" role="group">
          <button type="button" onClick={p.onUndo} disabled={!p.canUndo} aria-label={t('wall.undo')} title={t('wall.undo')}>
            ↶
          </button>
          <button type="button" onClick={p.onRedo} disabled={!p.canRedo} aria-label={t('wall.redo')} title={t('wall.redo')}>
            ↷
          </button>
        </div>
      )}
      {p.view === 'canvas' && (
        <div className="group hide-narrow" role="group">
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
      )}
      {p.onClusters && (
        <button type="button" onClick={p.onClusters}>
          {t('clusters.open')}
        </button>
      )}
      {p.onHostPanel && (
        <button type="button" className="primary" onClick={p.onHostPanel}>
          {t('host.panel')}
        </button>
      )}
      <LanguageButton />
    </header>
  );
}
