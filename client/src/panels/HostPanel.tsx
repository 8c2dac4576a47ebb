/**
 * Host controls for a live session: lock, private writing, timer, follow-me, votes and their
 * ranked results, tidy, projection, links. Docks beside the wall on wide screens (R127).
 */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type * as Y from 'yjs';
import { rankByVotes, type Domain, type Note } from '@maillage/shared';
import type { SessionInfo } from '../sync/session.ts';
import type { Language } from '../i18n/index.ts';
import { tidy } from '../wall/tidy.ts';
import { DomainEditor } from './DomainEditor.tsx';
import { LinksPanel } from './LinksPanel.tsx';
import { SessionEndControls } from './SnapshotsPanel.tsx';
import { errorText } from '../i18n/errors.ts';
import { VoteRanking } from '../projection/VoteRanking.tsx';
import { requestProjectionMode } from '../projection/requestedMode.ts';
import '../projection/projection.css';

const loadProjection = () => import('../projection/ProjectionView.tsx');

/** Rows of the ranking shown before "show all". */
const TOP = 10;

export interface HostPanelProps {
  boardId: string;
  hostKey: string;
  doc: Y.Doc;
  session: SessionInfo;
  domains: Domain[];
  notes: Note[];
  lang: Language;
  onProjection(): void;
  onClose(): void;
  onMessage(m: string): void;
}

export function HostPanel(p: HostPanelProps) {
  const { t } = useTranslation();
  const st = p.session.state;
  const [minutes, setMinutes] = useState(5);
  const [dots, setDots] = useState(3);
  const [allResults, setAllResults] = useState(false);
  const counts = p.session.state?.vote?.counts;
  const ranking = useMemo(() => (counts ? rankByVotes(p.notes, counts, p.domains) : []), [counts, p.notes, p.domains]);
  const run = async (res: Promise<{ ok: boolean; error?: { code: string; message: string } }>) => {
    const r = await res;
    if (!r.ok) p.onMessage(errorText(t, r.error ?? { code: 'internal' }));
    return r;
  };
  // The projected view's code is fetched on demand (phone/deferred.tsx): start while the host
  // reads this panel, and switch only once it is here, so the room never sees a blank screen.
  useEffect(() => void loadProjection().catch(() => {}), []);
  const project = () => void loadProjection().then(p.onProjection, p.onProjection);
  if (!st) return null;
  return (
    <aside className="side-panel host-panel" aria-labelledby="host-panel-title">
      <div className="side-panel-head">
        <h2 id="host-panel-title">{t('host.panel')}</h2>
        <button type="button" onClick={p.onClose} aria-label={t('wall.close')}>
          ×
        </button>
      </div>

      <div className="control-grid">
        <button type="button" aria-pressed={st.locked} onClick={() => run(p.session.call('host:lock', { locked: !st.locked }))}>
          {st.locked ? t('host.unlock') : t('host.lock')}
        </button>
        <label className="toggle">
          <input type="checkbox" checked={st.privateWriting} onChange={(e) => run(p.session.call('host:private', { enabled: e.target.checked }))} />
          {t('host.privateWriting')}
        </label>
        <p className="muted small">{t('host.privateHelp')}</p>
        <button type="button" disabled={st.privateCount === 0} onClick={() => run(p.session.call('host:reveal', {}))}>
          {t('host.reveal', { count: st.privateCount })}
        </button>
      </div>

      <div className="control-grid">
        <label className="inline">
          {t('host.timerMinutes')}
          <input type="number" min={1} max={240} value={minutes} onChange={(e) => setMinutes(Number(e.target.value))} />
        </label>
        {st.timerEndsAt === null ? (
          <button type="button" onClick={() => run(p.session.call('host:timer', { action: 'start', seconds: Math.round(minutes * 60) }))}>
            {t('host.startTimer')}
          </button>
        ) : (
          <button type="button" onClick={() => run(p.session.call('host:timer', { action: 'stop' }))}>
            {t('host.stopTimer')}
          </button>
        )}
        <label className="toggle">
          <input type="checkbox" checked={st.follow} onChange={(e) => run(p.session.call('host:follow', { enabled: e.target.checked }))} />
          {t('host.follow')}
        </label>
      </div>

      <div className="control-grid">
        <label className="inline">
          {t('host.voteDots')}
          <input type="number" min={1} max={20} value={dots} onChange={(e) => setDots(Number(e.target.value))} />
        </label>
        {st.vote?.open ? (
          <button type="button" onClick={() => run(p.session.call('host:vote', { action: 'close' }))}>
            {t('host.closeVote')}
          </button>
        ) : (
          <button type="button" onClick={() => run(p.session.call('host:vote', { action: 'open', dots }))}>
            {t('host.openVote')}
          </button>
        )}
        {st.vote && !st.vote.open && (
          <button type="button" onClick={() => run(p.session.call('host:vote', { action: 'clear' }))}>
            {t('host.clearVote')}
          </button>
        )}
        {st.vote && (
          <section className="host-results" aria-labelledby="host-results-title" data-testid="host-results">
            <h3 id="host-results-title" className="small">
              {t('results.title')}
            </h3>
            {st.vote.open && <p className="muted small">{t('results.live')}</p>}
            <VoteRanking rows={allResults ? ranking : ranking.slice(0, TOP)} lang={p.lang} />
            <div className="row">
              {ranking.length > TOP && (
                <button type="button" onClick={() => setAllResults((a) => !a)}>
                  {allResults ? t('results.showTop') : t('results.showAll', { count: ranking.length })}
                </button>
              )}
              <button
                type="button"
                onClick={() => {
                  requestProjectionMode('votes');
                  project();
                }}
              >
                {t('results.project')}
              </button>
            </div>
          </section>
        )}
      </div>

      <div className="control-grid">
        <button type="button" onClick={() => tidy(p.doc, p.notes)}>
          {t('host.tidyAll')}
        </button>
        <button type="button" onClick={project}>
          {t('host.projection')}
        </button>
        <label className="toggle">
          <input type="checkbox" checked={st.reviewShowsEmails} onChange={(e) => run(p.session.call('host:settings', { reviewShowsEmails: e.target.checked }))} />
          {t('host.reviewEmails')}
        </label>
        <label className="inline">
          {t('landing.retention')}
          <input
            type="number"
            min={0}
            max={3650}
            step={1}
            defaultValue={st.contactRetentionDays}
            key={st.contactRetentionDays}
            data-testid="retention-days"
            onBlur={(e) => {
              const days = Number(e.target.value);
              if (Number.isInteger(days) && days >= 0 && days <= 3650 && days !== st.contactRetentionDays) run(p.session.call('host:settings', { contactRetentionDays: days }));
            }}
          />
        </label>
        <p className="muted small">{st.contactRetentionDays > 0 ? t('landing.retentionSummary', { count: st.contactRetentionDays }) : t('landing.retentionKept')}</p>
      </div>

      <LinksPanel boardId={p.boardId} hostKey={p.hostKey} session={p.session} onMessage={p.onMessage} />

      <SessionEndControls boardId={p.boardId} hostKey={p.hostKey} session={p.session} onMessage={p.onMessage} />

      <DomainEditor doc={p.doc} domains={p.domains} notes={p.notes} lang={p.lang} onError={p.onMessage} />
    </aside>
  );
}
