/**
 * Mutually reinforcing activities: run the clustering, review its suggestions (why, how sure),
 * accept / reject / rename them, manage accepted clusters (rename, merge, remove a note, dismiss),
 * merge same-organization duplicates, and read the "who should talk to whom" sheet.
 *
 * Triage in a live session (docs/spec.md R130): strongest suggestions first, each named from its
 * own notes in the host's language, with its halo colour on the wall; several at once can be
 * accepted or dismissed, and one can be merged into another suggestion or an accepted group.
 */
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type * as Y from 'yjs';
import {
  acceptCluster,
  deleteNote,
  removeCluster,
  updateCluster,
  updateNote,
  type Cluster,
  type Note,
  type Relation,
  type SuggestedCluster,
} from '@maillage/shared';
import { LOCAL_ORIGIN } from '../sync/connection.ts';
import { groupHalos } from '../projection/groupColors.ts';
import { groupLabel } from '../projection/groupLabel.ts';
import '../projection/projection.css';
import type { SessionInfo } from '../sync/session.ts';
import { contactRows, contactsCsv, download } from './contactsCsv.ts';
import { emailOf } from '../sync/emails.ts';
import { errorText } from '../i18n/errors.ts';

export interface ClustersPanelProps {
  doc: Y.Doc;
  session: SessionInfo;
  isHost: boolean;
  notes: Note[];
  clusters: Cluster[];
  relations: Relation[];
  /** Emails this viewer may see, by author id: the server's `contacts:list` (R85). */
  emails: Readonly<Record<string, string>>;
  onClose(): void;
  onMessage(m: string): void;
}

function NoteLine({ n, emails, action }: { n: Note | undefined; emails: Readonly<Record<string, string>>; action?: React.ReactNode }) {
  if (!n) return null;
  return (
    <li className={action ? 'row' : undefined}>
      <span className="note-text">{n.text}</span>
      <span className="muted small">
        {' — '}
        {[n, ...(n.coauthors ?? [])]
          .map((x) => {
            const email = emailOf(emails, x.ownerId);
            return `${x.author}${x.org ? `, ${x.org}` : ''}${email ? ` <${email}>` : ''}`;
          })
          .join(' ; ')}
      </span>
      {action}
    </li>
  );
}

/** "fr term, fr term = en term, en term" per line → glossary entries (the server validates). */
export function parseGlossary(text: string): { fr: string[]; en: string[] }[] {
  const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean).slice(0, 10);
  return text
    .split('\n')
    .map((line) => line.split('='))
    .filter((parts) => parts.length === 2)
    .map(([fr, en]) => ({ fr: list(fr ?? ''), en: list(en ?? '') }))
    .filter((e) => e.fr.length + e.en.length >= 2)
    .slice(0, 200);
}

/** Strongest first: confidence, then size (a sure group of six before a sure pair), then id. */
export function byStrength(a: SuggestedCluster, b: SuggestedCluster): number {
  return b.score - a.score || b.noteIds.length - a.noteIds.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export function ClustersPanel(p: ClustersPanelProps) {
  const { t, i18n } = useTranslation();
  // Not currentLanguage() from i18n/index.ts: importing it touches `document`, and this module's
  // pure helpers are unit-tested under Node.
  const lang = i18n.language?.startsWith('en') ? 'en' : 'fr';
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const [mergeSugg, setMergeSugg] = useState<Record<string, string>>({});
  const [tab, setTab] = useState<'suggestions' | 'accepted' | 'contacts'>(p.isHost ? 'suggestions' : 'accepted');
  const [names, setNames] = useState<Record<string, string>>({});
  const [mergeInto, setMergeInto] = useState<Record<string, string>>({});
  const [glossary, setGlossary] = useState('');
  const byId = useMemo(() => new Map(p.notes.map((n) => [n.id, n])), [p.notes]);
  const sugg = p.session.suggestions;
  const accepted = useMemo(() => new Set(p.clusters.map((c) => c.id)), [p.clusters]);
  const progress = p.session.clusterProgress;

  const colorOf = useMemo(() => groupHalos(p.clusters, sugg?.clusters ?? null).colorOf, [p.clusters, sugg]);
  const open = useMemo(() => (sugg?.clusters ?? []).filter((c) => !accepted.has(c.id)).sort(byStrength), [sugg, accepted]);
  const autoName = useMemo(() => {
    const m = new Map<string, string>();
    for (const c of sugg?.clusters ?? []) m.set(c.id, groupLabel(c.noteIds.map((id) => byId.get(id)).filter((n): n is Note => !!n), c.terms, lang, c.label));
    return m;
  }, [sugg, byId, lang]);
  const nameOf = (c: SuggestedCluster) => names[c.id] ?? autoName.get(c.id) ?? c.label;
  const accept = (c: SuggestedCluster, noteIds: readonly string[] = c.noteIds) => {
    const label = nameOf(c).trim().slice(0, 80) || c.label;
    acceptCluster(p.doc, { id: c.id, label, noteIds: noteIds.filter((id) => byId.has(id)), terms: c.terms, score: c.score }, LOCAL_ORIGIN);
  };
  const reject = (c: SuggestedCluster) => p.session.call('host:clusterReject', { clusterId: c.id });
  const selected = open.filter((c) => picked.has(c.id));
  const bulk = async (how: 'accept' | 'dismiss') => {
    if (how === 'accept') p.doc.transact(() => selected.forEach((c) => accept(c)), LOCAL_ORIGIN);
    else {
      const res = await Promise.all(selected.map(reject));
      const failed = res.find((r) => !r.ok);
      if (failed && !failed.ok) p.onMessage(errorText(t, failed.error));
    }
    setPicked(new Set());
  };
  /** Merges suggestion `c` into another suggestion (accepted together) or an accepted group. */
  const mergeSuggestion = async (c: SuggestedCluster, target: string) => {
    const group = p.clusters.find((x) => x.id === target);
    const other = open.find((x) => x.id === target);
    if (group) updateCluster(p.doc, group.id, { noteIds: Array.from(new Set([...group.noteIds, ...c.noteIds.filter((id) => byId.has(id))])) }, LOCAL_ORIGIN);
    else if (other) accept(other, Array.from(new Set([...other.noteIds, ...c.noteIds])));
    else return;
    // The merged suggestion lives on in its target: not offered again.
    const r = await reject(c);
    if (!r.ok) p.onMessage(errorText(t, r.error));
  };
  const mergeDuplicate = (keep: string, drop: string) => {
    const a = byId.get(keep);
    const b = byId.get(drop);
    if (!a || !b) return;
    // The second author becomes a co-author of the kept note, so nobody loses their contact: by
    // author id, since the email lives in the server's contact store, not on notes (R90).
    const coauthors = [...(a.coauthors ?? []), { author: b.author, org: b.org, ...(b.ownerId ? { ownerId: b.ownerId } : {}) }, ...(b.coauthors ?? [])].slice(0, 10);
    p.doc.transact(() => {
      updateNote(p.doc, keep, { coauthors }, LOCAL_ORIGIN);
      deleteNote(p.doc, drop, LOCAL_ORIGIN);
    }, LOCAL_ORIGIN);
  };
  const rows = useMemo(() => contactRows(p.clusters, p.relations, byId, p.emails), [p.clusters, p.relations, byId, p.emails]);
  // The email column appears when the server sent this viewer at least one of these emails.
  const anyEmail = rows.some((r) => r.email);

  return (
    <aside className="side-panel clusters-panel" aria-labelledby="clusters-title">
      <div className="side-panel-head">
        <h2 id="clusters-title">{t('clusters.title')}</h2>
        <button type="button" onClick={p.onClose} aria-label={t('wall.close')}>
          ×
        </button>
      </div>
      <div className="tabs" role="tablist">
        {(p.isHost ? (['suggestions', 'accepted', 'contacts'] as const) : (['accepted', 'contacts'] as const)).map((k) => (
          <button key={k} type="button" role="tab" aria-selected={tab === k} onClick={() => setTab(k)}>
            {t(`clusters.tab_${k}`)}
          </button>
        ))}
      </div>

      {tab === 'suggestions' && p.isHost && (
        <section>
          <button
            type="button"
            className="primary"
            disabled={!!progress}
            onClick={async () => {
              const r = await p.session.call('host:cluster', {});
              if (!r.ok) p.onMessage(errorText(t, r.error));
            }}
          >
            {t('clusters.run')}
          </button>
          {progress && (
            <div className="progress" role="status">
              <progress max={1} value={progress.fraction} aria-label={t('clusters.progress')} /> {t(`clusters.phase_${progress.phase}`, { defaultValue: progress.phase })}
            </div>
          )}
          {p.session.clusterError && (
            <p className="field-error" role="alert">
              {p.session.clusterError.code === 'internal' ? t('clusters.failed') : errorText(t, p.session.clusterError)}
            </p>
          )}
          <details className="glossary">
            <summary>{t('clusters.glossary')}</summary>
            <p className="muted small">{t('clusters.glossaryHelp')}</p>
            <textarea
              aria-label={t('clusters.glossary')}
              rows={4}
              value={glossary}
              placeholder="raccrochage = re-engagement, dropout recovery"
              onChange={(e) => setGlossary(e.target.value)}
            />
            <button
              type="button"
              onClick={async () => {
                const r = await p.session.call('host:glossary', { entries: parseGlossary(glossary) });
                p.onMessage(r.ok ? t('clusters.glossarySaved') : errorText(t, r.error));
              }}
            >
              {t('clusters.glossarySave')}
            </button>
          </details>
          {sugg && (
            <p className="muted small">
              {t('clusters.summary', { clusters: sugg.clusters.length, notes: sugg.noteCount })}
            </p>
          )}
          {open.length > 0 && (
            <div className="row triage-bar" role="group">
              <label className="toggle">
                <input
                  type="checkbox"
                  checked={selected.length === open.length}
                  onChange={(e) => setPicked(e.target.checked ? new Set(open.map((c) => c.id)) : new Set())}
                />
                {t('triage.selectAll')}
              </label>
              <button type="button" className="primary" disabled={!selected.length} onClick={() => void bulk('accept')}>
                {t('triage.acceptSelected', { count: selected.length })}
              </button>
              <button type="button" disabled={!selected.length} onClick={() => void bulk('dismiss')}>
                {t('triage.dismissSelected', { count: selected.length })}
              </button>
            </div>
          )}
          <ol className="cluster-list">
            {open.map((c) => (
                <li key={c.id} className="cluster" data-cluster-id={c.id} data-score={c.score}>
                  <div className="cluster-head">
                    <input
                      type="checkbox"
                      aria-label={t('triage.select', { name: nameOf(c) })}
                      checked={picked.has(c.id)}
                      onChange={(e) => {
                        const next = new Set(picked);
                        if (e.target.checked) next.add(c.id);
                        else next.delete(c.id);
                        setPicked(next);
                      }}
                    />
                    <span className="halo-key" style={{ borderColor: colorOf.get(c.id) }} title={t('triage.halo')} aria-label={t('triage.halo')} role="img" data-color={colorOf.get(c.id)} />
                    <input
                      aria-label={t('clusters.name')}
                      value={nameOf(c)}
                      onChange={(e) => setNames({ ...names, [c.id]: e.target.value })}
                    />
                  </div>
                  <p className="small">
                    <span className="strength" style={{ width: `${Math.round(Math.max(0.05, Math.min(1, c.score)) * 3)}rem` }} aria-hidden="true" />
                    <strong title={t('triage.strength')}>{Math.round(c.score * 100)} %</strong> · {t('triage.notes', { count: c.noteIds.length })} · {t('clusters.orgs', { count: c.orgCount })} · {t('clusters.domains', { count: c.domainCount })}
                    {c.orgCount > 1 && c.domainCount > 1 && <span className="badge mra">{t('clusters.mra')}</span>}
                  </p>
                  <p className="small muted">
                    {t('clusters.why')} {c.terms.join(', ')}
                  </p>
                  <ul>
                    {c.noteIds.map((id) => (
                      <NoteLine key={id} n={byId.get(id)} emails={p.emails} />
                    ))}
                  </ul>
                  <div className="row">
                    <button type="button" className="primary" onClick={() => accept(c)}>
                      {t('clusters.accept')}
                    </button>
                    <button type="button" onClick={() => void reject(c)}>
                      {t('clusters.reject')}
                    </button>
                    <select aria-label={t('triage.mergeWith')} value={mergeSugg[c.id] ?? ''} onChange={(e) => setMergeSugg({ ...mergeSugg, [c.id]: e.target.value })}>
                      <option value="">{t('triage.mergeWith')}</option>
                      {p.clusters.map((o) => (
                        <option key={o.id} value={o.id}>
                          {o.label}
                        </option>
                      ))}
                      {open
                        .filter((o) => o.id !== c.id)
                        .map((o) => (
                          <option key={o.id} value={o.id}>
                            {nameOf(o)}
                          </option>
                        ))}
                    </select>
                    <button type="button" disabled={!mergeSugg[c.id]} onClick={() => void mergeSuggestion(c, mergeSugg[c.id] as string)}>
                      {t('triage.merge')}
                    </button>
                  </div>
                </li>
              ))}
          </ol>
          {sugg && sugg.duplicates.length > 0 && (
            <section aria-labelledby="dup-title">
              <h3 id="dup-title">{t('clusters.duplicates')}</h3>
              {(sugg.duplicateCount ?? 0) > sugg.duplicates.length && (
                <p className="muted" data-testid="duplicates-more">
                  {t('clusters.duplicatesMore', { count: sugg.duplicateCount, shown: sugg.duplicates.length })}
                </p>
              )}
              <ul className="cluster-list">
                {sugg.duplicates
                  .filter((d) => byId.has(d.noteIds[0]) && byId.has(d.noteIds[1]))
                  .map((d) => (
                    <li key={d.noteIds.join('-')} className="cluster">
                      <ul>
                        <NoteLine n={byId.get(d.noteIds[0])} emails={p.emails} />
                        <NoteLine n={byId.get(d.noteIds[1])} emails={p.emails} />
                      </ul>
                      <button type="button" onClick={() => mergeDuplicate(d.noteIds[0], d.noteIds[1])}>
                        {t('clusters.mergeDuplicates')}
                      </button>
                    </li>
                  ))}
              </ul>
            </section>
          )}
        </section>
      )}

      {tab === 'accepted' && (
        <ol className="cluster-list">
          {p.clusters.length === 0 && <p className="muted">{t('clusters.none')}</p>}
          {p.clusters.map((c) => (
            <li key={c.id} className="cluster" data-cluster-id={c.id}>
              {p.isHost ? (
                <input
                  aria-label={t('clusters.name')}
                  defaultValue={c.label}
                  onBlur={(e) => e.target.value.trim() && e.target.value !== c.label && updateCluster(p.doc, c.id, { label: e.target.value.trim() }, LOCAL_ORIGIN)}
                />
              ) : (
                <h3>{c.label}</h3>
              )}
              <ul>
                {c.noteIds.map((id) => (
                  <NoteLine
                    key={id}
                    n={byId.get(id)}
                    emails={p.emails}
                    action={p.isHost && (
                      <button
                        type="button"
                        aria-label={t('clusters.removeNote')}
                        onClick={() => {
                          const rest = c.noteIds.filter((x) => x !== id);
                          if (rest.length < 2) removeCluster(p.doc, c.id, LOCAL_ORIGIN);
                          else updateCluster(p.doc, c.id, { noteIds: rest }, LOCAL_ORIGIN);
                        }}
                      >
                        −
                      </button>
                    )}
                  />
                ))}
              </ul>
              {p.isHost && (
                <div className="row">
                  <select aria-label={t('clusters.mergeWith')} value={mergeInto[c.id] ?? ''} onChange={(e) => setMergeInto({ ...mergeInto, [c.id]: e.target.value })}>
                    <option value="">{t('clusters.mergeWith')}</option>
                    {p.clusters.filter((o) => o.id !== c.id).map((o) => (
                      <option key={o.id} value={o.id}>
                        {o.label}
                      </option>
                    ))}
                  </select>
                  <button
                    type="button"
                    disabled={!mergeInto[c.id]}
                    onClick={() => {
                      const other = p.clusters.find((o) => o.id === mergeInto[c.id]);
                      if (!other) return;
                      p.doc.transact(() => {
                        updateCluster(p.doc, c.id, { noteIds: Array.from(new Set([...c.noteIds, ...other.noteIds])) }, LOCAL_ORIGIN);
                        removeCluster(p.doc, other.id, LOCAL_ORIGIN);
                      }, LOCAL_ORIGIN);
                    }}
                  >
                    {t('clusters.merge')}
                  </button>
                  <button type="button" className="danger" onClick={() => removeCluster(p.doc, c.id, LOCAL_ORIGIN)}>
                    {t('clusters.dismiss')}
                  </button>
                </div>
              )}
            </li>
          ))}
        </ol>
      )}

      {tab === 'contacts' && (
        <section aria-labelledby="contacts-title">
          <h3 id="contacts-title">{t('clusters.contactsTitle')}</h3>
          <button
            type="button"
            onClick={() =>
              download(
                'maillage-contacts.csv',
                contactsCsv(rows, [t('clusters.colGroup'), t('clusters.colKind'), t('clusters.colOrg'), t('clusters.colName'), t('clusters.colEmail'), t('clusters.colActivity')]),
              )
            }
          >
            {t('clusters.downloadCsv')}
          </button>
          <table className="contacts">
            <thead>
              <tr>
                <th scope="col">{t('clusters.colGroup')}</th>
                <th scope="col">{t('clusters.colOrg')}</th>
                <th scope="col">{t('clusters.colName')}</th>
                {anyEmail && <th scope="col">{t('clusters.colEmail')}</th>}
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i}>
                  <td>{r.group}</td>
                  <td>{r.organization}</td>
                  <td>{r.name}</td>
                  {anyEmail && <td>{r.email}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </aside>
  );
}
