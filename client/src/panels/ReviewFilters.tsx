/**
 * The review view's filter bar: domain, cluster, organization and author, plus a full-text search
 * (accents folded, French/English plurals, word prefixes — `filterNotes` in @maillage/shared).
 * It only edits a `NoteFilter`; the page filters the notes before handing them to the canvas or
 * the list, so both views always show the same selection.
 *
 * The search crosses languages (R155): each query word that names a concept of the clustering
 * glossary (`GET /api/boards/:id/vocabulary`: the built-in French↔English glossary and the wall's
 * own entries) also finds that concept's other terms — "mentoring" finds "mentorat" and
 * "parrainage" — through the filter's `alternatives`. The terms searched are listed under the
 * box, and the first matches are shown with the matching words highlighted.
 */
import { useEffect, useId, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { expandQuery, facetOptions, filterNotes, isFilterActive, parseQuery, searchTokens, vocabularyTokens, type Cluster, type Domain, type Note, type NoteFilter, type VocabularyConcept } from '@maillage/shared';
import type { Language } from '../i18n/index.ts';
import { keyFromLocation } from '../sync/session.ts';

/** `text` with the words that match the query (a prefix of a query word, or an alternative's word) in <mark>. */
export function highlight(text: string, query: readonly string[], alternatives: Readonly<Record<string, readonly (readonly string[])[]>>): ReactNode[] {
  const altWords = new Set(Object.values(alternatives).flatMap((phrases) => phrases.flat()));
  return text.split(/([\p{L}\p{N}'’]+)/u).map((part, i) => {
    if (i % 2 === 0) return part;
    const tok = searchTokens(part).at(-1) ?? '';
    return tok && (query.some((q) => tok.startsWith(q)) || altWords.has(tok)) ? <mark key={i}>{part}</mark> : part;
  });
}

/** Matches shown with highlights under the search box. */
const PREVIEW = 5;

interface LoadedVocabulary {
  concepts: string[][][];
  /** A term as written in the glossary, by its tokens joined (to list what was searched). */
  written: Map<string, string>;
}
const NO_VOCABULARY: LoadedVocabulary = { concepts: [], written: new Map() };

/** The glossary, fetched once per page (any key of the wall may read it). */
let vocabularyRequest: Promise<LoadedVocabulary> | null = null;
function loadVocabulary(): Promise<LoadedVocabulary> {
  const id = /^\/b\/([^/?#]+)/.exec(window.location.pathname)?.[1];
  if (!id) return Promise.resolve(NO_VOCABULARY);
  const key = keyFromLocation();
  vocabularyRequest ??= fetch(`/api/boards/${id}/vocabulary`, key ? { headers: { authorization: `Bearer ${key}` } } : {})
    .then((r) => (r.ok ? (r.json() as Promise<{ concepts: VocabularyConcept[] }>) : { concepts: [] }))
    .then((v) => {
      const written = new Map<string, string>();
      for (const [fr, en] of v.concepts) for (const term of [...fr, ...en]) written.set(searchTokens(term).join(' '), term);
      return { concepts: vocabularyTokens(v.concepts), written };
    })
    .catch(() => {
      vocabularyRequest = null; // try again next time
      return NO_VOCABULARY;
    });
  return vocabularyRequest;
}

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
  const [vocab, setVocab] = useState<LoadedVocabulary>(NO_VOCABULARY);
  useEffect(() => {
    let live = true;
    void loadVocabulary().then((v) => live && setVocab(v));
    return () => {
      live = false;
    };
  }, []);
  const alternatives = useMemo(() => expandQuery(q, vocab.concepts), [q, vocab]);
  const altKey = JSON.stringify(alternatives);
  const orgs = useMemo(() => facetOptions(notes, 'org'), [notes]);
  const authors = useMemo(() => facetOptions(notes, 'author'), [notes]);
  const perDomain = useMemo(() => {
    const m = new Map<string, number>();
    for (const n of notes) m.set(n.domainId, (m.get(n.domainId) ?? 0) + 1);
    return m;
  }, [notes]);

  useEffect(() => {
    if ((value.q ?? '') === q && JSON.stringify(value.alternatives ?? {}) === altKey) return;
    const timer = setTimeout(() => onChange({ ...value, q, alternatives }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [q, value, onChange, alternatives, altKey]);

  const set = (patch: NoteFilter) => onChange({ ...value, ...patch, q, alternatives });
  const query = useMemo(() => (value.q ? parseQuery(value.q) : []), [value.q]);
  const matches = useMemo(
    () => (query.length ? filterNotes(notes, { q: value.q, ...(value.alternatives ? { alternatives: value.alternatives } : {}) }).slice(0, PREVIEW) : []),
    [notes, query, value.q, value.alternatives],
  );
  const extraTerms = useMemo(() => {
    const own = new Set(query);
    const joined = [...new Set(Object.values(value.alternatives ?? {}).flatMap((ps) => ps.map((p) => p.join(' '))))].filter((w) => !own.has(w));
    return joined.map((w) => vocab.written.get(w) ?? w).slice(0, 12);
  }, [value.alternatives, query, vocab]);
  const select = (key: 'domainId' | 'clusterId' | 'org' | 'author', label: string, options: { key: string; label: string; count?: number }[]) => (
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
      {extraTerms.length > 0 && (
        <p className="muted small search-also" data-testid="search-also">
          {t('search.also', { terms: extraTerms.join(', ') })}
        </p>
      )}
      {matches.length > 0 && (
        <ul className="search-matches small" aria-label={t('search.matches')} data-testid="search-matches">
          {matches.map((n) => (
            <li key={n.id}>{highlight(n.text, query, value.alternatives ?? {})}</li>
          ))}
        </ul>
      )}
    </form>
  );
}
