/**
 * Contact details over REST (issue 13, docs/spec.md R85, R86):
 * - `GET /api/boards/:id/contacts`: hosts get every person's email and choice; a review link gets
 *   those the privacy module lets it see (the hosts allowed emails on review and the person agreed
 *   to reviewers); the participant link gets 403.
 * - `DELETE /api/boards/:id/people/:ownerId` (host): erases one person → 204.
 */
import { Router } from 'express';
import { ErrorCode, MaillageError } from '@maillage/shared';
import type { BoardService } from '../boards/BoardService.ts';
import type { ContactService } from '../contacts/ContactService.ts';
import type { ErasureService } from '../contacts/ErasureService.ts';
import { keyFromRequest } from '../auth/keys.ts';
import { policyOf, viewerFor } from '../privacy/index.ts';

export function contactRoutes(boards: BoardService, contacts: ContactService, erasure: ErasureService): Router {
  const r = Router();

  r.get('/:id/contacts', async (req, res) => {
    const { board, role } = await boards.authorize(req.params.id, keyFromRequest(req.headers, req.query), ['host', 'review', 'participant']);
    if (role === 'participant') throw new MaillageError(ErrorCode.Forbidden, 'this needs the host or review key');
    const rows = await contacts.list(board.id);
    const visible = contacts.visibleFrom(rows, viewerFor(role), policyOf(board.settings));
    res.setHeader('Cache-Control', 'no-store');
    res.json({ contacts: rows.filter((c) => visible[c.ownerId]).map((c) => ({ ownerId: c.ownerId, email: c.email, share: c.share })) });
  });

  r.delete('/:id/people/:ownerId', async (req, res) => {
    const { board } = await boards.authorize(req.params.id, keyFromRequest(req.headers), ['host']);
    await erasure.erasePerson(board.id, String(req.params.ownerId));
    res.status(204).end();
  });

  return r;
}
