/**
 * Live domain editing for hosts: rename in both languages, recolour, reorder, add, remove (asking
 * where the notes go). Writes go to the document with the local origin, so they are undoable.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type * as Y from 'yjs';
import { LIMITS, addDomain, removeDomain, updateDomain, MaillageError, type Domain, type Note } from '@maillage/shared';
import { LOCAL_ORIGIN } from '../sync/connection.ts';
import type { Language } from '../i18n/index.ts';
import { errorText } from '../i18n/errors.ts';

export function DomainEditor({ doc, domains, notes, lang, onError }: { doc: Y.Doc; domains: Domain[]; notes: Note[]; lang: Language; onError(m: string): void }) {
  const { t } = useTranslation();
  const [removing, setRemoving] = useState<string | null>(null);
  const [target, setTarget] = useState<string>('');
  const guard = (fn: () => void) => {
    try {
      fn();
    } catch (e) {
      // The host reads the refusal in their language; the English message is for logs (R206).
      onError(errorText(t, e instanceof MaillageError ? e : { code: 'internal' }));
    }
  };
  const swap = (i: number, j: number) => {
    const a = domains[i];
    const b = domains[j];
    if (!a || !b) return;
    doc.transact(() => {
      updateDomain(doc, a.id, { order: b.order }, LOCAL_ORIGIN);
      updateDomain(doc, b.id, { order: a.order === b.order ? a.order + (j > i ? 1 : -1) : a.order }, LOCAL_ORIGIN);
    }, LOCAL_ORIGIN);
  };
  return (
    <section aria-labelledby="domains-heading" className="domain-editor">
      <h3 id="domains-heading">{t('host.domains')}</h3>
      <ol>
        {domains.map((d, i) => {
          const count = notes.filter((n) => n.domainId === d.id).length;
          return (
            <li key={d.id} className="domain-row" data-domain-id={d.id}>
              <label>
                {t('host.titleFr')}
                <input
                  defaultValue={d.title.fr}
                  maxLength={LIMITS.domainTitle}
                  onBlur={(e) => e.target.value !== d.title.fr && guard(() => updateDomain(doc, d.id, { title: { ...d.title, fr: e.target.value } }, LOCAL_ORIGIN))}
                />
              </label>
              <label>
                {t('host.titleEn')}
                <input
                  defaultValue={d.title.en}
                  maxLength={LIMITS.domainTitle}
                  onBlur={(e) => e.target.value !== d.title.en && guard(() => updateDomain(doc, d.id, { title: { ...d.title, en: e.target.value } }, LOCAL_ORIGIN))}
                />
              </label>
              <div className="row">
                <label className="inline">
                  {t('host.color')}
                  <input type="color" value={d.color} onChange={(e) => guard(() => updateDomain(doc, d.id, { color: e.target.value }, LOCAL_ORIGIN))} />
                </label>
                <button type="button" onClick={() => swap(i, i - 1)} disabled={i === 0} aria-label={`${t('host.moveUp')} — ${d.title[lang]}`}>
                  ↑
                </button>
                <button type="button" onClick={() => swap(i, i + 1)} disabled={i === domains.length - 1} aria-label={`${t('host.moveDown')} — ${d.title[lang]}`}>
                  ↓
                </button>
                <button
                  type="button"
                  className="danger"
                  onClick={() => {
                    if (count === 0) guard(() => removeDomain(doc, d.id, null, LOCAL_ORIGIN));
                    else {
                      setRemoving(d.id);
                      setTarget(domains.find((x) => x.id !== d.id)?.id ?? '');
                    }
                  }}
                  aria-label={`${t('host.removeDomain')} — ${d.title[lang]}`}
                >
                  ×
                </button>
              </div>
              {removing === d.id && (
                <div className="confirm" role="group" aria-label={t('host.removeDomain')}>
                  <label>
                    {t('host.moveNotesTo')}
                    <select value={target} onChange={(e) => setTarget(e.target.value)}>
                      {domains
                        .filter((x) => x.id !== d.id)
                        .map((x) => (
                          <option key={x.id} value={x.id}>
                            {x.title[lang]}
                          </option>
                        ))}
                      <option value="">{t('host.deleteNotes')}</option>
                    </select>
                  </label>
                  <button
                    type="button"
                    className="danger"
                    onClick={() => {
                      guard(() => removeDomain(doc, d.id, target || null, LOCAL_ORIGIN));
                      setRemoving(null);
                    }}
                  >
                    {t('host.confirmRemove')}
                  </button>
                  <button type="button" onClick={() => setRemoving(null)}>
                    {t('wall.cancel')}
                  </button>
                </div>
              )}
            </li>
          );
        })}
      </ol>
      <button type="button" onClick={() => guard(() => addDomain(doc, { title: { fr: 'Nouveau domaine', en: 'New domain' } }, LOCAL_ORIGIN))}>
        {t('host.addDomain')}
      </button>
    </section>
  );
}
