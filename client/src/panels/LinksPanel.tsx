/**
 * The wall's links for hosts (issue 16, R152–R153): participant, projection and review links are
 * always on show, each with a copy button and a QR code on demand; the host link is shown with a
 * copy button only (it is a secret). Renewing a link is a separate action that asks first, because
 * it breaks the link everyone already received. Before this panel the review link was shown once,
 * at creation, and the only way to get it again was to renew it.
 *
 * The review key is read from `GET /api/boards/:id/links` with the host key (the review key is a
 * secret too, so the server hands it to hosts only).
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionInfo } from '../sync/session.ts';
import { CopyField } from './CopyField.tsx';
import { Qr } from './Qr.tsx';
import { callApi } from './SnapshotsPanel.tsx';
import { errorText, describeError } from '../i18n/errors.ts';
import { rememberWall } from '../join/Landing.tsx';

export interface LinksPanelProps {
  boardId: string;
  hostKey: string;
  session: SessionInfo;
  /** The wall's title, kept with the host link in "my walls" when the host link is renewed. */
  title?: string;
  onMessage(m: string): void;
}

interface Links {
  participant: string;
  host: string;
  review: string;
}

function LinkRow({ name, label, help, value, testId, qr }: { name: string; label: string; help: string; value: string; testId: string; qr: boolean }) {
  const { t } = useTranslation();
  const [shown, setShown] = useState(false);
  return (
    <div className="link-row" data-link={name}>
      <CopyField label={label} help={help} value={value} testId={testId} />
      {qr && (
        <>
          <button type="button" aria-expanded={shown} onClick={() => setShown((s) => !s)} data-testid={`${testId}-qr`}>
            {shown ? t('links.hideQr') : t('links.qr')}
          </button>
          {shown && <Qr value={value} size={200} alt={t('links.qrAlt', { name: label })} />}
        </>
      )}
    </div>
  );
}

export function LinksPanel(p: LinksPanelProps) {
  const { t } = useTranslation();
  const origin = window.location.origin;
  const [links, setLinks] = useState<Links | null>(null);
  const { boardId, hostKey, onMessage } = p;

  const load = useCallback(async () => {
    try {
      const r = await callApi<{ links: Links }>(`/api/boards/${boardId}/links`, hostKey);
      setLinks(r.links);
    } catch (err) {
      onMessage(describeError(t, err));
    }
  }, [boardId, hostKey, onMessage, t]);
  useEffect(() => {
    void load();
  }, [load]);

  const renew = async (which: 'review' | 'host') => {
    if (!window.confirm(t(which === 'review' ? 'links.confirmReview' : 'links.confirmHost'))) return;
    const r = await p.session.call('host:rotateKey', { which });
    if (!r.ok) {
      onMessage(errorText(t, r.error ?? { code: 'internal' }));
      return;
    }
    const key = (r as { key: string }).key;
    if (which === 'review') {
      await load();
      onMessage(t('links.renewed'));
    } else {
      // The old host link is dead: this device's "my walls" keeps the new one.
      rememberWall({ id: boardId, title: p.title ?? '', hostKey: key }, { replaceOnly: true });
      window.location.hash = `k=${key}`;
      window.location.reload();
    }
  };

  const participant = `${origin}/b/${boardId}`;
  return (
    <section className="links-panel" aria-labelledby="links-title" data-testid="links-panel">
      <h3 id="links-title" className="small">
        {t('links.title')}
      </h3>
      <LinkRow name="participant" label={t('links.participant')} help={t('links.participantHelp')} value={participant} testId="link-participant" qr />
      <LinkRow name="projection" label={t('links.projection')} help={t('links.projectionHelp')} value={`${participant}?projection`} testId="link-projection" qr />
      {links && <LinkRow name="review" label={t('links.review')} help={t('links.reviewHelp')} value={origin + links.review} testId="link-review" qr />}
      {links && <LinkRow name="host" label={t('links.host')} help={t('links.hostHelp')} value={origin + links.host} testId="link-host" qr={false} />}
      <div className="row">
        <button type="button" onClick={() => void renew('review')} data-testid="renew-review">
          {t('links.renewReview')}
        </button>
        <button type="button" onClick={() => void renew('host')} data-testid="renew-host">
          {t('links.renewHost')}
        </button>
      </div>
    </section>
  );
}
