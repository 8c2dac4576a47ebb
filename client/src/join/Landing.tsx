/**
 * The landing page: what Maillage is for, and a form that creates a wall from a template, with
 * how long the wall keeps contact details after the session (R88; 30 days unless the host
 * changes it, 0 = until the wall is deleted).
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
      setCreated((await res.json()) as Created);
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
          <CopyField label={t('landing.reviewLink')} help={t('landing.reviewHelp')} value={origin + created.links.review} testId="review-link" />
          <a className="button primary" href={created.links.host}>
            {t('landing.openHost')}
          </a>
        </section>
      )}
    </main>
  );
}
