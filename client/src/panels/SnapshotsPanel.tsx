/**
 * Snapshots of the wall: hosts save one by name, restore one (and undo the restore), and with
 * review links look back in time — a snapshot opens read-only on the canvas or in the list, under
 * a banner with a way back to the live wall. Also the host's end-of-session controls (end the
 * session, delete the wall), which produce or remove snapshots.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RestoreResult, SnapshotInfo, SnapshotView } from '@maillage/shared';
import type { Language } from '../i18n/index.ts';
import type { NoteActions } from '../wall/actions.ts';
import type { SessionInfo } from '../sync/session.ts';
import { apiErrorOf, describeError, errorText } from '../i18n/errors.ts';

/**
 * Calls the wall's REST API with the key as a bearer token.
 * @throws ApiError carrying the server's error code when the answer is not 2xx.
 */
export async function callApi<T>(path: string, key: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(path, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${key}`, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  if (!res.ok) throw await apiErrorOf(res);
  return (res.status === 204 ? null : await res.json()) as T;
}

/** What the views may do while looking at a snapshot: nothing. */
export const READ_ONLY_ACTIONS: NoteActions = {
  canWrite: false,
  mayWrite: false,
  locked: false,
  canEdit: () => false,
  submit: async () => ({ status: 'kept', reason: 'failed' }),
  postDraft: async () => ({ status: 'kept', reason: 'failed' }),
  add: async () => null,
  update: async () => false,
  remove: async () => {},
  isPrivate: () => false,
  canEditRelation: () => false,
  connect: () => null,
  relabel: () => {},
  disconnect: () => {},
};

export function formatWhen(ms: number, lang: Language): string {
  return new Date(ms).toLocaleString(lang === 'fr' ? 'fr-CA' : 'en-CA', { dateStyle: 'medium', timeStyle: 'short' });
}

/** The name people see: their own for manual snapshots, a translated one for the server's. */
export function useSnapshotLabel(): (s: SnapshotInfo) => string {
  const { t } = useTranslation();
  return useCallback(
    (s: SnapshotInfo) => {
      switch (s.kind) {
        case 'manual':
          return s.name;
        case 'auto':
          return t('snapshots.kindAuto');
        case 'end':
          return t('snapshots.kindEnd');
        case 'restore':
          return t('snapshots.kindRestore', { name: s.name });
        default: {
          const never: never = s.kind;
          return String(never);
        }
      }
    },
    [t],
  );
}

export interface SnapshotsPanelProps {
  boardId: string;
  /** Host or review key. */
  accessKey: string;
  /** Hosts save and restore; review links only look. */
  canManage: boolean;
  lang: Language;
  /** The snapshot being looked at, if any. */
  viewing: string | null;
  onView(view: SnapshotView | null): void;
  onClose(): void;
  onMessage(m: string): void;
}

export function SnapshotsPanel(p: SnapshotsPanelProps) {
  const { t } = useTranslation();
  const label = useSnapshotLabel();
  const [list, setList] = useState<SnapshotInfo[] | null>(null);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [undo, setUndo] = useState<RestoreResult | null>(null);
  const base = `/api/boards/${p.boardId}/snapshots`;
  const { onMessage } = p;

  const refresh = useCallback(async () => {
    try {
      setList(await callApi<SnapshotInfo[]>(base, p.accessKey));
    } catch (err) {
      onMessage(t('snapshots.failed', { message: describeError(t, err) }));
    }
  }, [base, p.accessKey, onMessage, t]);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    try {
      await fn();
    } catch (err) {
      onMessage(t('snapshots.failed', { message: describeError(t, err) }));
    } finally {
      setBusy(false);
      void refresh();
    }
  };

  const restore = (s: SnapshotInfo) =>
    run(async () => {
      const r = await callApi<RestoreResult>(`${base}/${s.id}/restore`, p.accessKey, { method: 'POST' });
      setConfirming(null);
      setUndo(r);
      p.onView(null);
      onMessage(t('snapshots.restored', { name: label(r.restored) }));
    });

  return (
    <aside className="side-panel snapshots-panel" aria-labelledby="snapshots-title" data-testid="snapshots-panel">
      <div className="side-panel-head">
        <h2 id="snapshots-title">{t('snapshots.title')}</h2>
        <button type="button" onClick={p.onClose} aria-label={t('wall.close')}>
          ×
        </button>
      </div>
      {p.canManage && (
        <form
          className="snapshot-save"
          onSubmit={(e) => {
            e.preventDefault();
            const v = name.trim();
            if (!v || busy) return;
            void run(async () => {
              await callApi<SnapshotInfo>(base, p.accessKey, { method: 'POST', body: { name: v } });
              setName('');
              onMessage(t('snapshots.saved', { name: v }));
            });
          }}
        >
          <label>
            {t('snapshots.name')}
            <input value={name} maxLength={120} placeholder={t('snapshots.namePlaceholder')} onChange={(e) => setName(e.target.value)} />
          </label>
          <button type="submit" className="primary" disabled={!name.trim() || busy}>
            {t('snapshots.save')}
          </button>
        </form>
      )}
      {undo && p.canManage && (
        <p className="row">
          <button type="button" disabled={busy} onClick={() => void restore(undo.backup).then(() => setUndo(null))}>
            ↶ {t('snapshots.undoRestore')}
          </button>
        </p>
      )}
      {list && list.length === 0 && <p className="muted">{t('snapshots.empty')}</p>}
      <ul className="snapshot-list">
        {(list ?? []).map((s) => (
          <li key={s.id} className={`snapshot-item${p.viewing === s.id ? ' current' : ''}`} data-snapshot-id={s.id} data-kind={s.kind}>
            <p className="snapshot-name">{label(s)}</p>
            <p className="muted small">
              {formatWhen(s.createdAt, p.lang)} · {t('snapshots.notes', { count: s.noteCount })}
            </p>
            {confirming === s.id ? (
              <div className="confirm" role="group" aria-label={t('snapshots.confirmRestore')}>
                <p className="small">{t('snapshots.confirmRestore')}</p>
                <div className="row">
                  <button type="button" className="danger" autoFocus disabled={busy} onClick={() => void restore(s)}>
                    {t('snapshots.confirmRestoreYes')}
                  </button>
                  <button type="button" onClick={() => setConfirming(null)}>
                    {t('wall.cancel')}
                  </button>
                </div>
              </div>
            ) : (
              <div className="row">
                <button
                  type="button"
                  aria-pressed={p.viewing === s.id}
                  disabled={busy}
                  onClick={() =>
                    void run(async () => {
                      p.onView(p.viewing === s.id ? null : await callApi<SnapshotView>(`${base}/${s.id}`, p.accessKey));
                    })
                  }
                >
                  {p.viewing === s.id ? t('snapshots.backToLive') : t('snapshots.view')}
                </button>
                {p.canManage && (
                  <button type="button" disabled={busy} onClick={() => setConfirming(s.id)}>
                    {t('snapshots.restore')}
                  </button>
                )}
              </div>
            )}
          </li>
        ))}
      </ul>
    </aside>
  );
}

/** The banner shown while looking at a snapshot. */
export function TimeTravelBanner({ view, lang, onBack }: { view: SnapshotView; lang: Language; onBack(): void }) {
  const { t } = useTranslation();
  const label = useSnapshotLabel();
  return (
    <div className="banners" role="status">
      <p className="banner time-travel" data-testid="time-travel">
        {t('snapshots.viewing', { name: label(view.snapshot), date: formatWhen(view.snapshot.createdAt, lang) })}{' '}
        <button type="button" onClick={onBack}>
          {t('snapshots.backToLive')}
        </button>
      </p>
    </div>
  );
}

/** Host panel section: end the session (lock + 'end' snapshot) and delete the wall. */
export function SessionEndControls({ boardId, hostKey, session, onMessage }: { boardId: string; hostKey: string; session: SessionInfo; onMessage(m: string): void }) {
  const { t } = useTranslation();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [busy, setBusy] = useState(false);
  return (
    <div className="control-grid session-end">
      <h3 className="small">{t('snapshots.after')}</h3>
      <button
        type="button"
        disabled={busy}
        aria-describedby={`${boardId}-end-help`}
        onClick={async () => {
          setBusy(true);
          const r = await session.call('host:endSession', {});
          setBusy(false);
          onMessage(r.ok ? t('snapshots.ended') : errorText(t, r.error));
        }}
      >
        {t('snapshots.endSession')}
      </button>
      <p className="muted small" id={`${boardId}-end-help`}>
        {t('snapshots.endSessionHelp')}
      </p>
      {confirmDelete ? (
        <div className="confirm" role="group" aria-label={t('snapshots.confirmDelete')}>
          <p className="small">{t('snapshots.confirmDelete')}</p>
          <div className="row">
            <button
              type="button"
              className="danger"
              autoFocus
              disabled={busy}
              onClick={async () => {
                setBusy(true);
                try {
                  // The server then tells every open page, this one included ('board:deleted').
                  await callApi<null>(`/api/boards/${boardId}`, hostKey, { method: 'DELETE' });
                } catch (err) {
                  onMessage(describeError(t, err));
                } finally {
                  setBusy(false);
                }
              }}
            >
              {t('snapshots.confirmDeleteYes')}
            </button>
            <button type="button" onClick={() => setConfirmDelete(false)}>
              {t('wall.cancel')}
            </button>
          </div>
        </div>
      ) : (
        <button type="button" className="danger" onClick={() => setConfirmDelete(true)}>
          {t('snapshots.deleteWall')}
        </button>
      )}
    </div>
  );
}
