/**
 * "Waiting" notes: what this device typed that is not on the wall — kept while the wall was
 * locked, left in an editor before a reload, or reverted by the server — listed with what will
 * happen to each (docs/spec.md R64). Queued ones are posted by the page as soon as the wall
 * reopens; the others wait for the person to post or drop them. Drafts still open in an editor
 * are not repeated here.
 */
import { useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { Domain, HeldWrite } from '@maillage/shared';
import type { Language } from '../i18n/index.ts';
import type { Draft, DraftStore } from '../sync/drafts.ts';
import type { NoteActions } from '../wall/actions.ts';
import { heldId } from '../sync/session.ts';

export interface DraftsTrayProps {
  drafts: DraftStore;
  domains: Domain[];
  actions: NoteActions;
  lang: Language;
  /** This person's writes the server holds until the wall reopens (R57); it posts them itself. */
  held: HeldWrite[];
  /** Draft ids the server already keeps (held writes, private notes): not listed twice. */
  keptByServer: ReadonlySet<string>;
  onMessage(message: string): void;
}


export function DraftsTray({ drafts, domains, actions, lang, held, keptByServer, onMessage }: DraftsTrayProps) {
  const { t } = useTranslation();
  const all = useSyncExternalStore(drafts.subscribe, drafts.getSnapshot);
  // Posting may wait for the server (private writing): one click, one note.
  const [posting, setPosting] = useState<ReadonlySet<string>>(new Set());
  const open = useSyncExternalStore(drafts.subscribe, drafts.getOpen);
  // A draft the server also holds is shown once, as the server's (it posts it on unlock).
  const shown = all.filter((d) => !open.has(d.id) && !keptByServer.has(d.id));
  const count = shown.length + held.length;
  if (!count || !actions.mayWrite) return null;

  const status = (d: Draft): string => {
    if (d.state === 'queued') return actions.locked || d.reason === 'locked' ? t('drafts.waitingLocked') : t('drafts.waiting');
    return d.reason === 'refused' ? t('drafts.refused') : t('drafts.unsent');
  };
  const domainTitle = (id: string) => {
    const d = domains.find((x) => x.id === id);
    return d ? d.title[lang] || d.title.fr : '';
  };
  const post = (d: Draft) => {
    setPosting((p) => new Set(p).add(d.id));
    void actions
      .postDraft(d)
      .then((r) => {
        if (r.status === 'kept') onMessage(r.reason === 'locked' ? t('drafts.keptLocked') : t('drafts.keptFailed'));
      })
      .finally(() =>
        setPosting((p) => {
          const next = new Set(p);
          next.delete(d.id);
          return next;
        }),
      );
  };

  return (
    <section className="drafts-tray" aria-labelledby="drafts-title" data-testid="drafts-tray">
      <h2 id="drafts-title">{t('drafts.title', { count })}</h2>
      <ul>
        {held.map((h) => {
          const text = h.mode === 'create' ? h.note.text : typeof h.patch.text === 'string' ? h.patch.text : '';
          const domainId = h.mode === 'create' ? h.note.domainId : typeof h.patch.domainId === 'string' ? h.patch.domainId : '';
          return (
            <li key={`held-${heldId(h)}`} className="draft draft-held" data-draft-state="held">
              <p className="draft-text">{text || t('drafts.edit')}</p>
              <p className="muted small">
                {domainTitle(domainId) && <span className="draft-domain">{domainTitle(domainId)} · </span>}
                {h.mode === 'patch' ? `${t('drafts.edit')} · ` : ''}
                {t('drafts.heldByServer')}
              </p>
            </li>
          );
        })}
        {shown.map((d) => (
          <li key={d.id} className={`draft draft-${d.state}`} data-draft-state={d.state}>
            <p className="draft-text">{d.text}</p>
            <p className="muted small">
              {domainTitle(d.domainId) && <span className="draft-domain">{domainTitle(d.domainId)} · </span>}
              {d.editOf ? `${t('drafts.edit')} · ` : ''}
              {status(d)}
            </p>
            <div className="row">
              {actions.canWrite && (
                <button type="button" className="primary" disabled={posting.has(d.id)} onClick={() => post(d)}>
                  {t('drafts.post')}
                </button>
              )}
              <button type="button" onClick={() => drafts.remove(d.id)}>
                {t('drafts.discard')}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
