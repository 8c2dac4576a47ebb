/**
 * A wall page: connects, learns our role, asks who we are (once per device), then shows the
 * toolbar and the canvas.
 */
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { BoardStoreView, type BoardSnapshot } from '../sync/boardStore.ts';
import { useBoardConnection } from '../sync/useBoardConnection.ts';
import { keyFromLocation, useSession } from '../sync/session.ts';
import { loadProfile, ownerId as getOwnerId, saveProfile, type Profile } from '../sync/profile.ts';
import { JoinDialog } from '../join/JoinDialog.tsx';
import { NotFound } from '../join/NotFound.tsx';
import { Toolbar } from '../panels/Toolbar.tsx';
import { SharePanel } from '../panels/SharePanel.tsx';
import { Wall } from './Wall.tsx';
import { useUndo } from './useUndo.ts';

const EMPTY: BoardSnapshot = { meta: null, domains: [], notes: [] };

export function BoardPage({ boardId }: { boardId: string }) {
  const { t } = useTranslation();
  const key = useMemo(() => keyFromLocation(), []);
  const conn = useBoardConnection(boardId, key);
  const session = useSession(boardId, key);
  const [profile, setProfile] = useState<Profile | null>(() => loadProfile());
  const ownerId = useMemo(() => getOwnerId(), []);
  const [sharing, setSharing] = useState(false);
  const [toast, setToast] = useState<string | null>(null);
  const controls = useRef<{ zoomIn(): void; zoomOut(): void; fit(): void } | null>(null);

  const doc = conn.conn?.doc ?? null;
  const view = useMemo(() => (doc ? new BoardStoreView(doc) : null), [doc]);
  useEffect(() => () => view?.destroy(), [view]);
  const snapshot = useSyncExternalStore(
    useCallback((l: () => void) => view?.subscribe(l) ?? (() => {}), [view]),
    () => view?.getSnapshot() ?? EMPTY,
  );

  const role = session.role;
  const canWrite = role === 'host' || role === 'participant';
  const undo = useUndo(doc, canWrite);

  useEffect(() => {
    if (snapshot.meta?.title) document.title = `${snapshot.meta.title} — Maillage`;
  }, [snapshot.meta?.title]);
  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast(null), 5000);
    return () => clearTimeout(timer);
  }, [toast]);
  useEffect(() => {
    if (conn.refused) setToast(t('wall.writeRefused', { reason: conn.refused }));
  }, [conn.refused, t]);

  if (conn.fatal || session.error === 'not_found' || session.error === 'unauthorized') {
    const reason = conn.fatal ?? (session.error === 'unauthorized' ? 'bad-key' : 'not-found');
    const message = reason === 'gone' ? t('wall.gone') : reason === 'bad-key' ? t('wall.badKey') : t('wall.notFound');
    return <NotFound message={message} />;
  }

  const needsProfile = role !== null && role !== 'review' && !profile;

  return (
    <div className="board-page">
      <Toolbar
        title={snapshot.meta?.title ?? ''}
        role={role}
        status={conn.status}
        noteCount={snapshot.notes.length}
        canUndo={undo.canUndo}
        canRedo={undo.canRedo}
        onUndo={undo.undo}
        onRedo={undo.redo}
        onZoomIn={() => controls.current?.zoomIn()}
        onZoomOut={() => controls.current?.zoomOut()}
        onFit={() => controls.current?.fit()}
        onShare={role === 'host' ? () => setSharing((s) => !s) : undefined}
      />
      {!conn.ready || !doc ? (
        <p className="loading" role="status">
          {t('wall.loading')}
        </p>
      ) : (
        <Wall
          doc={doc}
          notes={snapshot.notes}
          domains={snapshot.domains}
          profile={profile}
          ownerId={ownerId}
          canWrite={canWrite}
          isHost={role === 'host'}
          onError={setToast}
          onControls={(c) => (controls.current = c)}
        />
      )}
      {sharing && key && role === 'host' && <SharePanel boardId={boardId} hostKey={key} onClose={() => setSharing(false)} />}
      {toast && (
        <div className="toast" role="alert">
          {toast}
        </div>
      )}
      {needsProfile && (
        <JoinDialog
          initial={profile}
          onDone={(p) => {
            saveProfile(p);
            setProfile(p);
          }}
        />
      )}
    </div>
  );
}
