/**
 * The toolbar of a phone (docs/spec.md R105–R106, R252): one row that fits 390 px — the wall's
 * title (two lines at most; whole in the menu) with, under it, the connection state (a word when
 * not connected; the banner says the rest) and how many people are here (instead of their
 * cursors), and "Menu". The menu is a bottom sheet
 * that reaches every action of the wide toolbar — the list/wall switch, undo and redo, zoom,
 * groupings, the host's panel, who is here, my details, filters, snapshots, exports and the
 * language — as full-width rows at least 44 px tall; nothing scrolls sideways or is clipped.
 */
import { useState, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ToolbarProps } from '../panels/Toolbar.tsx';
import { LanguageButton } from '../panels/LanguageButton.tsx';
import { Sheet } from './Sheet.tsx';
import './phone.css';

export function PhoneHeader(p: ToolbarProps & { roleLabel: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const writer = p.role === 'host' || p.role === 'participant';

  // A control that opens something elsewhere (a panel, a dialog) closes the menu so that it can
  // be seen; one that unfolds in place (aria-expanded: who is here, my details) or a download
  // in progress (the export menu) keeps it open.
  const closeAfterAction = (e: MouseEvent) => {
    const el = (e.target as HTMLElement).closest('button, a');
    if (!el || el.hasAttribute('aria-expanded') || el.closest('.export-menu, .lang')) return;
    setTimeout(() => setOpen(false), 0);
  };
  const choose = (v: 'canvas' | 'list') => {
    p.onView(v);
    setOpen(false);
  };

  return (
    <>
      <header className="toolbar phone-header">
        <a href="/" className="brand" aria-label={t('app.name')}>
          M
        </a>
        {/* Title, then one line of state under it: side by side, "Reconnexion…" left the
            title two letters wide at 390 px (R252). */}
        <div className="phone-heading">
          <h1 className="title">{p.title}</h1>
          <p className="phone-meta">
            <span className={`status status-${p.status}`} role="status" data-testid="connection-status" data-status={p.status}>
              <span className="dot" aria-hidden="true" />
              <span className="status-text">{t(`phone.status.${p.status}`)}</span>
            </span>
            <span className="phone-presence" data-testid="presence-count">
              {t('phone.online', { count: p.participants })}
            </span>
          </p>
        </div>
        {p.timer}
        <button type="button" className="menu-button" aria-haspopup="dialog" aria-expanded={open} onClick={() => setOpen(true)} data-testid="phone-menu-button">
          ☰ {t('phone.menu')}
        </button>
      </header>
      {open && (
        <Sheet title={t('phone.menuTitle')} onClose={() => setOpen(false)} className="phone-menu" testId="phone-menu">
          <section className="menu-section">
            <p className="menu-title">{p.title}</p>
            <p className="muted small">
              <span className="badge" data-testid="role">
                {p.roleLabel}
              </span>{' '}
              {t('wall.notes', { count: p.noteCount })}
            </p>
          </section>
          <section className="menu-section" aria-labelledby="menu-view">
            <h3 id="menu-view">{t('phone.view')}</h3>
            <div className="menu-row">
              <button type="button" aria-pressed={p.view === 'list'} onClick={() => choose('list')}>
                {t('wall.viewList')}
              </button>
              <button type="button" aria-pressed={p.view === 'canvas'} onClick={() => choose('canvas')}>
                {t('wall.viewCanvas')}
              </button>
            </div>
          </section>
          {writer && (
            <section className="menu-section" aria-labelledby="menu-edits">
              <h3 id="menu-edits">{t('phone.edits')}</h3>
              <div className="menu-row">
                <button type="button" onClick={p.onUndo} disabled={!p.canUndo}>
                  ↶ {t('wall.undo')}
                </button>
                <button type="button" onClick={p.onRedo} disabled={!p.canRedo}>
                  ↷ {t('wall.redo')}
                </button>
              </div>
            </section>
          )}
          {p.view === 'canvas' && (
            <section className="menu-section" aria-labelledby="menu-zoom">
              <h3 id="menu-zoom">{t('phone.zoom')}</h3>
              <div className="menu-row">
                <button type="button" onClick={p.onZoomOut} aria-label={t('wall.zoomOut')}>
                  −
                </button>
                <button type="button" onClick={p.onFit}>
                  {t('wall.zoomFit')}
                </button>
                <button type="button" onClick={p.onZoomIn} aria-label={t('wall.zoomIn')}>
                  +
                </button>
              </div>
            </section>
          )}
          <section className="menu-section" aria-labelledby="menu-more">
            <h3 id="menu-more">{t('phone.more')}</h3>
            <div className="menu-extra" onClickCapture={closeAfterAction}>
              {p.onHostPanel && (
                <button type="button" className="primary" onClick={p.onHostPanel}>
                  {t('host.panel')}
                </button>
              )}
              {p.onClusters && (
                <button type="button" onClick={p.onClusters}>
                  {t('clusters.open')}
                </button>
              )}
              {p.children}
              <LanguageButton />
            </div>
          </section>
        </Sheet>
      )}
    </>
  );
}
