/**
 * Scale-out: what a server process needs to run next to others (REDIS_URL set). It owns the Redis
 * connections and hands out the pieces the other layers plug in at their edges:
 *   - `lock`       per-wall maintenance lock, for RoomOptions.lock (compaction, snapshots);
 *   - `attach()`   the RoomExtension that shares live walls (RedisRoomSync);
 *   - `ioAdapter`  socket.io's Redis adapter, so room broadcasts reach every process;
 *   - `ready()`    the readiness check for /readyz.
 * Three connections: one for commands and PUBLISH, one subscriber for walls, one subscriber for
 * socket.io (a subscribed connection can run nothing else).
 */
import { Redis } from 'ioredis';
import { createAdapter } from '@socket.io/redis-adapter';
import type { BoardStore } from '../store/index.ts';
import type { Logger } from '../logger.ts';
import type { RoomManager } from '../sync/RoomManager.ts';
import { RedisLock } from './RedisLock.ts';
import { RedisRoomSync } from './RedisRoomSync.ts';

export { RedisLock } from './RedisLock.ts';
export { RedisRoomSync } from './RedisRoomSync.ts';

/** Every key and channel Maillage uses starts with this, so a Redis can be shared. */
export const REDIS_PREFIX = 'maillage:';

export interface ScaleOut {
  lock: RedisLock;
  ioAdapter: ReturnType<typeof createAdapter>;
  /** Starts sharing the manager's walls with the other processes. */
  attach(rooms: RoomManager, store: BoardStore): RedisRoomSync;
  /** @throws when Redis is not connected or does not answer within a second. */
  ready(): Promise<void>;
  /** Quits the connections; call after the rooms have been flushed (they use the lock). */
  close(): Promise<void>;
}

/**
 * Connects to Redis. @throws when Redis cannot be reached at start-up, so that a misconfigured
 * process fails fast instead of serving walls that silently do not sync.
 */
export async function connectScaleOut(opts: { redisUrl: string; log: Logger }): Promise<ScaleOut> {
  const log = opts.log.child({ component: 'scale' });
  let firstError: Error | undefined;
  const make = (role: string): Redis => {
    const r = new Redis(opts.redisUrl, { lazyConnect: true, connectionName: `maillage-${role}` });
    // Without a listener ioredis prints every reconnection failure; log it once per state change.
    let lastError = '';
    r.on('error', (err: Error) => {
      firstError ??= err;
      if (err.message !== lastError) log.warn({ role, err }, 'Redis connection error');
      lastError = err.message;
    });
    r.on('ready', () => {
      if (lastError) log.info({ role }, 'Redis connection restored');
      lastError = '';
    });
    return r;
  };
  const pub = make('pub');
  const sub = make('sub');
  const ioSub = make('io-sub');
  try {
    await Promise.all([pub.connect(), sub.connect(), ioSub.connect()]);
  } catch (err) {
    for (const r of [pub, sub, ioSub]) r.disconnect();
    // ioredis rejects with "Connection is closed"; the cause is in the first error event.
    throw new Error(`Redis unreachable at start-up: ${(firstError ?? (err as Error)).message}`);
  }

  let roomSync: RedisRoomSync | null = null;
  let closed = false;
  return {
    lock: new RedisLock(pub, { prefix: REDIS_PREFIX, log }),
    ioAdapter: createAdapter(pub, ioSub, { key: `${REDIS_PREFIX}socket.io` }),
    attach(rooms, store) {
      roomSync = new RedisRoomSync({ pub, sub, rooms, store, log, prefix: REDIS_PREFIX });
      rooms.use(roomSync);
      return roomSync;
    },
    async ready() {
      for (const r of [pub, sub, ioSub]) if (r.status !== 'ready') throw new Error(`Redis ${r.status}`);
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          pub.ping(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error('Redis ping timed out')), 1000);
          }),
        ]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      roomSync?.close();
      await Promise.all(
        [pub, sub, ioSub].map((r) => r.quit().then(() => undefined, () => r.disconnect())),
      );
    },
  };
}
