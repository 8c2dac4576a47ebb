/**
 * Server and document errors in the reader's language. The server's English `message` is for
 * logs and stock clients; people see the sentence for its `code` (an ErrorCode).
 */
import type { TFunction } from 'i18next';

const KNOWN = new Set(['bad_request', 'not_found', 'gone', 'unauthorized', 'forbidden', 'payload_too_large', 'rate_limited', 'locked', 'limit_reached', 'internal']);

export function errorText(t: TFunction, e: { code: string; message?: string }): string {
  return t(`errors.${KNOWN.has(e.code) ? e.code : 'internal'}`);
}
