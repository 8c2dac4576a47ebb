/** REST API for walls: `/api/boards…` (docs/protocol.md lists every route). */
import { Router } from 'express';
import { CreateBoardSchema } from '@maillage/shared';
import type { BoardService } from '../boards/BoardService.ts';
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

  r.delete('/:id', async (req, res) => {
    const { board } = await boards.authorize(req.params.id, keyFromRequest(req.headers), ['host']);
    await boards.delete(board.id);
    res.status(204).end();
  });

  return r;
}
