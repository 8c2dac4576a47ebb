/**
 * Server and document errors in the reader's language. The server's English `message` is for
 * logs and stock clients; people see the sentence for its `code` (an ErrorCode).
 */
import type { TFunction } from 'i18next';
import type { ErrorBody } from '@maillage/shared';

const KNOWN = new Set(['bad_request', 'not_found', 'gone', 'unauthorized', 'forbidden', 'payload_too_large', 'rate_limited', 'locked', 'limit_reached', 'internal']);

/** The translated sentence for an error code (unknown codes read as "internal"). */
export function errorText(t: TFunction, e: { code: string; message?: string }): string {
  return t(`errors.${KNOWN.has(e.code) ? e.code : 'internal'}`);
}

/**
 * A refused dot (`vote:cast`): the codes mean something more precise there than in general —
 * `limit_reached` is "no dots left", `locked` is "no open vote" (SessionService.castVote).
 */
export function voteErrorText(t: TFunction, e: { code: string; message?: string }): string {
  if (e.code === 'limit_reached') return t('phone.noDotsLeft');
  if (e.code === 'locked') return t('phone.voteNotOpen');
  return errorText(t, e);
}

/** A REST answer that was not 2xx, keeping the server's error code for translation. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Reads a failed REST answer's `{ error: { code, message } }` body (or makes one from the status). */
export async function apiErrorOf(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => null)) as ErrorBody | null;
  const code = body?.error.code ?? (res.status === 429 ? 'rate_limited' : res.status === 404 ? 'not_found' : 'internal');
  return new ApiError(code, body?.error.message ?? `HTTP ${res.status}`);
}

/** What to show for anything a REST call threw: a network failure reads as "internal" (no answer). */
export function describeError(t: TFunction, err: unknown): string {
  return errorText(t, { code: err instanceof ApiError ? err.code : 'internal' });
}
