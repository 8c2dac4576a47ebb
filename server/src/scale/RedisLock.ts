/**
 * A per-wall lock in Redis so that compaction and snapshot work for one wall runs in one process
 * at a time. `SET key token NX PX ttl` takes it; a Lua script releases or extends it only if the
 * token is still ours, so a process whose lock expired (a long GC pause, a partition) cannot
 * release the lock another process has taken since. The expiry is what frees the lock of a process
 * that died: nothing waits on a dead holder for longer than `ttlMs`.
 *
 * This is a single-Redis lock, not Redlock: good enough for work that is safe to repeat (a
 * compaction that runs twice only wastes time), not for work that must never overlap.
 */
import type { Redis } from 'ioredis';
import { randomToken, type BoardId } from '@maillage/shared';
import type { Logger } from '../logger.ts';
import type { WallLock } from '../sync/Room.ts';

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const EXTEND = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

export interface RedisLockOptions {
  /** Key prefix shared by every Maillage key in this Redis (e.g. 'maillage:'). */
  prefix: string;
  /** Lifetime of a lock nobody renews; renewed every ttl/3 while the task runs. */
  ttlMs?: number;
  log: Logger;
}

export class RedisLock implements WallLock {
  private readonly ttlMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly opts: RedisLockOptions,
  ) {
    this.ttlMs = opts.ttlMs ?? 30_000;
  }

  key(boardId: BoardId): string {
    return `${this.opts.prefix}lock:wall:${boardId}`;
  }

  /**
   * Runs `task` while holding the wall's lock; resolves false at once, without running it, when
   * another process holds it or Redis is not connected.
   * @throws whatever `task` throws (the lock is released first), or a Redis error when the lock
   * cannot be asked for.
   */
  async tryWith(boardId: BoardId, task: () => Promise<void>): Promise<boolean> {
    // While Redis is away, skip rather than queue: the caller (a room's flush chain) must not
    // stall behind ioredis's reconnection retries. The work is simply done a later time.
    if (this.redis.status !== 'ready') return false;
    const key = this.key(boardId);
    const token = randomToken(16);
    const got = await this.redis.set(key, token, 'PX', this.ttlMs, 'NX');
    if (got !== 'OK') return false;
    const renew = setInterval(() => {
      this.redis.eval(EXTEND, 1, key, token, String(this.ttlMs)).then(
        (ok) => {
          if (ok !== 1) this.opts.log.warn({ board: boardId }, 'wall lock lost while working');
        },
        (err: unknown) => this.opts.log.warn({ board: boardId, err }, 'wall lock renewal failed'),
      );
    }, Math.max(10, Math.floor(this.ttlMs / 3)));
    renew.unref();
    try {
      await task();
      return true;
    } finally {
      clearInterval(renew);
      // If Redis is unreachable now, the expiry releases the lock instead.
      await this.redis.eval(RELEASE, 1, key, token).catch((err: unknown) => {
        this.opts.log.warn({ board: boardId, err }, 'wall lock release failed; it will expire');
      });
    }
  }
}
