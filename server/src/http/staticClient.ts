/**
 * Serves the built client (a single-page app) for phones on a mobile network (docs/spec.md
 * R110–R112):
 *
 * - Vite names every file under `/assets/` after a hash of its content, so a name never changes
 *   meaning: those are cached for a year, `immutable` (a revisit costs no request at all).
 * - `index.html` names the current assets, so it is revalidated on every visit (`no-cache`): a
 *   new deployment is picked up at once, and an unchanged page costs a 304.
 * - The build writes a brotli (`.br`) and a gzip (`.gz`) copy of each text asset at the highest
 *   levels (client/vite.config.ts); they are sent as they are to browsers that accept them. What
 *   has no such copy (the page, the icon, a build without them) is compressed on the fly.
 */
import fs from 'node:fs';
import path from 'node:path';
import compression from 'compression';
import express, { type RequestHandler, type Router } from 'express';

/** Assets with a content hash in their name (Vite's `assets/` folder). */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Everything else in the client folder (icons): short-lived, revalidated. */
const SHORT = 'public, max-age=3600';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};

/** Which precompressed copy to send for an `Accept-Encoding` header, best first. */
export function pickEncoding(accept: string | undefined): ('br' | 'gzip')[] {
  const offered = new Map<string, number>();
  for (const part of (accept ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean);
    offered.set(name, q === undefined ? 1 : Number(q));
  }
  const ok = (e: string) => (offered.get(e) ?? offered.get('*') ?? 0) > 0;
  return (['br', 'gzip'] as const).filter(ok);
}

/**
 * Sends `/assets/x.js` as `x.js.br` (or `.gz`) when that copy exists and the browser takes it.
 * Paths are resolved inside `root` only; anything else falls through to express.static.
 */
function precompressed(root: string): RequestHandler {
  const assets = path.join(root, 'assets');
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const rel = req.path.replace(/^\/assets\//, '');
    const type = TYPES[path.extname(rel)];
    if (rel === req.path || !type || rel.includes('..') || rel.includes('\0')) return next();
    const file = path.join(assets, rel);
    if (!file.startsWith(assets + path.sep)) return next();
    for (const enc of pickEncoding(req.headers['accept-encoding'])) {
      const copy = `${file}.${enc === 'br' ? 'br' : 'gz'}`;
      let size: number;
      try {
        size = fs.statSync(copy).size;
      } catch {
        continue;
      }
      res.setHeader('Content-Type', type);
      res.setHeader('Content-Encoding', enc);
      res.setHeader('Content-Length', String(size));
      res.setHeader('Cache-Control', IMMUTABLE);
      res.setHeader('Vary', 'Accept-Encoding');
      if (req.method === 'HEAD') return void res.end();
      fs.createReadStream(copy)
        .on('error', next)
        .pipe(res);
      return;
    }
    next();
  };
}

/**
 * The client's routes: hashed assets, other static files, and index.html for every other GET
 * that is not the API, the document channel or socket.io. Null when the client is not built.
 */
export function staticClient(clientDist: string): Router | null {
  const index = path.join(clientDist, 'index.html');
  if (!fs.existsSync(index)) return null;
  const router = express.Router();
  router.use(precompressed(clientDist));
  // On the fly for the rest (index.html, icon); small answers are not worth it.
  router.use(compression({ threshold: 1024 }));
  router.use(
    express.static(clientDist, {
      index: false,
      setHeaders: (res, file) => {
        const inAssets = path.relative(clientDist, file).split(path.sep)[0] === 'assets';
        res.setHeader('Cache-Control', inAssets ? IMMUTABLE : SHORT);
      },
    }),
  );
  router.get(/^\/(?!api\/|yjs\/|socket\.io\/).*/, (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}
