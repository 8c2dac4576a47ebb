/**
 * The wall as a list (domains → notes): everything the canvas does, reachable with a keyboard and
 * a screen reader. Also the review view's main reading surface.
 */
import { useTranslation } from 'react-i18next';
import type { Domain, Note } from '@maillage/shared';
import type { Language } from '../i18n/index.ts';
import type { NoteActions } from '../wall/actions.ts';

export interface ListViewProps {
  notes: Note[];
  domains: Domain[];
  actions: NoteActions;
  lang: Language;
  privateIds?: ReadonlySet<string>;
  /** Whether emails may be shown to this viewer (never in projection). */
  showEmails: boolean;
}

export function ListView({ notes, domains, lang, showEmails, privateIds }: ListViewProps) {
  const { t } = useTranslation();
  return (
    <div className="list-view">
      {domains.map((d) => {
        const inDomain = notes.filter((n) => n.domainId === d.id);
        return (
          <section key={d.id} aria-labelledby={`dom-${d.id}`} className="list-domain">
            <h2 id={`dom-${d.id}`} style={{ borderColor: d.color }}>
              {d.title[lang] || d.title.fr} <span className="muted small">({t('wall.notes', { count: inDomain.length })})</span>
            </h2>
            {inDomain.length === 0 ? (
              <p className="muted">{t('wall.emptyColumn')}</p>
            ) : (
              <ul>
                {inDomain.map((n) => (
                  <li key={n.id} className="list-note" data-note-id={n.id} data-private={privateIds?.has(n.id) || undefined}>
                    <p className="list-note-text">{n.text}</p>
                    <p className="muted small">
                      {n.author}
                      {n.org ? ` · ${n.org}` : ''}
                      {showEmails && n.email ? ` · ${n.email}` : ''}
                    </p>
                  </li>
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </div>
  );
}
