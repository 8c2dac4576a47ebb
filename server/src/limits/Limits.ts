/**
 * Every rate and connection limit of the server, in one place (docs/security.md, limits table).
 * The transports call in at their edges:
 *   - REST: `wallCreation()` guards the routes that create walls (429 + Retry-After);
 *   - y-websocket: `admit()` at upgrade (close 4429 over the per-address count), then the returned
 *     guard on every frame (close 4429 over the message rate or the awareness bounds);
 *   - socket.io: `attachSocketIo()` refuses handshakes over the per-address count and drops
 *     events over the rate (acknowledged with `rate_limited`; a socket that keeps going is cut).
 *
 * Walls per address per hour is the one limit that must hold across processes, so it lives in
 * Redis when REDIS_URL is set (rate-limiter-flexible's RateLimiterRedis, with an in-memory
 * limiter as insurance while Redis is unreachable). The others are per connection or per process
 * by nature (see TokenBucket.ts, ConnectionCounter.ts).
 */
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import type { Server as IoServer, Socket as IoSocket } from 'socket.io';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { ErrorCode, MaillageError, MessageType, type DecodedMessage } from '@maillage/shared';
import type { LimitsConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import { TokenBucket } from './TokenBucket.ts';
import { ConnectionCounter } from './ConnectionCounter.ts';
import { clientAddress, compileTrust, type TrustFn } from './clientIp.ts';
import { AWARENESS_IDS_PER_CONNECTION, awarenessOverLimit } from './awareness.ts';

/** Milliseconds an engine.io connection over the per-address count is kept to be told why. */
const OVER_LIMIT_GRACE_MS = 2000;

/**
 * Packets one socket.io connection may have waiting to be written when it sends another event:
 * a few seconds' worth of everything a wall pushes, far more than a client that reads ever has.
 */
const MAX_UNSENT_PACKETS = 256;

/** The part of an engine.io connection the count needs. */
interface EngineConn {
  request: IncomingMessage;
  close(): void;
  once(event: 'close', fn: () => void): unknown;
}

/** Redis keys of the limiter (every Maillage key starts with `maillage:`). */
export const LIMITS_REDIS_PREFIX = 'maillage:rl';

export interface LimitsOptions {
  limits: LimitsConfig;
  trustProxy: boolean | number | string;
  /** Set: the wall-creation limit is shared by every process through this Redis. */
  redisUrl?: string | undefined;
  log: Logger;
}

/** What a y-websocket connection carries once admitted. */
export interface ConnectionGuard {
  /** Call once per incoming frame, before decoding it; a reason means: close with 4429. */
  frame(): string | null;
  /** Call with each decoded message before it is handled; a reason means: close with 4429. */
  message(msg: DecodedMessage): string | null;
  /** Call with how many awareness ids the connection controls after a message; a reason means: close with 4429. */
  awarenessIds(count: number): string | null;
  /** Frees the connection's slot in the per-address count (idempotent). */
  release(): void;
}

export class Limits {
  readonly connections: ConnectionCounter;
  private readonly trust: TrustFn;
  private readonly walls: RateLimiterAbstract | null;
  private readonly redis: Redis | null;

  private constructor(
    private readonly opts: LimitsOptions,
    redis: Redis | null,
  ) {
    const cfg = opts.limits;
    this.connections = new ConnectionCounter(cfg.connectionsPerIp);
    this.trust = compileTrust(opts.trustProxy);
    this.redis = redis;
    if (cfg.wallsPerIpPerHour <= 0) this.walls = null;
    else {
      const base = { points: cfg.wallsPerIpPerHour, duration: 3600, keyPrefix: `${LIMITS_REDIS_PREFIX}:walls` };
      const memory = new RateLimiterMemory(base);
      this.walls = redis ? new RateLimiterRedis({ ...base, storeClient: redis, insuranceLimiter: memory }) : memory;
    }
  }

  /**
   * @throws nothing when Redis is down: its connection is lazy, and while it cannot answer, each
   * process counts wall creations in memory (the insurance limiter).
   */
  static async create(opts: LimitsOptions): Promise<Limits> {
    let redis: Redis | null = null;
    if (opts.redisUrl && opts.limits.wallsPerIpPerHour > 0) {
      const { Redis: RedisClient } = await import('ioredis');
      // Lazy: connects on the first wall creation. A command that cannot be answered within a
      // second falls back to the in-memory limiter rather than holding the request.
      redis = new RedisClient(opts.redisUrl, {
        lazyConnect: true,
        connectionName: 'maillage-limits',
        maxRetriesPerRequest: 1,
        commandTimeout: 1000,
      });
      let lastError = '';
      redis.on('error', (err: Error) => {
        if (err.message !== lastError) opts.log.warn({ component: 'limits', err }, 'Redis connection error (limits fall back to memory)');
        lastError = err.message;
      });
    }
    return new Limits(opts, redis);
  }

  get config(): LimitsConfig {
    return this.opts.limits;
  }

  /** The address limits are keyed by (X-Forwarded-For honoured per TRUST_PROXY). */
  clientIp(req: Pick<IncomingMessage, 'headers' | 'socket'>): string {
    return clientAddress(req, this.trust);
  }

  /** Express middleware for routes that create walls: 429 `rate_limited` with Retry-After. */
  wallCreation(): RequestHandler {
    return (req, res, next) => {
      const walls = this.walls;
      if (!walls) return next();
      walls.consume(this.clientIp(req)).then(
        () => next(),
        (rej: unknown) => {
          if (!(rej instanceof RateLimiterRes)) return next(rej);
          const seconds = Math.max(1, Math.ceil(rej.msBeforeNext / 1000));
          res.setHeader('Retry-After', String(seconds));
          this.opts.log.warn({ limit: 'walls_per_ip_per_hour', retryAfter: seconds }, 'rate limited');
          next(
            new MaillageError(
              ErrorCode.RateLimited,
              `too many walls created from this network (${walls.points} an hour); try again in ${Math.ceil(seconds / 60)} min`,
              { retryAfterSeconds: seconds },
            ),
          );
        },
      );
    };
  }

  /**
   * Counts a new y-websocket connection. Null: the address is at its limit (the caller closes
   * with 4429). Otherwise the guard to consult on every frame, and to release on close.
   */
  admit(req: Pick<IncomingMessage, 'headers' | 'socket'>): ConnectionGuard | null {
    const release = this.connections.admit(this.clientIp(req));
    if (!release) {
      this.opts.log.warn({ limit: 'connections_per_ip', transport: 'yjs' }, 'connection refused');
      return null;
    }
    const bucket = this.bucket();
    return {
      frame: () => (bucket && !bucket.take() ? `more than ${this.opts.limits.messagesPerSecond} messages a second` : null),
      message: (msg) => (msg.type === MessageType.Awareness ? awarenessOverLimit(msg.payload) : null),
      awarenessIds: (count) => (count > AWARENESS_IDS_PER_CONNECTION ? `more than ${AWARENESS_IDS_PER_CONNECTION} awareness states` : null),
      release,
    };
  }

  /**
   * Socket.io: a handshake over the per-address count fails with a `connect_error` whose message
   * is `rate_limited`; an event over the rate is dropped, its ack (if any) answered with
   * `rate_limited`, and a socket that sends a whole burst more while limited is disconnected.
   * Register after any other middleware, so that a socket counted here always connects.
   *
   * The count is taken when the engine.io connection opens, not when a namespace is joined: a
   * client that opens transports and never sends a CONNECT packet held each of them for
   * socket.io's connect timeout (45 s) without being counted — 200 of them from an address
   * allowed 5 (R212). An engine connection over the count is kept only long enough to answer its
   * CONNECT with `rate_limited`. One engine connection carries one socket per namespace: a second
   * CONNECT on it would be a socket nobody counted.
   */
  attachSocketIo(io: IoServer): void {
    const admitted = new WeakSet<object>();
    const namespaces = new WeakMap<object, Set<string>>();
    io.engine.on('connection', (conn: EngineConn) => {
      const release = this.connections.admit(this.clientIp(conn.request));
      if (release) {
        admitted.add(conn);
        conn.once('close', release);
        return;
      }
      this.opts.log.warn({ limit: 'connections_per_ip', transport: 'socket.io' }, 'connection refused');
      const t = setTimeout(() => conn.close(), OVER_LIMIT_GRACE_MS);
      t.unref();
      conn.once('close', () => clearTimeout(t));
    });
    io.use((socket, next) => {
      if (!admitted.has(socket.conn)) {
        const err = new Error(ErrorCode.RateLimited) as Error & { data?: unknown };
        err.data = new MaillageError(ErrorCode.RateLimited, 'too many connections from this network').toBody();
        return next(err);
      }
      // socket.io ignores a CONNECT for a namespace the connection has joined, but not several
      // sent together, before the first has passed its (asynchronous) middlewares.
      const joined = namespaces.get(socket.conn) ?? new Set<string>();
      if (joined.has(socket.nsp.name)) {
        const err = new Error(ErrorCode.BadRequest) as Error & { data?: unknown };
        err.data = new MaillageError(ErrorCode.BadRequest, 'already connected').toBody();
        return next(err);
      }
      joined.add(socket.nsp.name);
      namespaces.set(socket.conn, joined);
      socket.once('disconnect', () => joined.delete(socket.nsp.name));
      this.limitEvents(socket);
      next();
    });
  }

  private limitEvents(socket: IoSocket): void {
    // A client that asks and never reads: every answer waits in engine.io's write buffer, in the
    // server's memory, until the heartbeat gives up (≤ 45 s). Asking again with that many packets
    // unsent ends the connection (R216). Volatile events (cursors) are dropped, never queued, so
    // a client that reads keeps this near zero even on a slow network.
    socket.use((_packet, next) => {
      const unsent = (socket.conn as unknown as { writeBuffer?: unknown[] }).writeBuffer?.length ?? 0;
      if (unsent <= MAX_UNSENT_PACKETS) return next();
      this.opts.log.warn({ limit: 'unsent_packets', transport: 'socket.io', unsent }, 'socket disconnected');
      socket.disconnect(true);
    });
    const bucket = this.bucket();
    if (!bucket) return;
    let strikes = 0;
    socket.use((packet, next) => {
      if (bucket.take()) {
        strikes = 0;
        return next();
      }
      const ack = packet[packet.length - 1];
      if (typeof ack === 'function') {
        (ack as (r: unknown) => void)({ ok: false, ...new MaillageError(ErrorCode.RateLimited, 'too many messages; slow down').toBody() });
      }
      if (++strikes > this.opts.limits.messageBurst) {
        this.opts.log.warn({ limit: 'messages_per_second', transport: 'socket.io' }, 'socket disconnected');
        socket.disconnect(true);
      }
    });
  }

  private bucket(): TokenBucket | null {
    const { messagesPerSecond, messageBurst } = this.opts.limits;
    return messagesPerSecond > 0 ? new TokenBucket(messagesPerSecond, Math.max(1, messageBurst)) : null;
  }

  async close(): Promise<void> {
    if (!this.redis) return;
    const r = this.redis;
    if (r.status === 'wait' || r.status === 'end') r.disconnect();
    else await r.quit().catch(() => r.disconnect());
  }
}
