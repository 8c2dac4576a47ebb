/**
 * "Too many connections" in words (R107). The server closes a connection over its limits with
 * 4529 (CloseCode.RateLimited), which the provider treats as a blip and retries; without this the
 * person sees only "reconnecting". Shown from that close until the wall is synced again.
 *
 * Worded per situation (R232): on a first visit nothing of the wall is on this device and nothing
 * can be written, so the banner says only that the wall will appear; with a local copy shown, that
 * writing meanwhile is kept here; once this device holds its own notes or drafts, that they are
 * kept here and sent when the connection is back.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { CloseCode } from '@maillage/shared';
import type { WebsocketProvider } from 'y-websocket';
import type { DraftStore } from '../sync/drafts.ts';

export interface RateLimitBannerProps {
  provider: WebsocketProvider | null;
  /** This device's drafts of the wall (typed, not on the wall). */
  drafts: DraftStore;
  /** Whether the local copy of the wall holds notes written on this device. */
  hasOwnNotes: boolean;
  /** Whether the wall is shown (from the server, or from this device's copy) and can be written. */
  ready: boolean;
}

const RATE_LIMITED = { first: 'phone.rateLimitedFirst', idle: 'phone.rateLimitedIdle', kept: 'phone.rateLimitedKept' } as const;

export function RateLimitBanner({ provider, drafts, hasOwnNotes, ready }: RateLimitBannerProps) {
  const { t } = useTranslation();
  const draftCount = useSyncExternalStore(drafts.subscribe, drafts.getSnapshot).length;
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
  const situation = hasOwnNotes || draftCount > 0 ? 'kept' : ready ? 'idle' : 'first';
  return (
    <p className="banner rate-limited" role="status" data-testid="rate-limited-banner" data-situation={situation}>
      {t(RATE_LIMITED[situation])}
    </p>
  );
}
