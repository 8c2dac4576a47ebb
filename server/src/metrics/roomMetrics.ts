/**
 * Observes the rooms from the outside, as a RoomExtension (sync/RoomManager.ts): it keeps the
 * loaded rooms for the gauges and listens to each document's updates, so room code carries no
 * metrics code at all.
 */
import type { Role } from '@maillage/shared';
import type { Room } from '../sync/Room.ts';
import { REMOTE_ORIGIN } from '../sync/Room.ts';
import type { RoomExtension } from '../sync/RoomManager.ts';
import type { Peer } from '../sync/Peer.ts';
import type { Refusal } from '../auth/judge.ts';
import type { Metrics } from './Metrics.ts';

/** Connection roles of a room, read at scrape time (the room's peer map is the truth). */
function* roles(room: Room): Iterable<Role> {
  for (const peer of room.peers.keys()) yield peer.role;
}

/**
 * A RoomExtension feeding `metrics`: rooms and their connections (gauges, via `metrics.sources`),
 * updates by origin, fan-out latency and refused writes.
 */
export function roomMetrics(metrics: Metrics): RoomExtension {
  const loaded = new Map<Room, (update: Uint8Array, origin: unknown) => void>();
  metrics.sources.rooms = function* () {
    for (const room of loaded.keys()) yield { connections: roles(room) };
  };
  return {
    onRoomLoaded(room) {
      const onUpdate = (_update: Uint8Array, origin: unknown): void => {
        const fromClient = room.peers.has(origin as Peer);
        metrics.updates.inc({ origin: fromClient ? 'client' : origin === REMOTE_ORIGIN ? 'remote' : 'server' });
        // Fan-out: the room has already queued the frames for every other connection (its own
        // update listener ran first); they leave once the flush they wait for is done. Asking
        // for that flush joins the one the connections requested (Room.flush shares a queued
        // flush), and this callback, registered after theirs, runs once they have sent. (When a
        // flush was already in flight, the frames leave right after this callback: the figure
        // then lacks only the synchronous send loop.)
        if (!fromClient || room.size < 2) return;
        const started = performance.now();
        const done = () => metrics.fanoutSeconds.observe((performance.now() - started) / 1000);
        room.flush().then(done, done);
      };
      room.doc.on('update', onUpdate);
      loaded.set(room, onUpdate);
    },
    onRoomUnloading(room) {
      const onUpdate = loaded.get(room);
      if (onUpdate) room.doc.off('update', onUpdate);
      loaded.delete(room);
    },
    onWriteRefused(_room: Room, _peer: Peer, refusals: Refusal[]) {
      for (const r of refusals) metrics.refused(r.reason);
    },
  };
}
