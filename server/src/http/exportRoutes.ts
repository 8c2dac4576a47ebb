/**
 * Downloads of a wall (CSV, JSON, PDF report) and the import of a JSON export into a new wall
 * (docs/export.md). Hosts may always export; a review link only when the host allowed emails on
 * review (`reviewShowsEmails`), since every export carries them. The key comes as
 * `Authorization: Bearer <key>` or, so that a plain link can download, as `?k=<key>`.
 */
import { Router, type Request } from 'express';
import { ErrorCode, MaillageError, readSettings, type BoardId } from '@maillage/shared';
import type { BoardService } from '../boards/BoardService.ts';
import type { ExportService } from '../export/ExportService.ts';
import { attachment, parseLang, parseTimeZone } from '../export/format.ts';
import type { CsvOptions } from '../export/csv.ts';
import { keyFromRequest } from '../auth/keys.ts';

const DELIMITERS: Record<string, CsvOptions['delimiter']> = {
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

export function exportRoutes(boards: BoardService, exports: ExportService): Router {
  const r = Router();

  /** @throws unauthorized / forbidden, and forbidden for a review link without the host's consent. */
  const authorizeExport = async (req: Request): Promise<{ id: BoardId; emails: boolean }> => {
    const { board, role } = await boards.authorize(String(req.params.id), keyFromRequest(req.headers, req.query), ['host', 'review']);
    if (role === 'review' && !readSettings(board.settings).reviewShowsEmails) {
      throw new MaillageError(ErrorCode.Forbidden, 'the hosts have not allowed exports on the review link');
    }
    return { id: board.id, emails: true };
  };

  r.post('/import', async (req, res) => {
    res.status(201).json(await exports.import(req.body));
  });

  r.get('/:id/export.csv', async (req, res) => {
    const { id, emails } = await authorizeExport(req);
    const lang = query(req, 'lang');
    const { title, body } = await exports.csv(id, {
      emails,
      lang: parseLang(lang),
      localizedHeaders: lang !== undefined,
      delimiter: DELIMITERS[query(req, 'sep') ?? ','] ?? ',',
      timeZone: parseTimeZone(query(req, 'tz')),
    });
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', attachment(title, 'csv'));
    res.send(body);
  });

  r.get('/:id/export.json', async (req, res) => {
    const { id, emails } = await authorizeExport(req);
    const wall = await exports.wall(id, { emails });
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Disposition', attachment(wall.title, 'json'));
    res.send(JSON.stringify(wall, null, 2));
  });

  r.get('/:id/export.pdf', async (req, res) => {
    const { id, emails } = await authorizeExport(req);
    const { title, body } = await exports.pdf(id, { emails, lang: parseLang(query(req, 'lang')), timeZone: parseTimeZone(query(req, 'tz')) });
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', attachment(title, 'pdf'));
    res.send(body);
  });

  return r;
}
