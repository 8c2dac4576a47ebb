/**
 * Downloads of a wall (CSV, JSON, PDF report) and the import of a JSON export into a new wall
 * (docs/export.md). Hosts and every review link may export (R71): what each file holds of
 * personal fields is decided by the privacy module for the key's role — a review link the hosts
 * did not allow to see emails gets the same files with every email blanked, co-authors' too. The
 * key comes as `Authorization: Bearer <key>` or, so that a plain link can download, as `?k=<key>`.
 */
import { Router, type Request } from 'express';
import type { BoardId, CsvDelimiter } from '@maillage/shared';
import type { BoardService } from '../boards/BoardService.ts';
import type { ExportService } from '../export/ExportService.ts';
import { attachment, parseLang, parseTimeZone } from '../export/format.ts';
import { keyFromRequest } from '../auth/keys.ts';
import { viewerFor, type Viewer } from '../privacy/index.ts';
import { taughtPairs, wallVocabulary, type PairsDeriver } from '../network/vocabulary.ts';

const DELIMITERS: Record<string, CsvDelimiter> = {
  ',': ',',
  comma: ',',
  ';': ';',
  semicolon: ';',
  tab: '\t',
  '\t': '\t',
};

const query = (req: Request, name: string): string | undefined => {
  const v = (req.query as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : undefined;
};

/** @param pairs the clustering worker pool, where the vocabulary's taught pairs are derived. */
export function exportRoutes(boards: BoardService, exports: ExportService, pairs: PairsDeriver): Router {
  const r = Router();

  /** @throws unauthorized without a valid key, forbidden for the participant link. */
  const authorizeExport = async (req: Request): Promise<{ id: BoardId; viewer: Viewer }> => {
    const { board, role } = await boards.authorize(String(req.params.id), keyFromRequest(req.headers, req.query), ['host', 'review']);
    return { id: board.id, viewer: viewerFor(role) };
  };

  r.post('/import', async (req, res) => {
    res.status(201).json(await exports.import(req.body));
  });

  r.get('/:id/export.csv', async (req, res) => {
    const { id, viewer } = await authorizeExport(req);
    const lang = query(req, 'lang');
    const { title, body } = await exports.csv(id, viewer, {
      lang: parseLang(lang),
      localizedHeaders: lang !== undefined,
      // The app asks for `sep=semicolon` in French (R72); scripts get commas by default.
      delimiter: DELIMITERS[query(req, 'sep') ?? ','] ?? ',',
      timeZone: parseTimeZone(query(req, 'tz')),
    });
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', attachment(title, 'csv'));
    res.send(body);
  });

  r.get('/:id/export.json', async (req, res) => {
    const { id, viewer } = await authorizeExport(req);
    const wall = await exports.wall(id, viewer);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Disposition', attachment(wall.title, 'json'));
    res.send(JSON.stringify(wall, null, 2));
  });

  r.get('/:id/export.pdf', async (req, res) => {
    const { id, viewer } = await authorizeExport(req);
    const { title, body } = await exports.pdf(id, viewer, { lang: parseLang(query(req, 'lang')), timeZone: parseTimeZone(query(req, 'tz')) });
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', attachment(title, 'pdf'));
    res.send(body);
  });

  // The relationship map (issue 16, R140–R147): same keys and rules as the files above.
  r.get('/:id/network', async (req, res) => {
    const { id, viewer } = await authorizeExport(req);
    const domainId = query(req, 'domain');
    const clusterId = query(req, 'group');
    const { network } = await exports.network(id, viewer, { ...(domainId ? { domainId } : {}), ...(clusterId ? { clusterId } : {}) });
    res.setHeader('Cache-Control', 'no-store');
    res.json(network);
  });

  r.get('/:id/export.graphml', async (req, res) => {
    const { id, viewer } = await authorizeExport(req);
    const { title, body } = await exports.graphml(id, viewer);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Type', 'application/graphml+xml; charset=utf-8');
    res.setHeader('Content-Disposition', attachment(title, 'graphml'));
    res.send(body);
  });

  r.get('/:id/export.kumu.json', async (req, res) => {
    const { id, viewer } = await authorizeExport(req);
    const { title, body } = await exports.kumu(id, viewer, parseLang(query(req, 'lang')));
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Disposition', attachment(title, 'kumu.json'));
    res.send(JSON.stringify(body, null, 2));
  });

  // The clustering vocabulary for the review page's cross-language search (R155): any key of the
  // wall, the participant link included (the filter bar is everyone's); terms only.
  r.get('/:id/vocabulary', async (req, res) => {
    const { board } = await boards.authorize(String(req.params.id), keyFromRequest(req.headers, req.query), ['host', 'review', 'participant']);
    res.setHeader('Cache-Control', 'private, max-age=300');
    // What the wall's accepted groups taught joins it (R256): search improves during the session.
    // Derived in the worker pool, off the event loop; the document is read before withDoc returns.
    const learned = await boards.withDoc(board.id, (doc) => taughtPairs(board.id, doc, board.settings, pairs));
    res.json(wallVocabulary(board.settings, learned));
  });

  return r;
}
