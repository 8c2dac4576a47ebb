/**
 * Every error the server can report, in one place. REST answers carry
 * `{ "error": { "code", "message" } }`; websocket closes use the 4000–4999 codes below so that a
 * client can tell "wall deleted" from "network blip" and stop reconnecting when it should.
 */
export const ErrorCode = {
  BadRequest: 'bad_request',
  NotFound: 'not_found',
  Gone: 'gone',
  Unauthorized: 'unauthorized',
  Forbidden: 'forbidden',
  PayloadTooLarge: 'payload_too_large',
  RateLimited: 'rate_limited',
  Locked: 'locked',
  LimitReached: 'limit_reached',
  Internal: 'internal',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const HttpStatusOf: Record<ErrorCode, number> = {
  bad_request: 400,
  not_found: 404,
  gone: 410,
  unauthorized: 401,
  forbidden: 403,
  payload_too_large: 413,
  rate_limited: 429,
  locked: 423,
  limit_reached: 422,
  internal: 500,
};

/**
 * Websocket close codes (application range 4000–4999), mirroring HTTP where one fits.
 *
 * y-websocket's convention (and the stock 3.x client's default `shouldReconnect`): 4400–4499 are
 * final — reconnecting cannot fix them (bad key, deleted wall) — and every other code, including
 * the 4500–4599 "try again later" range, is transient. Codes that a reconnect does fix therefore
 * live in 45xx (docs/spec.md R67).
 */
export const CloseCode = {
  /** A frame could not be decoded as a y-websocket message (a broken client: retrying sends it again). */
  BadMessage: 4400,
  Unauthorized: 4401,
  Forbidden: 4403,
  /** No wall with that id. */
  NotFound: 4404,
  /** The wall was deleted while connected. */
  Gone: 4410,
  /** Frame larger than the configured maximum. */
  TooLarge: 4413,
  /** Over a connection or message limit: reconnect later (transient). */
  RateLimited: 4529,
  /**
   * Reconnect and sync again (e.g. a review link whose email permission changed must switch
   * documents). Never used to refuse a write: refused writes are reverted on the live
   * connection (docs/protocol.md, "judging changes").
   */
  Resync: 4509,
  /** The server is shutting down; reconnect later. */
  ShuttingDown: 4503,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Close codes after which a client must not reconnect (the 4400–4499 range). */
export const TERMINAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CloseCode.BadMessage,
  CloseCode.NotFound,
  CloseCode.Gone,
  CloseCode.Unauthorized,
  CloseCode.Forbidden,
  CloseCode.TooLarge,
]);

/**
 * Why the server reverted (part of) a write. Sent to the writer in a y-websocket `auth` message
 * (permission denied) as `<code>` or `<code>: <detail>`; clients translate the code.
 */
export const WriteRefusal = {
  /** Review links write nothing. */
  ReadOnly: 'read_only',
  /** Participants write nothing while the wall is locked. */
  Locked: 'locked',
  /** Participants change only the notes and connectors they own. */
  NotOwner: 'not_owner',
  /** The record would not pass the shared schema (wrong type, unknown field, bad value). */
  Invalid: 'invalid',
  /** Domains, wall settings and accepted groups are the hosts'. */
  HostOnly: 'host_only',
  /** A size or count limit of the wall (notes, connectors). */
  Limit: 'limit',
  /** New notes go to the private channel while private writing is on. */
  PrivateWriting: 'private_writing',
} as const;
export type WriteRefusal = (typeof WriteRefusal)[keyof typeof WriteRefusal];

const REFUSALS = new Set<string>(Object.values(WriteRefusal));

/** Reads the code of a permission-denied reason (`'locked: …'` → `'locked'`), or null. */
export function refusalCode(reason: string): WriteRefusal | null {
  const code = reason.split(':', 1)[0]?.trim() ?? '';
  return REFUSALS.has(code) ? (code as WriteRefusal) : null;
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/** Error carrying a machine-readable reason; thrown by services and rendered by transports. */
export class MaillageError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'MaillageError';
    this.code = code;
    this.details = details;
  }
  get status(): number {
    return HttpStatusOf[this.code];
  }
  toBody(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}
