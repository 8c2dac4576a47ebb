/**
 * The landing page: what Maillage is for, and a form that creates a wall from a template, with
 * how long the wall keeps contact details after the session (R88; 30 days unless the host
 * changes it, 0 = until the wall is deleted).
 *
 * "My walls" (R154): every wall created here is remembered on this device — id, title and host
 * link, in localStorage, nowhere else — and listed on this page, so a host who closed the tab or
 * lost the email with the host link can still open their wall. The server has no mail transport,
 * so the host link cannot be emailed: the page says so once, when the wall is created, and asks
 * the host to keep the link. (When a transport exists, the server should advertise it and this page
 * offer to send the link to the host's own address.)
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TEMPLATES, TEMPLATE_IDS, DEFAULT_TEMPLATE, LIMITS, SessionSettingsSchema, type TemplateId } from '@maillage/shared';
import { currentLanguage } from '../i18n/index.ts';
import { LanguageButton } from '../panels/LanguageButton.tsx';
import { CopyField } from '../panels/CopyField.tsx';
import { apiErrorOf, describeError } from '../i18n/errors.ts';

/** The server's default retention, read from the shared settings schema (one source). */
const DEFAULT_RETENTION_DAYS: number = SessionSettingsSchema.shape.contactRetentionDays.parse(undefined);
const MAX_RETENTION_DAYS = 3650;

interface Created {
  id: string;
  links: { participant: string; host: string; review: string };
}

/** A wall this device created, as "my walls" keeps it. */
export interface MyWall {
  id: string;
  title: string;
  hostKey: string;
  createdAt: number;
}

const MY_WALLS_KEY = 'maillage.myWalls';
const MAX_MY_WALLS = 100;

/** The walls created on this device, newest first (unreadable entries are skipped). */
export function myWalls(): MyWall[] {
  try {
    const raw = JSON.parse(localStorage.getItem(MY_WALLS_KEY) ?? '[]') as unknown;
    if (!Array.isArray(raw)) return [];
    return raw.filter(
      (w): w is MyWall => !!w && typeof w === 'object' && typeof w.id === 'string' && typeof w.hostKey === 'string' && typeof w.title === 'string' && typeof w.createdAt === 'number',
    );
  } catch {
    return [];
  }
}

function saveMyWalls(walls: MyWall[]): void {
  try {
    localStorage.setItem(MY_WALLS_KEY, JSON.stringify(walls.slice(0, MAX_MY_WALLS)));
  } catch {
    /* storage full or disabled: the list is a convenience, the links were shown */
  }
}

/**
 * Remembers a wall's host link on this device. `replaceOnly` updates a wall already listed (a
 * renewed host link) without adding one this device did not create.
 */
export function rememberWall(w: { id: string; title: string; hostKey: string }, opts: { replaceOnly?: boolean } = {}): void {
  const walls = myWalls();
  const known = walls.find((x) => x.id === w.id);
  if (known) {
    known.hostKey = w.hostKey;
    if (w.title) known.title = w.title;
    saveMyWalls(walls);
  } else if (!opts.replaceOnly) {
    saveMyWalls([{ ...w, createdAt: Date.now() }, ...walls]);
  }
}

export function forgetWall(id: string): void {
  saveMyWalls(myWalls().filter((w) => w.id !== id));
}

export function Landing() {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage(i18n.language);
  const [title, setTitle] = useState('');
  const [template, setTemplate] = useState<TemplateId>(DEFAULT_TEMPLATE);
  const [retention, setRetention] = useState(String(DEFAULT_RETENTION_DAYS));
  const retentionDays = /^\d{1,4}$/.test(retention.trim()) ? Math.min(Number(retention.trim()), MAX_RETENTION_DAYS) : null;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<Created | null>(null);
  const [walls, setWalls] = useState<MyWall[]>(() => myWalls());
  const origin = window.location.origin;

  async function create(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await fetch('/api/boards', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...(title.trim() ? { title: title.trim() } : {}), template, contactRetentionDays: retentionDays ?? DEFAULT_RETENTION_DAYS }),
      });
      if (res.status !== 201) throw await apiErrorOf(res);
      const made = (await res.json()) as Created & { hostKey: string; title: string };
      rememberWall({ id: made.id, title: made.title ?? title.trim(), hostKey: made.hostKey });
      setWalls(myWalls());
      setCreated(made);
    } catch (err) {
      setError(t('landing.error', { message: describeError(t, err) }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="page">
      <header className="page-header">
        <span className="brand">{t('app.name')}</span>
        <LanguageButton />
      </header>
      <p className="tagline">{t('app.tagline')}</p>
      <section aria-labelledby="create-heading" className="card">
        <h1 id="create-heading">{t('landing.heading')}</h1>
        <p>{t('landing.intro')}</p>
        <form onSubmit={create}>
          <label>
            {t('landing.wallTitle')}
            <input
              name="title"
              value={title}
              maxLength={LIMITS.boardTitle}
              placeholder={t('landing.wallTitlePlaceholder')}
              onChange={(e) => setTitle(e.target.value)}
            />
          </label>
          <label>
            {t('landing.template')}
            <select name="template" value={template} onChange={(e) => setTemplate(e.target.value as TemplateId)}>
              {TEMPLATE_IDS.map((id) => (
                <option key={id} value={id}>
                  {TEMPLATES[id].title[lang]}
                </option>
              ))}
            </select>
          </label>
          {TEMPLATES[template].domains.length > 0 && (
            <div className="domain-preview">
              <h2 className="small">{t('landing.domains')}</h2>
              <ul>
                {TEMPLATES[template].domains.map((d) => (
                  <li key={d.key} style={{ background: d.color }}>
                    {d.title[lang]}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <label>
            {t('landing.retention')}
            <input
              name="contactRetentionDays"
              type="number"
              inputMode="numeric"
              min={0}
              max={MAX_RETENTION_DAYS}
              step={1}
              value={retention}
              onChange={(e) => setRetention(e.target.value)}
              aria-describedby="retention-summary"
              aria-invalid={retentionDays === null}
            />
          </label>
          <p id="retention-summary" className="consent" data-testid="retention-summary">
            {retentionDays === null
              ? t('landing.retentionHelp')
              : retentionDays > 0
                ? t('landing.retentionSummary', { count: retentionDays })
                : t('landing.retentionKept')}{' '}
            {retentionDays !== null && retentionDays > 0 && t('landing.retentionHelp')}
          </p>
          <button type="submit" className="primary" disabled={busy || retentionDays === null}>
            {busy ? t('landing.creating') : t('landing.create')}
          </button>
          {error && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
        </form>
      </section>
      {created && (
        <section aria-labelledby="created-heading" className="card" data-testid="created">
          <h2 id="created-heading">{t('landing.created')}</h2>
          <CopyField label={t('landing.participantLink')} help={t('landing.participantHelp')} value={origin + created.links.participant} testId="participant-link" />
          <CopyField label={t('landing.hostLink')} help={t('landing.hostHelp')} value={origin + created.links.host} testId="host-link" />
          <p className="banner locked" role="note" data-testid="host-link-warning">
            {t('myWalls.keepWarning')}
          </p>
          <CopyField label={t('landing.reviewLink')} help={t('landing.reviewHelp')} value={origin + created.links.review} testId="review-link" />
          <a className="button primary" href={created.links.host}>
            {t('landing.openHost')}
          </a>
        </section>
      )}
      {walls.length > 0 && (
        <section aria-labelledby="my-walls-heading" className="card" data-testid="my-walls">
          <h2 id="my-walls-heading">{t('myWalls.title')}</h2>
          <p className="muted small">{t('myWalls.intro')}</p>
          <ul className="my-walls">
            {walls.map((w) => (
              <li key={w.id} data-wall={w.id}>
                <strong>{w.title || t('myWalls.untitled')}</strong>{' '}
                <span className="muted small">{t('myWalls.created', { date: new Date(w.createdAt).toLocaleDateString(lang === 'fr' ? 'fr-CA' : 'en-CA') })}</span>
                <div className="row">
                  <a className="button primary" href={`/b/${w.id}#k=${w.hostKey}`}>
                    {t('myWalls.open')}
                  </a>
                  <CopyField label={t('landing.hostLink')} value={`${origin}/b/${w.id}#k=${w.hostKey}`} />
                  <button
                    type="button"
                    onClick={() => {
                      if (!window.confirm(t('myWalls.forgetConfirm', { title: w.title || t('myWalls.untitled') }))) return;
                      forgetWall(w.id);
                      setWalls(myWalls());
                    }}
                  >
                    {t('myWalls.forget')}
                  </button>
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}
