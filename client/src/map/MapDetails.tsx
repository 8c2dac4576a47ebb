/**
 * The list beside the relationship map: with nothing selected, every organization (a keyboard and
 * screen-reader way into the map); with an organization, its activities, its links and the people
 * to contact; with a link, why the two are linked (the shared groups, the connectors), the
 * activities behind it and the people to contact on both sides. Emails are the ones the server
 * sent for this viewer (by author id); none is shown otherwise (R150).
 */
import { useTranslation } from 'react-i18next';
import { edgesOf, noteOrganizations, type Cluster, type Domain, type Network, type NetworkEdge, type Note, type Relation } from '@maillage/shared';
import type { Language } from '../i18n/index.ts';
import { emailOf } from '../sync/emails.ts';

export type MapSelection = { kind: 'node'; id: string } | { kind: 'edge'; source: string; target: string };

export interface MapDetailsProps {
  network: Network;
  selection: MapSelection | null;
  notes: Note[];
  domains: Domain[];
  clusters: Cluster[];
  relations: Relation[];
  emails: Readonly<Record<string, string>>;
  lang: Language;
  onSelect(s: MapSelection | null): void;
}

interface Contact {
  name: string;
  org: string;
  email: string;
}

/** Distinct people (authors and co-authors) of `notes`, in order. */
function contactsOf(notes: readonly Note[], emails: Readonly<Record<string, string>>): Contact[] {
  const out = new Map<string, Contact>();
  for (const n of notes) {
    for (const who of [n, ...(n.coauthors ?? [])]) {
      const c = { name: who.author.trim(), org: who.org.trim(), email: emailOf(emails, who.ownerId) };
      const key = `${c.name}|${c.org}`.toLowerCase();
      if (!c.name && !c.org) continue;
      const known = out.get(key);
      if (!known || (!known.email && c.email)) out.set(key, c);
    }
  }
  return [...out.values()];
}

export function MapDetails(p: MapDetailsProps) {
  const { t } = useTranslation();
  const label = new Map(p.network.nodes.map((n) => [n.id, n.label]));
  const byId = new Map(p.notes.map((n) => [n.id, n]));
  const domainTitle = new Map(p.domains.map((d) => [d.id, d.title[p.lang] || d.title.fr]));
  const orgIds = (n: Note) => noteOrganizations(n).map((o) => o.key);

  const activityList = (notes: Note[]) => (
    <ul className="map-activities" data-testid="map-activities">
      {notes.map((n) => (
        <li key={n.id} data-note={n.id}>
          <span className="map-activity-text">{n.text}</span>
          <span className="muted small"> — {[n.org || n.author, domainTitle.get(n.domainId)].filter(Boolean).join(' · ')}</span>
        </li>
      ))}
    </ul>
  );
  const contactList = (notes: Note[]) => {
    const contacts = contactsOf(notes, p.emails);
    return (
      <>
        <h4>{t('map.contacts')}</h4>
        <ul className="map-contacts" data-testid="map-contacts">
          {contacts.map((c) => (
            <li key={`${c.name}|${c.org}`}>
              <strong>{c.name || '—'}</strong>
              {c.org && <> · {c.org}</>}
              {c.email ? (
                <>
                  {' '}
                  · <a href={`mailto:${c.email}`}>{c.email}</a>
                </>
              ) : null}
            </li>
          ))}
        </ul>
        {contacts.length > 0 && contacts.every((c) => !c.email) && <p className="muted small">{t('map.noEmails')}</p>}
      </>
    );
  };
  const reasons = (e: NetworkEdge) => {
    const ids = new Set(e.notes);
    const groups = p.clusters.filter((c) => {
      const orgs = new Set(c.noteIds.map((id) => byId.get(id)).filter((n): n is Note => !!n).flatMap(orgIds));
      return orgs.has(e.source) && orgs.has(e.target);
    });
    const links = p.relations.filter((r) => ids.has(r.from) && ids.has(r.to));
    return (
      <ul className="map-reasons">
        {groups.map((g) => (
          <li key={g.id}>
            <span className="swatch line group" /> {t('map.sharedGroup', { name: g.label || '—' })}
          </li>
        ))}
        {links.map((r) => (
          <li key={r.id}>
            <span className="swatch line connector" /> {t('map.connectorBetween', { a: byId.get(r.from)?.text ?? '?', b: byId.get(r.to)?.text ?? '?' })}
            {r.label && <> ({r.label})</>}
          </li>
        ))}
        {e.kinds.includes('similar') && (
          <li>
            <span className="swatch line similar" /> {t('map.kindSimilar')}
          </li>
        )}
      </ul>
    );
  };

  let body;
  const sel = p.selection;
  if (sel?.kind === 'node' && label.has(sel.id)) {
    const notes = p.notes.filter((n) => orgIds(n).includes(sel.id));
    const links = edgesOf(p.network, sel.id);
    body = (
      <>
        <h3 data-testid="map-selected">{label.get(sel.id)}</h3>
        <p className="muted small">{t('map.activities', { count: notes.length })}</p>
        {activityList(notes)}
        {links.length > 0 && (
          <>
            <h4>{t('map.linkedWith')}</h4>
            <ul className="map-links">
              {links.map((e) => {
                const other = e.source === sel.id ? e.target : e.source;
                return (
                  <li key={other}>
                    <button type="button" className="link-button" onClick={() => p.onSelect({ kind: 'edge', source: e.source, target: e.target })}>
                      {label.get(other)}
                    </button>{' '}
                    <span className="muted small">({e.kinds.map((k) => t(`map.short.${k}`)).join(', ')})</span>
                  </li>
                );
              })}
            </ul>
          </>
        )}
        {contactList(notes)}
      </>
    );
  } else if (sel?.kind === 'edge') {
    const e = p.network.edges.find((x) => x.source === sel.source && x.target === sel.target);
    if (e) {
      const notes = e.notes.map((id) => byId.get(id)).filter((n): n is Note => !!n);
      body = (
        <>
          <h3 data-testid="map-selected">
            {label.get(e.source)} ↔ {label.get(e.target)}
          </h3>
          {reasons(e)}
          <h4>{t('map.activitiesBehind', { count: notes.length })}</h4>
          {activityList(notes)}
          {contactList(notes)}
        </>
      );
    }
  }
  if (!body) {
    const nodes = [...p.network.nodes].sort((a, b) => b.notes - a.notes || a.label.localeCompare(b.label));
    body = (
      <>
        <h3>{t('map.organizations')}</h3>
        <p className="muted small">{t('map.hint')}</p>
        <ul className="map-orgs">
          {nodes.map((n) => (
            <li key={n.id}>
              <button type="button" className="link-button" onClick={() => p.onSelect({ kind: 'node', id: n.id })}>
                {n.label}
              </button>{' '}
              <span className="muted small">{t('map.activities', { count: n.notes })}</span>
            </li>
          ))}
        </ul>
      </>
    );
  }
  return (
    <aside className="map-details" aria-live="polite" data-testid="map-details">
      {p.selection && (
        <button type="button" className="map-back" onClick={() => p.onSelect(null)}>
          ← {t('map.allOrganizations')}
        </button>
      )}
      {body}
    </aside>
  );
}
