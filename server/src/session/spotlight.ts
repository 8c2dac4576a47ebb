/**
 * The projection's spotlight, shared by every projected screen of a wall (docs/spec.md R192): a
 * host steps it on one screen (the laptop, or the projector with a clicker) and the others follow.
 *
 * What travels is what the screen shows, not a page number: screens of different sizes page the
 * same wall differently, so the state names the view, the section (domain or group) and the first
 * note or vote rank on screen, and each screen opens its own page holding that note.
 *
 * Only hosts set it. It lives in this process's memory, per wall, and is not stored: a spotlight
 * is worth nothing once the session's room is gone, and a late joiner asks for it (`spotlight:get`).
 */
import { z } from 'zod';
import type { Spotlight } from '@maillage/shared';
import { boardRoom } from './SessionService.ts';
import { parseReq } from './validate.ts';
import { command, type SessionDeps, type SessionSocket } from './SessionServer.ts';

export const SpotlightSchema = z
  .object({
    mode: z.enum(['wall', 'domains', 'groups', 'votes']),
    /** Overview of the whole wall (mode wall, first view). */
    overview: z.boolean(),
    /** Domain or group id the screen shows (domains, groups). */
    section: z.string().max(64).nullable(),
    /** First note on screen. */
    note: z.string().max(64).nullable(),
    /** First vote rank on screen (votes), 0-based. */
    rank: z.number().int().min(0).max(1_000_000).nullable(),
    /** Position in the sender's own list of views: the fallback when nothing else matches. */
    at: z.number().int().min(0).max(100_000),
  })
  .strict() satisfies z.ZodType<Spotlight>;

/** Walls whose spotlight this process remembers; the oldest is forgotten beyond this. */
const MAX_WALLS = 10_000;

/** One memory per session server (tests run several in one process). */
const memories = new WeakMap<object, Map<string, Spotlight>>();

/**
 * Registers `spotlight:set` (hosts: store and tell the wall's other screens with
 * `spotlight:state`) and `spotlight:get` (any role joined to the wall: the current one, or null).
 */
export function registerSpotlight(socket: SessionSocket, deps: SessionDeps): void {
  let memory = memories.get(deps.sessions);
  if (!memory) {
    memory = new Map();
    memories.set(deps.sessions, memory);
  }
  const mem = memory;
  socket.on(
    'spotlight:set',
    command(socket, deps, ['host'], async (req: unknown, { boardId }) => {
      const s = parseReq(SpotlightSchema, req);
      mem.delete(boardId);
      mem.set(boardId, s);
      if (mem.size > MAX_WALLS) mem.delete(mem.keys().next().value as string);
      socket.to(boardRoom(boardId)).emit('spotlight:state', s);
      return {};
    }),
  );
  socket.on(
    'spotlight:get',
    command(socket, deps, ['host', 'participant', 'review'], async (_req: unknown, { boardId }) => ({ spotlight: mem.get(boardId) ?? null })),
  );
}
