/**
 * `POST /api/boards/:id/clusters` (host key) starts clustering the wall and answers 202 with the
 * job id; progress and the result are pushed to the wall's hosts over socket.io
 * (`cluster:progress`, `cluster:result`). `?wait=1` waits for the result and answers 200 with it
 * (scripts). `GET` returns the latest suggestions.
 */
import { Router } from 'express';
import type { BoardService } from '../boards/BoardService.ts';
import type { ClusterJobs } from '../jobs/ClusterJobs.ts';
import { keyFromRequest } from '../auth/keys.ts';
import { readSettings } from '@maillage/shared';

export function clusterRoutes(boards: BoardService, clusters: ClusterJobs): Router {
  const r = Router();

  r.post('/:id/clusters', async (req, res) => {
    const { board } = await boards.authorize(req.params.id, keyFromRequest(req.headers), ['host']);
    const job = await clusters.start(board.id);
    if (req.query.wait === '1') {
      res.status(200).json(await job.done);
      return;
    }
    res.status(202).json({ jobId: job.jobId, status: 'running' });
  });

  r.get('/:id/clusters', async (req, res) => {
    const { board } = await boards.authorize(req.params.id, keyFromRequest(req.headers), ['host']);
    res.json({ running: clusters.isRunning(board.id), suggestions: readSettings(board.settings).suggestions });
  });

  return r;
}
