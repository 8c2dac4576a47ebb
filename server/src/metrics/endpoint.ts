/**
 * GET /metrics, the Prometheus text exposition. It sits in front of the Express app (server.ts)
 * because it is for machines: no SPA fallback, no session, no compression negotiation.
 *
 * With METRICS_TOKEN set, a scrape must send `Authorization: Bearer <token>` (R167); the token is
 * compared in constant time. The public load balancer does not route /metrics at all
 * (deploy/nginx.conf): Prometheus scrapes each process on the private network.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { keysEqual } from '../auth/keys.ts';
import type { Logger } from '../logger.ts';
import { errorFields } from '../logger.ts';
import type { Metrics } from './Metrics.ts';

export const METRICS_PATH = '/metrics';

/**
 * Returns a request listener that answers /metrics and returns false for anything else, so the
 * caller passes the request on. Never throws: a failed collection answers 500 and is logged.
 */
export function metricsEndpoint(metrics: Metrics, opts: { token?: string | undefined; log: Logger }): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const url = req.url ?? '';
    if (url !== METRICS_PATH && !url.startsWith(`${METRICS_PATH}?`)) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('method not allowed\n');
      return true;
    }
    if (opts.token) {
      const presented = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
      if (!keysEqual(presented, opts.token)) {
        res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="metrics"', 'Content-Type': 'text/plain' }).end('unauthorized\n');
        return true;
      }
    }
    metrics.text().then(
      (body) => {
        res.writeHead(200, { 'Content-Type': metrics.contentType, 'Cache-Control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      (err: unknown) => {
        opts.log.error({ ...errorFields(err) }, 'collecting metrics failed');
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end('metrics unavailable\n');
      },
    );
    return true;
  };
}
