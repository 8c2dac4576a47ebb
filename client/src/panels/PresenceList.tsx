/**
 * Who is on the wall right now: a count and, on demand, the names (from Yjs awareness). For hosts
 * it also lists the people who wrote notes (by author id, from the document), each with "Erase"
 * (confirmed; `host:erasePerson`, R92) — whether or not they are still connected.
 */
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Note } from '@maillage/shared';
import type { PresentPerson } from '../sync/presence.ts';

export interface PresenceListProps {
  people: PresentPerson[];
  count: number;
  /** Hosts: the wall's notes, to list their authors with an erase button. */
  notes?: readonly Note[];
  onErase?(ownerId: string, name: string, notes: number): void;
}

interface Author {
  ownerId: string;
  name: string;
  notes: number;
}

/** The wall's authors by owner id (notes without one belong to no erasable person). */
export function authorsOf(notes: readonly Note[]): Author[] {
  const by = new Map<string, Author>();
  for (const n of notes) {
    if (!n.ownerId) continue;
    const a = by.get(n.ownerId) ?? { ownerId: n.ownerId, name: n.author, notes: 0 };
    a.notes++;
    if (!a.name && n.author) a.name = n.author;
    by.set(n.ownerId, a);
  }
  return [...by.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export function PresenceList({ people, count, notes, onErase }: PresenceListProps) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const n = Math.max(count, people.length);
  const authors = useMemo(() => (open && notes && onErase ? authorsOf(notes) : []), [open, notes, onErase]);
  return (
    <div className="presence">
      <button type="button" aria-expanded={open} onClick={() => setOpen((o) => !o)} data-testid="participants">
        {t('wall.participants', { count: n })}
      </button>
      {open && (
        <div className="presence-list">
          <ul aria-label={t('wall.whoIsHere')}>
            {people.map((p) => (
              <li key={p.clientId}>
                <span className="swatch-dot" style={{ background: p.color }} aria-hidden="true" />
                {p.name}
              </li>
            ))}
          </ul>
          {notes && onErase && (
            <section aria-label={t('host.people')} data-testid="authors">
              <h2 className="small">{t('host.people')}</h2>
              {authors.length === 0 && <p className="muted small">{t('host.noPeople')}</p>}
              <ul>
                {authors.map((a) => {
                  const name = a.name || t('host.unnamed');
                  return (
                    <li key={a.ownerId}>
                      <span className="grow">
                        {name} <span className="muted small">({t('wall.notes', { count: a.notes })})</span>
                      </span>
                      <button type="button" className="danger small" aria-label={t('host.erasePersonLabel', { name })} onClick={() => onErase(a.ownerId, name, a.notes)}>
                        {t('host.erasePerson')}
                      </button>
                    </li>
                  );
                })}
              </ul>
            </section>
          )}
        </div>
      )}
    </div>
  );
}
