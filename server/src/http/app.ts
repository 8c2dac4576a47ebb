/**
 * The Express application: security headers, JSON API under /api, health probes, and the built
 * client (a single-page app: every non-API GET falls back to index.html).
 */
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import { ErrorCode, LIMITS, MaillageError } from '@maillage/shared';
import type { Logger } from '../logger.ts';
import type { BoardService } from '../boards/BoardService.ts';
import type { BoardStore } from '../store/index.ts';
import { boardRoutes } from './boardRoutes.ts';
import { snapshotRoutes } from './snapshotRoutes.ts';
import { exportRoutes } from './exportRoutes.ts';
import type { SnapshotService } from '../snapshots/SnapshotService.ts';
import type { ExportService } from '../export/ExportService.ts';
import { clusterRoutes } from './clusterRoutes.ts';
import type { ClusterJobs } from '../jobs/ClusterJobs.ts';
import type { LearnedPairsPool } from '../cluster/pool.ts';
import { errorHandler, notFoundApi } from './errors.ts';
import { staticClient } from './staticClient.ts';
import { contactRoutes } from './contactRoutes.ts';
import type { ContactService } from '../contacts/ContactService.ts';
import type { ErasureService } from '../contacts/ErasureService.ts';

export interface AppDeps {
  boards: BoardService;
  snapshots?: SnapshotService;
  exports?: ExportService;
  clusters?: ClusterJobs;
  /** The clustering worker pool: the vocabulary route derives a wall's taught pairs (R256) in it. */
  clusterPool: Pick<LearnedPairsPool, 'learnedPairs'>;
  /** The contact store and erasure (issue 13): `/contacts` and `/people/:ownerId`. */
  contacts?: { contacts: ContactService; erasure: ErasureService };
  store: BoardStore;
  log: Logger;
  clientDist: string;
  /** Extra readiness checks (e.g. Redis) beyond the store's ping. */
  readiness?: (() => Promise<void>)[];
  /** Express `trust proxy` (TRUST_PROXY); loopback when unset. */
  trustProxy?: boolean | number | string;
  /** Guards the routes that create walls (limits/Limits.ts: walls per address per hour). */
  wallCreationLimit?: RequestHandler;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy ?? 'loopback');
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // React sets style attributes; no inline <style> or script is served.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          connectSrc: ["'self'"],
          fontSrc: ["'self'", 'data:'],
          workerSrc: ["'self'", 'blob:'],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'self'"],
        },
      },
      // The projection view may be opened from the host page; same-origin keeps referrers out.
      referrerPolicy: { policy: 'no-referrer' },
    }),
  );

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  // Ready means able to serve writes (R56): the store takes a real write and reads it back (a
  // full disk or a read-only database answers 503), then the extra checks (Redis) run.
  app.get('/readyz', async (_req, res) => {
    let check = 'store';
    try {
      await deps.store.checkHealth();
      check = 'readiness';
      for (const extra of deps.readiness ?? []) await extra();
      res.json({ ok: true });
    } catch (err) {
      // Name and code only: a driver's message may quote a path or a query.
      const code = (err as { code?: unknown } | null)?.code;
      deps.log.warn({ check, errName: err instanceof Error ? err.name : typeof err, ...(typeof code === 'string' ? { errCode: code } : {}) }, 'not ready');
      const message = check === 'store' ? 'storage cannot take writes' : 'a dependency is unavailable';
      res.status(503).json({ ok: false, error: { code: ErrorCode.Internal, message, details: { check } } });
    }
  });

  // Before the body parser, so that a refused creation or import costs no parsing.
  if (deps.wallCreationLimit) app.post(['/api/boards', '/api/boards/import'], deps.wallCreationLimit);
  app.use('/api', express.json({ limit: LIMITS.restBodyBytes }));
  app.use('/api/boards', boardRoutes(deps.boards));
  if (deps.snapshots) app.use('/api/boards', snapshotRoutes(deps.boards, deps.snapshots));
  if (deps.exports) app.use('/api/boards', exportRoutes(deps.boards, deps.exports, deps.clusterPool));
  if (deps.clusters) app.use('/api/boards', clusterRoutes(deps.boards, deps.clusters));
  if (deps.contacts) app.use('/api/boards', contactRoutes(deps.boards, deps.contacts.contacts, deps.contacts.erasure));
  app.use('/api', notFoundApi());

  // The built client: compressed, hashed assets cached for good, index.html revalidated (R110–R112).
  const client = staticClient(deps.clientDist);
  if (client) {
    app.use(client);
  } else {
    deps.log.warn({ clientDist: deps.clientDist }, 'client not built: run `npm run build` to serve the app');
  }

  // A malformed %-escape in a path (`/api/boards/%`) is the client's mistake: 400, not a logged 500.
  app.use(((err, _req, _res, next) => next(err instanceof URIError ? new MaillageError(ErrorCode.BadRequest, 'malformed URL') : err)) as ErrorRequestHandler);
  app.use(errorHandler(deps.log));
  return app;
}
