/**
 * Phone-first "add an activity": a bottom sheet with the text and a domain picker that places the
 * note in the chosen domain without any dragging.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LIMITS, type Domain, type Note } from '@maillage/shared';
import type { Language } from '../i18n/index.ts';
import type { NoteActions } from '../wall/actions.ts';
import { nextSlot } from '../wall/geometry.ts';

export function QuickAddSheet({ domains, notes, actions, lang, onClose }: { domains: Domain[]; notes: Note[]; actions: NoteActions; lang: Language; onClose(): void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [domainId, setDomainId] = useState(domains[0]?.id ?? '');
  return (
    <div className="sheet" role="dialog" aria-modal="true" aria-labelledby="quick-add-title">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const v = text.trim();
          if (!v || !domainId) return;
          void actions.add({ text: v, domainId, ...nextSlot(domainId, notes) }).then((id) => {
            if (id) onClose();
          });
        }}
      >
        <h2 id="quick-add-title">{t('wall.quickAdd')}</h2>
        <label>
          {t('wall.activity')}
          <textarea value={text} maxLength={LIMITS.noteText} onChange={(e) => setText(e.target.value)} placeholder={t('wall.notePlaceholder')} rows={3} autoFocus />
        </label>
        <label>
          {t('wall.domain')}
          <select value={domainId} onChange={(e) => setDomainId(e.target.value)}>
            {domains.map((d) => (
              <option key={d.id} value={d.id}>
                {d.title[lang] || d.title.fr}
              </option>
            ))}
          </select>
        </label>
        <div className="row-end">
          <button type="button" onClick={onClose}>
            {t('wall.cancel')}
          </button>
          <button type="submit" className="primary" disabled={!text.trim()}>
            {t('wall.addNote')}
          </button>
        </div>
      </form>
    </div>
  );
}
