/**
 * `GET /api/boards/:id` needs no key. For a wall nobody has open, each request rebuilt the wall
 * from storage (~1 s at 5,000 notes under load, found by the round-4 attack). A summary is now
 * reused for a few seconds and shared by requests that arrive together (docs/spec.md R219).
 */
import { describe, expect, it, vi } from 'vitest';
import { serverForFile, importBigWall } from '../helpers/attack.ts';
import { connectClient } from '../helpers/yclient.ts';
import type { BoardId } from '@maillage/shared';

const env = serverForFile();

describe('R219 the public summary of a wall nobody has open', () => {
  it('R219 twenty requests, together and one after another, read the stored wall once; a live wall answers live; a deleted wall is gone', async () => {
    const { status, id, hostKey } = await importBigWall(env.api, 500);
    expect(status).toBe(201);
    const loads = vi.spyOn(env.srv.server.store, 'loadUpdates');
    try {
      const together = await Promise.all(Array.from({ length: 10 }, () => env.api('GET', `/api/boards/${id}`)));
      const after = [];
      for (let i = 0; i < 10; i++) after.push(await env.api('GET', `/api/boards/${id}`));
      for (const r of [...together, ...after]) {
        expect(r.status).toBe(200);
        expect((r.body as { noteCount: number }).noteCount).toBe(500);
      }
      expect(loads.mock.calls.filter(([w]) => w === id)).toHaveLength(1);

      // Someone opens the wall, deletes a note and leaves, with no summary asked meanwhile: once
      // the room is unloaded, the kept summary (500) has been forgotten and the new count shows.
      const host = connectClient(env.srv.ws, id, { key: hostKey });
      await host.synced;
      host.doc.transact(() => host.doc.getMap('notes').delete('n0'));
      await expect.poll(() => env.srv.server.rooms.peek(id as BoardId)?.doc.getMap('notes').has('n0')).toBe(false);
      host.destroy();
      await env.srv.server.rooms.unload(id as BoardId); // as the idle timer would, later
      expect(env.srv.server.rooms.peek(id as BoardId)).toBeFalsy();
      expect(((await env.api('GET', `/api/boards/${id}`)).body as { noteCount: number }).noteCount).toBe(499);
      // And while a wall is live, it answers live (another note deleted: no wait for the interval).
      const again = connectClient(env.srv.ws, id, { key: hostKey });
      await again.synced;
      again.doc.transact(() => again.doc.getMap('notes').delete('n1'));
      await expect.poll(async () => ((await env.api('GET', `/api/boards/${id}`)).body as { noteCount: number }).noteCount).toBe(498);
      again.destroy();

      const del = await env.api('DELETE', `/api/boards/${id}`, hostKey);
      expect(del.status).toBe(204);
      expect((await env.api('GET', `/api/boards/${id}`)).status).toBe(404);
    } finally {
      loads.mockRestore();
    }
  });
});
