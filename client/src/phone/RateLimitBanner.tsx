/**
 * "Too many connections" in words (R107). The server closes a connection over its limits with
 * 4529 (CloseCode.RateLimited), which the provider treats as a blip and retries; without this the
 * person sees only "reconnecting". Shown from that close until the wall is synced again.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CloseCode } from '@maillage/shared';
import type { WebsocketProvider } from 'y-websocket';

export function RateLimitBanner({ provider }: { provider: WebsocketProvider | null }) {
  const { t } = useTranslation();
  const [limited, setLimited] = useState(false);
  useEffect(() => {
    if (!provider) return;
    const onClose = (event: CloseEvent | null) => {
      if (event?.code === CloseCode.RateLimited) setLimited(true);
    };
    // Back means synced, not "connected": a refused socket opens (status `connected`) before
    // the server closes it with 4529, which made the banner blink at every retry.
    const onSync = (synced: boolean) => {
      if (synced) setLimited(false);
    };
    provider.on('connection-close', onClose);
    provider.on('sync', onSync);
    return () => {
      provider.off('connection-close', onClose);
      provider.off('sync', onSync);
    };
  }, [provider]);
  if (!limited) return null;
  return (
    <p className="banner rate-limited" role="status" data-testid="rate-limited-banner">
      {t('phone.rateLimited')}
    </p>
  );
}
