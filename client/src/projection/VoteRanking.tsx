/**
 * Vote results as a ranked list (docs/spec.md R122): rank, note, organization, votes. The same
 * rows (`rankByVotes`, shared with the PDF report) in the host panel and, larger, on the projector.
 */
import { useTranslation } from 'react-i18next';
import type { VoteRankingRow } from '@maillage/shared';
import type { Language } from '../i18n/index.ts';
import './projection.css';

export function VoteRanking({ rows, lang, large, start = 0 }: { rows: readonly VoteRankingRow[]; lang: Language; large?: boolean; start?: number }) {
  const { t } = useTranslation();
  if (!rows.length) return <p className="muted vote-ranking-empty">{t('results.none')}</p>;
  const max = Math.max(1, ...rows.map((r) => r.votes));
  return (
    <ol className={`vote-ranking${large ? ' large' : ''}`} start={start + 1} aria-label={t('results.title')} data-testid="vote-ranking">
      {rows.map((r) => (
        <li key={r.noteId} data-note-id={r.noteId} data-votes={r.votes} data-rank={r.rank}>
          <span className="vr-rank" aria-label={t('results.rank')}>
            {r.rank}
          </span>
          <span className="vr-body">
            <span className="vr-text">{r.text}</span>
            <span className="vr-meta">
              {[r.org || r.author, r.domainTitle ? r.domainTitle[lang] || r.domainTitle.fr : ''].filter(Boolean).join(' · ')}
            </span>
          </span>
          <span className="vr-votes">
            <span className="vr-track" aria-hidden="true">
              <span className="vr-bar" style={{ width: `${(r.votes / max) * 100}%` }} />
            </span>
            <span className="vr-count">{t('results.votes', { count: r.votes })}</span>
          </span>
        </li>
      ))}
    </ol>
  );
}
