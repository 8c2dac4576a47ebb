/**
 * Roles come from keys, never from what a client says about itself. A key is compared in
 * constant time (both sides hashed first so lengths match), and never logged.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Role } from '@maillage/shared';
import type { BoardRecord } from '../store/index.ts';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

export function keysEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * No key → participant; the host key → host; the review key → review.
 * A key that matches neither (e.g. a rotated one) → null, which transports turn into 401.
 */
export function resolveRole(board: Pick<BoardRecord, 'hostKey' | 'reviewKey'>, key: string | null | undefined): Role | null {
  if (key === undefined || key === null || key === '') return 'participant';
  // Check both keys every time so the timing does not reveal which one matched.
  const host = keysEqual(key, board.hostKey);
  const review = keysEqual(key, board.reviewKey);
  if (host) return 'host';
  if (review) return 'review';
  return null;
}

/** Extracts a key from `Authorization: Bearer <key>`, falling back to `?k=` for downloads. */
export function keyFromRequest(headers: { authorization?: string | undefined }, query?: unknown): string | undefined {
  const h = headers.authorization;
  if (h && /^Bearer\s+/i.test(h)) return h.replace(/^Bearer\s+/i, '').trim();
  const k = (query as { k?: unknown } | undefined)?.k;
  return typeof k === 'string' ? k : undefined;
}
