/** The wall lock against the real Redis (TEST_REDIS_URL; skipped with a message when absent). */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { newBoardId } from '@maillage/shared';
import { describeWithServices, probeRedis } from '../../../test/helpers/processes.ts';
import { createLogger } from '../logger.ts';
import { RedisLock } from './RedisLock.ts';

const probe = await probeRedis();
const log = createLogger('silent');
const prefix = `maillage-test-${process.pid}:`;

describeWithServices('RedisLock', [probe], () => {
  let a: Redis;
  let b: Redis;
  beforeAll(async () => {
    a = new Redis(probe.url);
    b = new Redis(probe.url);
    await Promise.all([a.ping(), b.ping()]);
  });
  afterAll(async () => {
    await Promise.all([a?.quit(), b?.quit()]);
  });

  it('lets one process at a time work on a wall, and frees it afterwards', async () => {
    const lockA = new RedisLock(a, { prefix, log });
    const lockB = new RedisLock(b, { prefix, log });
    const wall = newBoardId();
    let release!: () => void;
    const inside = new Promise<void>((r) => (release = r));
    const ranA = lockA.tryWith(wall, () => inside);
    await expect.poll(() => a.exists(lockA.key(wall))).toBe(1);
    let ranInsideB = false;
    expect(await lockB.tryWith(wall, async () => void (ranInsideB = true))).toBe(false);
    expect(ranInsideB).toBe(false);
    // Another wall is not affected.
    expect(await lockB.tryWith(newBoardId(), async () => undefined)).toBe(true);
    release();
    expect(await ranA).toBe(true);
    expect(await a.exists(lockA.key(wall))).toBe(0);
    expect(await lockB.tryWith(wall, async () => undefined)).toBe(true);
  });

  it('expires the lock of a holder that died, and renews it for one that works long', async () => {
    const wall = newBoardId();
    // A 1 s lease, renewed every ~333 ms: a 300 ms one (renewed every 100 ms) expired whenever this
    // worker's event loop stalled ~200 ms, as it may while other test files load the two cores.
    const short = new RedisLock(a, { prefix, log, ttlMs: 1000 });
    // A "dead" holder: the key is there with a token nobody will release.
    await a.set(short.key(wall), 'dead-process', 'PX', 1000, 'NX');
    expect(await short.tryWith(wall, async () => undefined)).toBe(false);
    await new Promise((r) => setTimeout(r, 1100));
    // A live holder keeps it well past its ttl while the task runs.
    const done = short.tryWith(wall, () => new Promise((r) => setTimeout(r, 2500)));
    await new Promise((r) => setTimeout(r, 1800));
    expect(await new RedisLock(b, { prefix, log }).tryWith(wall, async () => undefined)).toBe(false);
    expect(await done).toBe(true);
  });

  it('skips at once, without running the task, while Redis is not connected', async () => {
    const offline = new Redis(probe.url, { lazyConnect: true });
    let ran = false;
    expect(await new RedisLock(offline, { prefix, log }).tryWith(newBoardId(), async () => void (ran = true))).toBe(false);
    expect(ran).toBe(false);
    offline.disconnect();
  });

  it('never releases a lock that has passed to someone else, and releases on errors', async () => {
    const wall = newBoardId();
    const lock = new RedisLock(a, { prefix, log });
    await expect(
      lock.tryWith(wall, async () => {
        // Our lock expired and another process took it meanwhile.
        await a.set(lock.key(wall), 'other-process');
        throw new Error('task failed');
      }),
    ).rejects.toThrow('task failed');
    expect(await a.get(lock.key(wall))).toBe('other-process');
    await a.del(lock.key(wall));
    await expect(lock.tryWith(wall, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await a.exists(lock.key(wall))).toBe(0);
  });
});
