/**
 * Renders every error as `{ "error": { "code", "message" } }`. Body-parser failures (bad JSON,
 * too large) are translated here so the client gets a clear reason rather than an HTML page.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ErrorCode, MaillageError } from '@maillage/shared';
import type { Logger } from '../logger.ts';

export function notFoundApi(): RequestHandler {
  return (_req, _res, next) => next(new MaillageError(ErrorCode.NotFound, 'no such endpoint'));
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    let e: MaillageError;
    if (err instanceof MaillageError) e = err;
    else if (isBodyParserError(err) && err.type === 'entity.too.large') e = new MaillageError(ErrorCode.PayloadTooLarge, 'request body too large');
    else if (isBodyParserError(err) && err.type === 'entity.parse.failed') e = new MaillageError(ErrorCode.BadRequest, 'request body is not valid JSON');
    else if (isBodyParserError(err) && typeof err.status === 'number' && err.status < 500) e = new MaillageError(ErrorCode.BadRequest, 'bad request body');
    else {
      log.error({ err }, 'request failed');
      e = new MaillageError(ErrorCode.Internal, 'internal error');
    }
    res.status(e.status).json(e.toBody());
  };
}

function isBodyParserError(err: unknown): err is { type: string; status?: number } {
  return typeof err === 'object' && err !== null && typeof (err as { type?: unknown }).type === 'string';
}
