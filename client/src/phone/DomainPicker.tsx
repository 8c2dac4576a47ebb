/**
 * A list of the wall's domains with their whole titles, each a large button (R102): the jump
 * list of the phone view and the "move to…" list of a note. Titles wrap instead of being cut,
 * because the template's three "Passer des études secondaires…" domains differ only at the end.
 */
import { useTranslation } from 'react-i18next';
import type { Domain } from '@maillage/shared';
import type { Language } from '../i18n/index.ts';

export interface DomainPickerProps {
  domains: readonly Domain[];
  lang: Language;
  /** Marked as the current one and not offered (a note's own domain). */
  current?: string;
  /** Note counts by domain, shown after each title. */
  counts?: ReadonlyMap<string, number>;
  onPick(domainId: string): void;
}

export const domainTitle = (d: Domain | undefined, lang: Language): string => (d ? d.title[lang] || d.title.fr : '');

export function DomainPicker({ domains, lang, current, counts, onPick }: DomainPickerProps) {
  const { t } = useTranslation();
  return (
    <ul className="domain-picker">
      {domains.map((d) => (
        <li key={d.id}>
          <button type="button" disabled={d.id === current} aria-current={d.id === current ? 'true' : undefined} onClick={() => onPick(d.id)} data-domain-id={d.id} style={{ borderLeftColor: d.color }}>
            <span className="domain-picker-title">{domainTitle(d, lang)}</span>
            {d.id === current ? <span className="muted small">{t('phone.currentDomain')}</span> : counts && <span className="muted small">{t('wall.notes', { count: counts.get(d.id) ?? 0 })}</span>}
          </button>
        </li>
      ))}
    </ul>
  );
}
