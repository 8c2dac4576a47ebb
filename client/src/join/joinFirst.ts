import { isBoardId } from '@maillage/shared';
import { seemsToHaveProfile } from '../sync/storedProfile.ts';

/**
 * Whether this page asks who the person is before its code has loaded: a wall link without a key
 * (a participant's, R113) outside the projection view, on a device with no profile — the cases
 * where the wall page would ask at once, without waiting for the server.
 */
export function joinFirst(loc: Pick<Location, 'pathname' | 'hash' | 'search'> = window.location): boolean {
  const m = /^\/b\/([^/]+)\/?$/.exec(loc.pathname);
  if (!m || !isBoardId(m[1])) return false;
  if (/(?:^#|&)k=/.test(loc.hash)) return false;
  if (new URLSearchParams(loc.search).has('projection')) return false;
  return !seemsToHaveProfile();
}
