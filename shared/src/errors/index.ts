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

/** Websocket close codes (application range 4000–4999), mirroring HTTP where one fits. */
export const CloseCode = {
  /** A frame could not be decoded as a y-websocket message. */
  BadMessage: 4400,
  Unauthorized: 4401,
  Forbidden: 4403,
  /** No wall with that id. */
  NotFound: 4404,
  /** The wall was deleted while connected. */
  Gone: 4410,
  /** Frame larger than the configured maximum. */
  TooLarge: 4413,
  RateLimited: 4429,
  /** A write was refused: drop local state and sync again from the server's (not terminal). */
  Resync: 4409,
  /** The server is shutting down; reconnect later. */
  ShuttingDown: 4503,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Close codes after which a client must not reconnect. */
export const TERMINAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CloseCode.NotFound,
  CloseCode.Gone,
  CloseCode.Unauthorized,
  CloseCode.Forbidden,
]);

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
