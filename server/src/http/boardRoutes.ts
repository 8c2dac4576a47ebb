/** REST API for walls: `/api/boards…` (docs/protocol.md lists every route). */
import { Router } from 'express';
import { CreateBoardSchema } from '@maillage/shared';
import { linksFor, type BoardService } from '../boards/BoardService.ts';
import { keyFromRequest } from '../auth/keys.ts';
import { parseBody } from './validate.ts';

export function boardRoutes(boards: BoardService): Router {
  const r = Router();

  r.post('/', async (req, res) => {
    const input = parseBody(CreateBoardSchema, req.body);
    const created = await boards.create(input);
    res.status(201).json(created);
  });

  r.get('/:id', async (req, res) => {
    res.json(await boards.summary(req.params.id));
  });

  // The host page shows every link; only the host key may read them (the review key is a secret too).
  r.get('/:id/links', async (req, res) => {
    const { board } = await boards.authorize(req.params.id, keyFromRequest(req.headers), ['host']);
    res.setHeader('Cache-Control', 'no-store');
    res.json({ reviewKey: board.reviewKey, links: linksFor(board.id, board.hostKey, board.reviewKey) });
  });

  r.delete('/:id', async (req, res) => {
    const { board } = await boards.authorize(req.params.id, keyFromRequest(req.headers), ['host']);
    await boards.delete(board.id);
    res.status(204).end();
  });

  return r;
}
