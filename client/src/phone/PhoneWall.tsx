/**
 * The wall on a phone (docs/spec.md R100–R104): every domain one under the other, its whole
 * title in a header that stays in view while its notes scroll, and the notes as cards in their
 * own colour with their whole text — readable without pinching. One's own notes carry a "Mine"
 * badge; a note one has just posted (here, in the quick-add sheet, or on another of one's
 * devices) is scrolled into view and highlighted. A tap opens the note's sheet (vote, edit,
 * move to…, delete); "Domains" jumps to any domain by its whole title.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Domain, Note } from '@maillage/shared';
import type { ListViewProps } from '../panels/ListView.tsx';
import type { VoteView } from '../wall/Wall.tsx';
import { ownerId as deviceOwnerId } from '../sync/profile.ts';
import { QuickAddSheet } from '../join/QuickAddSheet.tsx';
import { emailOf } from '../sync/emails.ts';
import { NoteSheet } from './NoteSheet.tsx';
import { Sheet } from './Sheet.tsx';
import { DomainPicker, domainTitle } from './DomainPicker.tsx';
import { nextSlotOf, prefetchCanvas } from './deferred.tsx';
import './phone.css';

export interface PhoneWallProps extends ListViewProps {
  vote?: VoteView | null;
}

/** How long the note just posted (or moved) stays highlighted. */
const HIGHLIGHT_MS = 12_000;

export function PhoneWall({ notes, domains, actions, lang, emails, privateIds, drafts = null, vote = null, connected = true }: PhoneWallProps) {
  const { t } = useTranslation();
  const root = useRef<HTMLDivElement>(null);
  const me = useMemo(() => deviceOwnerId(), []);
  const [open, setOpen] = useState<string | null>(null);
  const [adding, setAdding] = useState<string | null>(null);
  const [jumping, setJumping] = useState(false);
  const [highlight, setHighlight] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');

  const byDomain = useMemo(() => {
    const m = new Map<string, Note[]>();
    for (const n of notes) {
      const list = m.get(n.domainId);
      if (list) list.push(n);
      else m.set(n.domainId, [n]);
    }
    // Reading order: the column's order on the canvas (top to bottom), then oldest first.
    for (const list of m.values()) list.sort((a, b) => a.y - b.y || a.createdAt - b.createdAt);
    return m;
  }, [notes]);
  const counts = useMemo(() => new Map([...byDomain].map(([id, list]) => [id, list.length])), [byDomain]);

  // A note of ours that was not there a moment ago has just been posted: show it. (The first
  // render only records what is there; notes synced at load time are not "just posted".)
  const known = useRef<Set<string> | null>(null);
  useEffect(() => {
    const ids = new Set(notes.map((n) => n.id));
    if (known.current) {
      const fresh = notes.find((n) => !known.current?.has(n.id) && n.ownerId === me);
      if (fresh) setHighlight(fresh.id);
    }
    known.current = ids;
  }, [notes, me]);
  useEffect(() => {
    if (!highlight) return;
    const el = root.current?.querySelector<HTMLElement>(`[data-note-id="${CSS.escape(highlight)}"]`);
    el?.scrollIntoView({ block: 'center', behavior: 'smooth' });
    const timer = setTimeout(() => setHighlight(null), HIGHLIGHT_MS);
    return () => clearTimeout(timer);
  }, [highlight]);

  // Placing a new note measures text with the canvas library: fetch it while the person reads.
  useEffect(() => {
    if (actions.mayWrite) prefetchCanvas();
  }, [actions.mayWrite]);

  const say = (s: string) => setAnnouncement((prev) => (prev === s ? `${s}\u200b` : s));
  const opened = open ? notes.find((n) => n.id === open) : undefined;

  const jumpTo = (domainId: string) => {
    setJumping(false);
    const el = root.current?.querySelector<HTMLElement>(`section[data-domain-id="${CSS.escape(domainId)}"]`);
    el?.scrollIntoView({ block: 'start' });
    el?.querySelector<HTMLElement>('h2')?.focus({ preventScroll: true });
  };

  return (
    <div className="phone-wall" ref={root} data-testid="phone-wall">
      <p className="sr-only" role="status" aria-live="polite" data-testid="phone-status">
        {announcement}
      </p>
      {domains.length === 0 && <p className="muted">{t('list.noDomains')}</p>}
      {domains.map((d) => (
        <DomainSection
          key={d.id}
          domain={d}
          title={domainTitle(d, lang)}
          notes={byDomain.get(d.id) ?? []}
          me={me}
          privateIds={privateIds}
          vote={vote}
          highlight={highlight}
          connected={connected}
          canAdd={actions.mayWrite}
          onOpen={setOpen}
          onAdd={() => setAdding(d.id)}
          onJump={() => setJumping(true)}
        />
      ))}
      {opened && (
        <NoteSheet
          note={opened}
          domains={domains}
          lang={lang}
          actions={actions}
          mine={opened.ownerId === me}
          isPrivate={privateIds?.has(opened.id) ?? false}
          email={emailOf(emails, opened.ownerId)}
          vote={vote}
          onMessage={say}
          onDeleted={() => setOpen(null)}
          onMove={async (domainId) => {
            const moved = await actions.update(opened.id, { domainId, ...(await nextSlotOf(domainId, notes)) });
            setOpen(null);
            if (!moved) return;
            say(t('list.moved', { domain: domainTitle(domains.find((x) => x.id === domainId), lang) }));
            setHighlight(null);
            // After the sheet has given focus back: then show the note where it went.
            requestAnimationFrame(() => setHighlight(opened.id));
          }}
          onClose={() => setOpen(null)}
        />
      )}
      {adding && <QuickAddSheet domains={domains} notes={notes} actions={actions} lang={lang} drafts={drafts} domainId={adding} onClose={() => setAdding(null)} />}
      {jumping && (
        <Sheet title={t('phone.jumpTo')} onClose={() => setJumping(false)} testId="domain-jump">
          <DomainPicker domains={domains} lang={lang} counts={counts} onPick={jumpTo} />
        </Sheet>
      )}
    </div>
  );
}

interface DomainSectionProps {
  domain: Domain;
  title: string;
  notes: Note[];
  me: string;
  privateIds: ReadonlySet<string> | undefined;
  vote: VoteView | null;
  highlight: string | null;
  connected: boolean;
  canAdd: boolean;
  onOpen(id: string): void;
  onAdd(): void;
  onJump(): void;
}

function DomainSection({ domain, title, notes, me, privateIds, vote, highlight, connected, canAdd, onOpen, onAdd, onJump }: DomainSectionProps) {
  const { t } = useTranslation();
  const headingId = `phone-dom-${domain.id}`;
  return (
    <section className="phone-domain" aria-labelledby={headingId} data-domain-id={domain.id}>
      <div className="phone-domain-head" style={{ background: domain.color }}>
        <h2 id={headingId} tabIndex={-1}>
          {title} <span className="phone-count">({t('wall.notes', { count: notes.length })})</span>
        </h2>
        <button type="button" className="phone-jump" onClick={onJump} aria-haspopup="dialog">
          {t('phone.domains')}
        </button>
      </div>
      {notes.length === 0 ? (
        <p className="muted phone-empty">{t('wall.emptyColumn')}</p>
      ) : (
        <ul className="phone-cards">
          {notes.map((n) => {
            const mine = n.ownerId === me;
            const dots = vote?.counts[n.id] ?? 0;
            const isPrivate = privateIds?.has(n.id) ?? false;
            return (
              <li key={n.id}>
                <button
                  type="button"
                  className="phone-card"
                  data-note-id={n.id}
                  data-mine={mine || undefined}
                  data-private={isPrivate || undefined}
                  data-just-posted={highlight === n.id || undefined}
                  style={{ background: n.color }}
                  onClick={() => onOpen(n.id)}
                >
                  <span className="phone-card-text">{n.text}</span>
                  <span className="phone-card-meta">
                    <span>{n.org ? `${n.author} · ${n.org}` : n.author}</span>
                    {mine && <span className="badge mine">{t('phone.mine')}</span>}
                    {isPrivate && <span className="badge private">{t('list.private')}</span>}
                    {dots > 0 && <span className="badge dots">{t('phone.dots', { count: dots })}</span>}
                    {highlight === n.id && (connected ? <span className="badge posted">{t('phone.justPosted')}</span> : <span className="badge kept">{t('phone.justKept')}</span>)}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {canAdd && (
        <button type="button" className="phone-add" onClick={onAdd} aria-describedby={headingId}>
          + {t('phone.addHere')}
        </button>
      )}
    </section>
  );
}
