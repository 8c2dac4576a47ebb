/**
 * The review view's filter bar: domain, cluster, organization and author, plus a full-text search
 * (accents folded, French/English plurals, word prefixes — `filterNotes` in @maillage/shared).
 * It only edits a `NoteFilter`; the page filters the notes before handing them to the canvas or
 * the list, so both views always show the same selection.
 */
import { useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { facetOptions, isFilterActive, type Cluster, type Domain, type Note, type NoteFilter } from '@maillage/shared';
import type { Language } from '../i18n/index.ts';

export interface ReviewFiltersProps {
  /** Every note that could be shown (before filtering), for the choices and their counts. */
  notes: Note[];
  domains: Domain[];
  clusters: Cluster[];
  lang: Language;
  value: NoteFilter;
  onChange(f: NoteFilter): void;
  /** How many notes pass the filter. */
  shown: number;
}

/** Typing in the search box filters after a short pause, not on every key (5,000 notes). */
const SEARCH_DELAY_MS = 150;

export function ReviewFilters({ notes, domains, clusters, lang, value, onChange, shown }: ReviewFiltersProps) {
  const { t } = useTranslation();
  const id = useId();
  const [q, setQ] = useState(value.q ?? '');
  const orgs = useMemo(() => facetOptions(notes, 'org'), [notes]);
  const authors = useMemo(() => facetOptions(notes, 'author'), [notes]);
  const perDomain = useMemo(() => {
    const m = new Map<string, number>();
    for (const n of notes) m.set(n.domainId, (m.get(n.domainId) ?? 0) + 1);
    return m;
  }, [notes]);

  useEffect(() => {
    if ((value.q ?? '') === q) return;
    const timer = setTimeout(() => onChange({ ...value, q }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [q, value, onChange]);

  const set = (patch: NoteFilter) => onChange({ ...value, ...patch, q });
  const select = (key: keyof NoteFilter, label: string, options: { key: string; label: string; count?: number }[]) => (
    <label className="filter-field" htmlFor={`${id}-${key}`}>
      {label}
      <select id={`${id}-${key}`} value={value[key] ?? ''} onChange={(e) => set({ [key]: e.target.value || undefined })}>
        <option value="">{t('review.all')}</option>
        {options.map((o) => (
          <option key={o.key} value={o.key}>
            {o.count === undefined ? o.label : `${o.label} (${o.count})`}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <form className="review-filters" role="search" aria-label={t('review.filterBar')} onSubmit={(e) => e.preventDefault()}>
      <label className="filter-field filter-search" htmlFor={`${id}-q`}>
        {t('review.search')}
        <input id={`${id}-q`} type="search" value={q} placeholder={t('review.searchPlaceholder')} onChange={(e) => setQ(e.target.value)} />
      </label>
      {select(
        'domainId',
        t('review.domain'),
        domains.map((d) => ({ key: d.id, label: d.title[lang] || d.title.fr, count: perDomain.get(d.id) ?? 0 })),
      )}
      {clusters.length > 0 &&
        select(
          'clusterId',
          t('review.cluster'),
          clusters.map((c) => ({ key: c.id, label: c.label || '—', count: c.noteIds.length })),
        )}
      {select('org', t('review.org'), orgs)}
      {select('author', t('review.author'), authors)}
      <button
        type="button"
        disabled={!isFilterActive(value) && !q}
        onClick={() => {
          setQ('');
          onChange({});
        }}
      >
        {t('review.clear')}
      </button>
      <p className="muted small filter-count" role="status" aria-live="polite" data-testid="filter-count">
        {t('review.count', { shown, total: notes.length })}
      </p>
    </form>
  );
}
