/**
 * Snapshots over REST (docs/export.md): hosts save and restore; hosts and review links list
 * them and look at one (time travel). Keys as `Authorization: Bearer <key>`; the read-only
 * routes also take `?k=` like downloads.
 */
import { Router } from 'express';
import { CreateSnapshotSchema, readSettings, type Role } from '@maillage/shared';
import type { BoardService } from '../boards/BoardService.ts';
import type { BoardRecord } from '../store/index.ts';
import type { SnapshotService } from '../snapshots/SnapshotService.ts';
import { keyFromRequest } from '../auth/keys.ts';
import { parseBody } from './validate.ts';

/** Hosts always see emails; a review link only when the host allowed it. */
export function mayReadEmails(board: BoardRecord, role: Role): boolean {
  return role === 'host' || (role === 'review' && readSettings(board.settings).reviewShowsEmails);
}

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
    res.json(await snapshots.view(board.id, req.params.sid, { emails: mayReadEmails(board, role) }));
  });

  r.post('/:id/snapshots/:sid/restore', async (req, res) => {
    const { board } = await boards.authorize(req.params.id, keyFromRequest(req.headers), ['host']);
    res.json(await snapshots.restore(board.id, req.params.sid));
  });

  return r;
}
