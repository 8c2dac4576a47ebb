/**
 * Snapshots over REST (docs/export.md): hosts save and restore; hosts and review links list
 * them and look at one (time travel), its personal fields as the privacy module lets the key's
 * role see them (R71). Keys as `Authorization: Bearer <key>`; the read-only routes also take
 * `?k=` like downloads.
 */
import { Router } from 'express';
import { CreateSnapshotSchema } from '@maillage/shared';
import type { BoardService } from '../boards/BoardService.ts';
import type { SnapshotService } from '../snapshots/SnapshotService.ts';
import { keyFromRequest } from '../auth/keys.ts';
import { viewerFor } from '../privacy/index.ts';
import { parseBody } from './validate.ts';

export function snapshotRoutes(boards: BoardService, snapshots: SnapshotService): Router {
  const r = Router();

  r.post('/:id/snapshots', async (req, res) => {
    const { board } = await boards.authorize(req.params.id, keyFromRequest(req.headers), ['host']);
    const { name } = parseBody(CreateSnapshotSchema, req.body);
    res.status(201).json(await snapshots.save(board.id, name, 'manual'));
  });

  r.get('/:id/snapshots', async (req, res) => {
    const { board } = await boards.authorize(req.params.id, keyFromRequest(req.headers, req.query), ['host', 'review']);
    res.setHeader('Cache-Control', 'no-store');
    res.json(await snapshots.list(board.id));
  });

  r.get('/:id/snapshots/:sid', async (req, res) => {
    const { board, role } = await boards.authorize(req.params.id, keyFromRequest(req.headers, req.query), ['host', 'review']);
    res.setHeader('Cache-Control', 'no-store');
    res.json(await snapshots.view(board.id, req.params.sid, viewerFor(role)));
  });

  r.post('/:id/snapshots/:sid/restore', async (req, res) => {
    const { board } = await boards.authorize(req.params.id, keyFromRequest(req.headers), ['host']);
    res.json(await snapshots.restore(board.id, req.params.sid));
  });

  return r;
}
