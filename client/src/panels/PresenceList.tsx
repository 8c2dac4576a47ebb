/** Who is on the wall right now: a count and, on demand, the names (from Yjs awareness). */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PresentPerson } from '../sync/presence.ts';

export function PresenceList({ people, count }: { people: PresentPerson[]; count: number }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const n = Math.max(count, people.length);
  return (
    <div className="presence">
      <button type="button" aria-expanded={open} onClick={() => setOpen((o) => !o)} data-testid="participants">
        {t('wall.participants', { count: n })}
      </button>
      {open && (
        <ul className="presence-list" aria-label={t('wall.whoIsHere')}>
          {people.map((p) => (
            <li key={p.clientId}>
              <span className="swatch-dot" style={{ background: p.color }} aria-hidden="true" />
              {p.name}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
