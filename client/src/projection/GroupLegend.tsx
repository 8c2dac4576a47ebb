/**
 * Legend of the accepted groups (docs/spec.md R125): each group's halo colour, name and number of
 * notes, so a halo on the wall or the projector says which group it is.
 */
import { useTranslation } from 'react-i18next';
import type { Cluster } from '@maillage/shared';
import './projection.css';

export function GroupLegend({ clusters, colorOf, noteIds, className = '' }: { clusters: readonly Cluster[]; colorOf: ReadonlyMap<string, string>; noteIds?: ReadonlySet<string>; className?: string }) {
  const { t } = useTranslation();
  if (!clusters.length) return null;
  return (
    <section className={`group-legend ${className}`} aria-label={t('projection.legend')} data-testid="group-legend">
      <ul>
        {clusters.map((c) => {
          const count = noteIds ? c.noteIds.filter((id) => noteIds.has(id)).length : c.noteIds.length;
          return (
            <li key={c.id} data-cluster-id={c.id}>
              <span className="legend-swatch" style={{ borderColor: colorOf.get(c.id) ?? '#000' }} aria-hidden="true" />
              <span className="legend-name">{c.label}</span>
              <span className="legend-count">{t('projection.legendCount', { count })}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
