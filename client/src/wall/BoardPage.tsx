/**
 * A wall page: connects the document and the session, learns our role, asks who we are (once per
 * device), then shows the toolbar, the canvas or the list, and the host's controls.
 */
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { NOTE_COLORS, type Note, type ViewRect } from '@maillage/shared';
import { BoardStoreView, type BoardSnapshot } from '../sync/boardStore.ts';
import { useBoardConnection } from '../sync/useBoardConnection.ts';
import { keyFromLocation, useSession } from '../sync/session.ts';
import { loadProfile, ownerId as getOwnerId, saveProfile, type Profile } from '../sync/profile.ts';
import { currentLanguage } from '../i18n/index.ts';
import { JoinDialog } from '../join/JoinDialog.tsx';
import { NotFound } from '../join/NotFound.tsx';
import { QuickAddSheet } from '../join/QuickAddSheet.tsx';
import { Toolbar } from '../panels/Toolbar.tsx';
import { ListView } from '../panels/ListView.tsx';
import { Countdown } from '../panels/Countdown.tsx';
import type { VoteView } from './Wall.tsx';
import { usePresence } from '../sync/presence.ts';
import { PresenceList } from '../panels/PresenceList.tsx';
import { noteActions } from './actions.ts';
import { useUndo } from './useUndo.ts';
import { filterNotes, type NoteFilter, type SnapshotView } from '@maillage/shared';
import { READ_ONLY_ACTIONS } from '../panels/SnapshotsPanel.tsx';
import { RelationshipMap } from '../map/index.tsx';
// What a participant's first screen does not need is fetched when first shown (R113).
import { ClustersPanel, ExportMenu, HostPanel, ProjectionView, Qr, ReviewFilters, SnapshotsPanel, TimeTravelBanner, Wall } from '../phone/deferred.tsx';
import { useViewPreference } from '../phone/layout.ts';
import { RateLimitBanner } from '../phone/RateLimitBanner.tsx';
import type { WallExporter } from './exportPng.ts';
import type { ActionError } from './actions.ts';
import { DraftStore } from '../sync/drafts.ts';
import { refusalMessageKey } from '../sync/refusals.ts';
import { errorText, voteErrorText } from '../i18n/errors.ts';
import { useWaitingNotes } from './useWaitingNotes.ts';
import { useToolbarOffset } from './useToolbarOffset.ts';
import { contactRows } from '../panels/contactsCsv.ts';
import { DraftsTray } from '../panels/DraftsTray.tsx';
import { MyDetails } from '../panels/MyDetails.tsx';
import { markErased, useContactSync } from '../sync/contactSync.ts';
import { useLocalErasure } from '../sync/useLocalErasure.ts';
import { groupHalos } from '../projection/groupColors.ts';
import { GroupLegend } from '../projection/GroupLegend.tsx';
import { SessionEndedDialog, sessionEnded } from '../projection/SessionEnded.tsx';
import { WallBanners } from './WallBanners.tsx';
import { ProjectionBar } from '../projection/ProjectionBar.tsx';

const EMPTY: BoardSnapshot = { meta: null, domains: [], notes: [], clusters: [], relations: [] };
const narrow = () => window.matchMedia?.('(max-width: 700px)').matches ?? false;

export function BoardPage({ boardId }: { boardId: string }) {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage(i18n.language);
  const key = useMemo(() => keyFromLocation(), []);
  const [profile, setProfile] = useState<Profile | null>(() => loadProfile());
  const me = useMemo(() => (profile ? { name: profile.author, color: profile.color } : null), [profile]);
  const session = useSession(boardId, key, me);
  const conn = useBoardConnection(boardId, key, session.role);
  const people = usePresence(conn.conn?.provider ?? null, me);
  const ownerId = useMemo(() => getOwnerId(), []);
  const [panel, setPanel] = useState(false);
  const [clustersOpen, setClustersOpen] = useState(false);
  const [view, setView] = useViewPreference();
  const [projection, setProjection] = useState(() => new URLSearchParams(window.location.search).has('projection'));
  const [showQr, setShowQr] = useState(false);
  // The relationship map (issue 16) instead of the wall, for hosts and review links (`?map` opens on it).
  const [mapOpen, setMapOpen] = useState(() => new URLSearchParams(window.location.search).has('map'));
  const [quickAdd, setQuickAdd] = useState(false);
  const [toast, setToast] = useState<string | null>(null);
  const [followRect, setFollowRect] = useState<ViewRect | null>(null);
  const pageRef = useToolbarOffset();
  const controls = useRef<{ zoomIn(): void; zoomOut(): void; fit(): void } | null>(null);

  const doc = conn.conn?.doc ?? null;
  const store = useMemo(() => (doc ? new BoardStoreView(doc) : null), [doc]);
  useEffect(() => () => store?.destroy(), [store]);
  const snapshot = useSyncExternalStore(
    useCallback((l: () => void) => store?.subscribe(l) ?? (() => {}), [store]),
    () => store?.getSnapshot() ?? EMPTY,
  );

  const role = session.role;
  const isHost = role === 'host';
  const st = session.state;
  const undo = useUndo(doc, role === 'host' || role === 'participant');

  // Private notes (ours, or all for hosts) are shown with the shared ones, drawn dashed.
  const privateNotes: Note[] = useMemo(
    () =>
      session.privateNotes.map((n) => ({
        author: '', org: '', x: 20, y: 100, color: NOTE_COLORS[0], ...n,
      })) as Note[],
    [session.privateNotes],
  );
  const privateIds = useMemo(() => new Set(privateNotes.map((n) => n.id)), [privateNotes]);
  const notes = useMemo(() => (privateNotes.length ? [...snapshot.notes, ...privateNotes] : snapshot.notes), [snapshot.notes, privateNotes]);

  // Accepted clusters draw a solid halo around their notes; while the clusters panel is open,
  // suggestions add dashed ones (an overlay: nothing moves, nothing is written).
  const suggestions = clustersOpen ? session.suggestions : null;
  // Colours never repeat, and the legend and the clusters panel use the same ones (R125).
  const groups = useMemo(() => groupHalos(snapshot.clusters, suggestions?.clusters ?? null), [snapshot.clusters, suggestions]);
  const halos = groups.halos;

  // What this device typed and the wall does not hold yet (docs/spec.md R63–R64).
  const drafts = useMemo(() => new DraftStore(boardId), [boardId]);
  useEffect(() => () => drafts.destroy(), [drafts]);

  const onActionError = useCallback((e: ActionError) => setToast(errorText(t, e)), [t]);
  const actions = useMemo(
    () => (doc ? noteActions({ doc, session, profile, ownerId, drafts, onError: onActionError }) : null),
    [doc, session, profile, ownerId, drafts, onActionError],
  );
  // Notes of this device in its copy of the wall: what a refused connection must say is kept (R232).
  const hasOwnNotes = useMemo(() => snapshot.notes.some((n) => n.ownerId === ownerId), [snapshot.notes, ownerId]);
  const waiting = useWaitingNotes({ conn: conn.conn, session, ownerId, drafts, actions, ready: conn.ready });
  // Personal data (issue 13): our email goes to the contact store only; erasures and a deleted
  // wall leave this device's copies too.
  useContactSync(boardId, session, profile);
  useLocalErasure(session, conn, drafts, ownerId);
  const [editingMe, setEditingMe] = useState(false);

  // After the session: filters and search select what both views show (always on for review
  // links), time travel shows a snapshot read-only, exports include the PNG of the canvas.
  const [filter, setFilter] = useState<NoteFilter>({});
  const [filtersShown, setFiltersShown] = useState(false);
  const [snapshotsOpen, setSnapshotsOpen] = useState(false);
  const [travel, setTravel] = useState<SnapshotView | null>(null);
  const exporter = useRef<WallExporter | null>(null);
  const onExporter = useCallback((e: WallExporter | null) => void (exporter.current = e), []);
  // Emails come only from the server: the live contacts:list for this viewer, or, in time travel,
  // what the snapshot route sent (both decided by the server's privacy module, R85). The client
  // keeps no copy of the rule.
  const emails = useMemo(() => {
    if (!travel) return session.contacts;
    const out: Record<string, string> = {};
    for (const n of travel.wall.notes) {
      for (const who of [n, ...(n.coauthors ?? [])]) if (who.ownerId && who.email) out[who.ownerId] = who.email;
    }
    return out;
  }, [travel, session.contacts]);
  const filtersOpen = filtersShown || role === 'review';
  const baseNotes = travel ? travel.wall.notes : notes;
  const baseDomains = travel ? travel.wall.domains : snapshot.domains;
  const baseClusters = travel ? travel.wall.clusters : snapshot.clusters;
  // The contacts sheet in the export menu: emails only as the server sent them (R85, R233).
  const exportContacts = useMemo(
    () => contactRows(baseClusters, travel ? travel.wall.relations : snapshot.relations, new Map(baseNotes.map((n) => [n.id, n])), emails),
    [baseClusters, travel, snapshot.relations, baseNotes, emails],
  );
  const shownNotes = useMemo(() => {
    if (!filtersOpen) return baseNotes;
    // Search also finds the emails the server sent, by author id (never a note's own field).
    const byId = new Map(baseNotes.map((n) => [n.id, n]));
    const searchable = baseNotes.map((n) => ({ ...n, email: emails[n.ownerId] ?? '' }));
    return filterNotes(searchable, filter, { clusters: baseClusters, includeEmail: true }).map((n) => byId.get(n.id) ?? n);
  }, [filtersOpen, baseNotes, filter, baseClusters, emails]);

  const vote: VoteView | null = useMemo(() => {
    if (!st?.vote) return null;
    return {
      open: st.vote.open,
      counts: st.vote.counts,
      mine: session.voteMine,
      cast: (noteId, add) =>
        void session.call('vote:cast', { noteId, add }).then((r) => {
          if (!r.ok) setToast(voteErrorText(t, r.error));
        }),
    };
  }, [st?.vote, session, t]);

  // Follow-me: participants (and the projector) show the host's rectangle.
  useEffect(() => {
    const socket = session.socket;
    if (!socket || isHost) return;
    const onRect = (r: ViewRect) => setFollowRect(r);
    socket.on('host:viewport', onRect);
    return () => {
      socket.off('host:viewport', onRect);
    };
  }, [session.socket, isHost]);
  const following = !!st?.follow && !isHost;
  const lastSent = useRef(0);
  const onViewRect = useCallback(
    (r: ViewRect) => {
      if (!isHost || !st?.follow || !session.socket) return;
      const now = Date.now();
      if (now - lastSent.current < 100) return; // 10 Hz is plenty to follow
      lastSent.current = now;
      session.socket.emit('host:viewport', r);
    },
    [isHost, st?.follow, session.socket],
  );

  useEffect(() => {
    if (snapshot.meta?.title) document.title = `${snapshot.meta.title} — Maillage`;
  }, [snapshot.meta?.title]);
  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast(null), 6000);
    return () => clearTimeout(timer);
  }, [toast]);
  useEffect(() => {
    if (conn.refused) setToast(t(refusalMessageKey(conn.refused.code)));
  }, [conn.refused, t]);
  // Not connected for a few seconds (server down, network gone): say that writing goes on and is
  // kept. A short blip is not worth a banner.
  const [cutOff, setCutOff] = useState(false);
  const disconnected = conn.ready && conn.status !== 'connected';
  useEffect(() => {
    if (!disconnected) {
      setCutOff(false);
      return;
    }
    const timer = setTimeout(() => setCutOff(true), 3000);
    return () => clearTimeout(timer);
  }, [disconnected]);
  useEffect(() => {
    if (!projection) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setProjection(false);
      if (e.key.toLowerCase() === 'q') setShowQr((s) => !s);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [projection]);

  const sendFailed = conn.fatal === 'too-large' || conn.fatal === 'broken' ? conn.fatal : null;
  const outage = cutOff && !sendFailed && (role === 'participant' || role === 'host');
  if ((conn.fatal && !sendFailed) || session.deleted || session.error === 'not_found' || session.error === 'unauthorized') {
    const reason = session.deleted ? 'gone' : ((sendFailed ? null : conn.fatal) ?? (session.error === 'unauthorized' ? 'bad-key' : 'not-found'));
    const message = reason === 'gone' ? t('wall.gone') : reason === 'bad-key' ? t('wall.badKey') : t('wall.notFound');
    return <NotFound message={message} />;
  }

  // After the session: a thank-you and what comes next, not a "locked" banner (R126).
  const ended = sessionEnded(st) && role !== 'host';
  // A link without a key is a participant's (R113): ask who they are at once, without waiting
  // for the session to confirm the role — on a phone network that is several round trips.
  const needsProfile = (role !== null || !key) && role !== 'review' && !profile && !projection;
  const participantLink = `${window.location.origin}/b/${boardId}`;

  return (
    <div className={`board-page${projection ? ' projection' : ''}`} ref={pageRef}>
      {projection ? (
        <ProjectionBar
          title={snapshot.meta?.title ?? ''}
          participants={st?.participants ?? 0}
          timerEndsAt={st?.timerEndsAt ?? null}
          clockOffset={session.clockOffset}
          showQr={showQr}
          onQr={() => setShowQr((s) => !s)}
          mapOpen={key && (isHost || role === 'review') ? mapOpen : null}
          onMap={() => setMapOpen((s) => !s)}
          onExit={() => setProjection(false)}
        />
      ) : (
        <Toolbar
          title={snapshot.meta?.title ?? ''}
          role={role}
          status={conn.status}
          noteCount={snapshot.notes.length}
          participants={st?.participants ?? 0}
          canUndo={undo.canUndo}
          canRedo={undo.canRedo}
          onUndo={undo.undo}
          onRedo={undo.redo}
          onZoomIn={() => controls.current?.zoomIn()}
          onZoomOut={() => controls.current?.zoomOut()}
          onFit={() => controls.current?.fit()}
          view={view}
          onView={setView}
          onHostPanel={isHost ? () => { setClustersOpen(false); setPanel((s) => !s); } : undefined}
          onClusters={() => { setPanel(false); setClustersOpen((s) => !s); }}
          timer={<Countdown endsAt={st?.timerEndsAt ?? null} clockOffset={session.clockOffset} />}
        >
          <PresenceList
            people={people}
            count={st?.participants ?? 0}
            {...(isHost && !travel
              ? {
                  notes: snapshot.notes,
                  onErase: (who: string, name: string, count: number) => {
                    if (!window.confirm(t('host.erasePersonConfirm', { name, count }))) return;
                    void session.call('host:erasePerson', { ownerId: who }).then((r) => setToast(r.ok ? t('host.erasedPerson', { count: r.notes }) : errorText(t, r.error)));
                  },
                }
              : {})}
          />
          {(role === 'participant' || role === 'host') && profile && !projection && (
            <MyDetails
              session={session}
              onEdit={() => setEditingMe(true)}
              onErased={(count) => {
                markErased(boardId, true);
                setToast(t('me.erased', { count }));
              }}
              onMessage={setToast}
            />
          )}
          {role !== null && role !== 'review' && (
            <button type="button" aria-pressed={filtersShown} onClick={() => setFiltersShown((s) => !s)}>
              {t('review.filters')}
            </button>
          )}
          {(isHost || role === 'review') && key && (
            <button
              type="button"
              aria-pressed={snapshotsOpen}
              onClick={() => {
                setPanel(false);
                setSnapshotsOpen((s) => !s);
              }}
            >
              {t('snapshots.title')}
            </button>
          )}
          {(isHost || role === 'review') && key && (
            <button type="button" aria-pressed={mapOpen} onClick={() => setMapOpen((s) => !s)} data-testid="map-toggle">
              {mapOpen ? t('map.close') : t('map.open')}
            </button>
          )}
          {(isHost || role === 'review') && key && (
            <ExportMenu
              boardId={boardId}
              accessKey={key}
              lang={lang}
              title={snapshot.meta?.title ?? ''}
              canImport={isHost}
              getExporter={() => exporter.current}
              showCanvas={() => setView('canvas')}
              onMessage={setToast}
              contactRows={exportContacts}
              contactAccess={session.contactAccess}
            />
          )}
        </Toolbar>
      )}
      {!projection && (
        <WallBanners state={st} role={role} ended={ended} following={following} sendFailed={sendFailed} outage={outage} voteMine={session.voteMine} unvote={(id) => vote?.cast(id, false)} />
      )}
      {!projection && <RateLimitBanner provider={conn.conn?.provider ?? null} drafts={drafts} hasOwnNotes={hasOwnNotes} ready={conn.ready} />}
      {!projection && !travel && actions && conn.ready && <DraftsTray drafts={drafts} domains={snapshot.domains} actions={actions} lang={lang} held={waiting.held} keptByServer={waiting.keptByServer} onMessage={setToast} />}
      {travel && !projection && <TimeTravelBanner view={travel} lang={lang} onBack={() => setTravel(null)} />}
      {filtersOpen && !projection && conn.ready && (
        <ReviewFilters notes={baseNotes} domains={baseDomains} clusters={baseClusters} lang={lang} value={filter} onChange={setFilter} shown={shownNotes.length} />
      )}
      {!conn.ready || !doc || !actions ? (
        <p className="loading" role="status">
          {t('wall.loading')}
        </p>
      ) : mapOpen && key && (isHost || role === 'review') ? (
        <main className="wall-main">
          <RelationshipMap
            boardId={boardId}
            accessKey={key}
            notes={baseNotes}
            domains={baseDomains}
            clusters={baseClusters}
            relations={travel ? travel.wall.relations : snapshot.relations}
            emails={emails}
            lang={lang}
            projection={projection}
          />
        </main>
      ) : view === 'list' && !projection ? (
        <main className="list-main">
          <ListView notes={shownNotes} domains={baseDomains} actions={travel ? READ_ONLY_ACTIONS : actions} lang={lang} privateIds={travel ? undefined : privateIds} emails={emails} drafts={travel ? null : drafts} vote={travel ? null : vote} connected={conn.status === 'connected'} />
        </main>
      ) : projection ? (
        <main className="wall-main">
          <ProjectionView notes={snapshot.notes} domains={snapshot.domains} clusters={snapshot.clusters} relations={snapshot.relations} votes={st?.vote?.counts ?? {}} lang={lang} socket={session.socket} live={session.live} canDrive={isHost} />
        </main>
      ) : (
        <main className="wall-main">
          <Wall
            key={travel?.snapshot.id ?? 'live'}
            notes={shownNotes}
            domains={baseDomains}
            actions={travel ? READ_ONLY_ACTIONS : actions}
            privateIds={travel ? undefined : privateIds}
            vote={travel ? null : vote}
            followRect={following || projection ? followRect : null}
            onViewRect={onViewRect}
            projection={projection}
            onControls={(c) => (controls.current = c)}
            socket={session.socket}
            relations={travel ? travel.wall.relations : snapshot.relations}
            halos={travel ? undefined : halos}
            onExporter={onExporter}
            drafts={travel ? null : drafts}
          />
          {!travel && <GroupLegend clusters={snapshot.clusters} colorOf={groups.colorOf} className="on-wall" />}
        </main>
      )}
      {/* Hidden while a side panel covers the wall: on a phone the panel is the whole width and the
          button would sit on its last field; it adds to the wall, which the panel hides anyway (R230). */}
      {!projection && actions?.mayWrite && !ended && !st?.vote?.open && narrow() && !(panel || clustersOpen || snapshotsOpen) && (
        <button type="button" className="fab primary" onClick={() => setQuickAdd(true)}>
          + {t('wall.quickAdd')}
        </button>
      )}
      {quickAdd && actions && (
        <QuickAddSheet domains={snapshot.domains} notes={notes} actions={actions} lang={lang} drafts={drafts} onClose={() => setQuickAdd(false)} />
      )}
      {projection && showQr && (
        <div className="qr-overlay" role="dialog" aria-label={t('host.showQr')}>
          <Qr value={participantLink} size={360} alt={t('host.qrAlt')} />
          <p>
            {t('host.joinAt')} <strong>{participantLink}</strong>
          </p>
        </div>
      )}
      {panel && isHost && key && doc && !projection && (
        <HostPanel
          boardId={boardId}
          hostKey={key}
          doc={doc}
          session={session}
          domains={snapshot.domains}
          notes={snapshot.notes}
          lang={lang}
          onProjection={() => {
            setPanel(false);
            setProjection(true);
          }}
          onClose={() => setPanel(false)}
          onMessage={setToast}
        />
      )}
      {clustersOpen && doc && !projection && (
        <ClustersPanel
          doc={doc}
          session={session}
          isHost={isHost}
          notes={snapshot.notes}
          clusters={snapshot.clusters}
          relations={snapshot.relations}
          emails={emails}
          onClose={() => setClustersOpen(false)}
          onMessage={setToast}
        />
      )}
      {snapshotsOpen && !panel && (isHost || role === 'review') && key && !projection && (
        <SnapshotsPanel
          boardId={boardId}
          accessKey={key}
          canManage={isHost}
          lang={lang}
          viewing={travel?.snapshot.id ?? null}
          onView={setTravel}
          onClose={() => setSnapshotsOpen(false)}
          onMessage={setToast}
        />
      )}
      {ended && !projection && <SessionEndedDialog key={st?.sessionEndedAt ?? 0} role={role} />}
      {toast && (
        <div className="toast" role="alert">
          {toast}
        </div>
      )}
      {(needsProfile || (editingMe && profile)) && (
        <JoinDialog
          initial={profile}
          mode={needsProfile ? 'join' : 'edit'}
          retentionDays={st?.contactRetentionDays ?? null}
          onCancel={() => setEditingMe(false)}
          onDone={(p) => {
            saveProfile(p);
            setProfile(p);
            if (editingMe) {
              // Entering one's details again on a wall one left is a new consent.
              markErased(boardId, false);
              setEditingMe(false);
              setToast(t('me.saved'));
            }
          }}
        />
      )}
    </div>
  );
}
