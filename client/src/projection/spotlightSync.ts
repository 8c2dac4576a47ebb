/**
 * Keeps every projected screen of a wall on the same view (docs/spec.md R192): a host who steps
 * on one screen (laptop, or projector with a clicker) moves the others; a screen opened later
 * asks where the others are. Only hosts' steps are sent; the server refuses anyone else's.
 *
 * The state names what is shown (view, domain or group, first note or vote rank) rather than a
 * page number, because screens of different sizes page the same wall differently: each screen
 * opens its own page holding that note (`resolveSpotlight`).
 */
import { useEffect, useRef } from 'react';
import type { Spotlight } from '@maillage/shared';
import type { SessionSocket } from '../sync/session.ts';
import type { ProjectionMode } from './requestedMode.ts';

export type { Spotlight };

/** What a scene of the projection shows, as far as following it needs. */
export interface SceneRef {
  overview?: boolean;
  section?: string;
  noteIds?: readonly string[];
  rank?: { start: number; count: number };
}

export function spotlightOf(mode: ProjectionMode, scene: SceneRef | undefined, at: number): Spotlight {
  return {
    mode,
    overview: !!scene?.overview,
    section: scene?.section ?? null,
    note: scene?.noteIds?.[0] ?? null,
    rank: scene?.rank?.start ?? null,
    at,
  };
}

/** The scene of this screen that shows what `s` names; the sender's position when none does. */
export function resolveSpotlight(scenes: readonly SceneRef[], s: Spotlight): number {
  const find = (f: (x: SceneRef) => boolean) => scenes.findIndex(f);
  let i = -1;
  if (s.overview) i = find((x) => !!x.overview);
  else if (s.rank !== null) i = find((x) => !!x.rank && x.rank.start <= (s.rank as number) && (s.rank as number) < x.rank.start + x.rank.count);
  else if (s.note) i = find((x) => !x.overview && (!s.section || x.section === s.section) && !!x.noteIds?.includes(s.note as string));
  if (i < 0 && s.section) i = find((x) => x.section === s.section);
  return i >= 0 ? i : Math.max(0, Math.min(scenes.length - 1, s.at));
}

export interface SpotlightSyncOptions {
  socket: SessionSocket | null;
  /** Joined to the wall's session (the server answers only then). */
  live: boolean;
  /** Hosts drive; other screens only follow. */
  canDrive: boolean;
  /** Changes identity on every local step (and only then it is sent). */
  local: object | null;
  /** The spotlight to send for the current local step. */
  current(): Spotlight;
  onRemote(s: Spotlight): void;
}

export function useSpotlightSync({ socket, live, canDrive, local, current, onRemote }: SpotlightSyncOptions): void {
  const cb = useRef({ current, onRemote });
  cb.current = { current, onRemote };
  const asked = useRef(!!local);
  useEffect(() => {
    if (!socket || !live) return;
    const on = (x: Spotlight) => cb.current.onRemote(x);
    socket.on('spotlight:state', on);
    // A screen opened (or reconnected) while the session runs takes the current spotlight, unless
    // it was opened on purpose on a view of its own (the host panel's "Project the results").
    if (!asked.current) {
      asked.current = true;
      socket.emit('spotlight:get', {}, (r) => {
        if (r?.ok && r.spotlight) cb.current.onRemote(r.spotlight);
      });
    }
    return () => void socket.off('spotlight:state', on);
  }, [socket, live]);
  useEffect(() => {
    if (!local || !socket || !live || !canDrive) return;
    socket.emit('spotlight:set', cb.current.current(), () => {});
  }, [local, socket, live, canDrive]);
}
