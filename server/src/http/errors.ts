/**
 * Renders every error as `{ "error": { "code", "message" } }`. Body-parser failures (bad JSON,
 * too large) are translated here so the client gets a clear reason rather than an HTML page.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ErrorCode, MaillageError } from '@maillage/shared';
import { errorFields, type Logger } from '../logger.ts';

export function notFoundApi(): RequestHandler {
  return (_req, _res, next) => next(new MaillageError(ErrorCode.NotFound, 'no such endpoint'));
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    let e: MaillageError;
    if (err instanceof MaillageError) e = err;
    else if (isBodyParserError(err) && err.type === 'entity.too.large') e = new MaillageError(ErrorCode.PayloadTooLarge, 'request body too large');
    else if (isBodyParserError(err) && err.type === 'entity.parse.failed') e = new MaillageError(ErrorCode.BadRequest, 'request body is not valid JSON');
    else if (isBodyParserError(err) && typeof err.status === 'number' && err.status < 500) e = new MaillageError(ErrorCode.BadRequest, 'bad request body');
    else {
      // Name and stack frames only: an error's message may quote input (R47, R60).
      log.error({ method: req.method, route: routeOf(req), ...errorFields(err) }, 'request failed');
      e = new MaillageError(ErrorCode.Internal, 'internal error');
    }
    // A handler that failed half-way through its answer: only that connection is closed.
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(e.status).json(e.toBody());
  };
}

function isBodyParserError(err: unknown): err is { type: string; status?: number } {
  return typeof err === 'object' && err !== null && typeof (err as { type?: unknown }).type === 'string';
}

/** The matched route pattern (`/:id/export.csv`), never the URL: ids and `?k=` keys stay out. */
function routeOf(req: { route?: { path?: unknown }; baseUrl?: string }): string | undefined {
  const path = req.route?.path;
  return typeof path === 'string' ? `${req.baseUrl ?? ''}${path}` : undefined;
}
