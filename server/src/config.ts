/**
 * Configuration, read once from the environment (docs/deployment.md has the table). Everything
 * has a default that gives the embedded mode: one process, SQLite in ./data, port 3000.
 */
import path from 'node:path';
import { z } from 'zod';

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  /** postgres://… selects the PostgreSQL store; unset means SQLite in DATA_DIR. */
  DATABASE_URL: z.string().optional(),
  /** redis://… enables cross-process live state. */
  REDIS_URL: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Where the built client lives; the server serves it when the folder exists. */
  CLIENT_DIST: z.string().optional(),
  /** Milliseconds a wall stays in memory after its last connection leaves. */
  ROOM_IDLE_MS: z.coerce.number().int().min(0).default(30_000),
  /** Stored updates per wall before they are compacted into one. */
  COMPACT_AFTER: z.coerce.number().int().min(2).default(500),
  /** Origins allowed to open websockets / call the API cross-origin (comma separated). */
  ALLOWED_ORIGINS: z.string().default(''),
  /**
   * Which proxies' X-Forwarded-For to believe (Express `trust proxy`): a hop count, `true`, or
   * addresses / names such as `loopback, uniquelocal` (the latter for a load balancer on a
   * private network, as in docker-compose.yml).
   */
  TRUST_PROXY: z.string().default('loopback'),
  /** Walls one client address may create per hour (0 = no limit). */
  LIMIT_WALLS_PER_IP_PER_HOUR: z.coerce.number().int().min(0).default(100),
  /** Concurrent websocket + socket.io connections per client address, per process (0 = no limit). */
  LIMIT_CONNECTIONS_PER_IP: z.coerce.number().int().min(0).default(1000),
  /** Sustained messages a second per connection (y-websocket frames, socket.io events; 0 = no limit). */
  LIMIT_MESSAGES_PER_SECOND: z.coerce.number().min(0).default(50),
  /** Messages a connection may send at once above the sustained rate. */
  LIMIT_MESSAGE_BURST: z.coerce.number().int().min(1).default(200),
  /**
   * Milliseconds between automatic snapshots of walls that changed since their last snapshot
   * (docs/export.md); 0 turns them off.
   */
  SNAPSHOT_INTERVAL_MS: z.coerce.number().int().min(0).default(600_000),
  /**
   * Milliseconds between sweeps that erase contact details whose retention period after the end
   * of the session has passed (R88); 0 turns the sweep off.
   */
  CONTACT_SWEEP_MS: z.coerce.number().int().min(0).default(3_600_000),
  /**
   * Milliseconds a graceful shutdown (SIGTERM/SIGINT) may take before the process exits anyway
   * (code 1), whatever is stuck — a connection, the store, or a log reader (docs/spec.md R61).
   */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /** When set, GET /metrics requires `Authorization: Bearer <token>` (R167); empty means unset. */
  METRICS_TOKEN: z.union([z.literal(''), z.string().min(16, 'at least 16 characters')]).optional(),
});

/** Rate and connection limits (docs/security.md); 0 turns a limit off. */
export interface LimitsConfig {
  wallsPerIpPerHour: number;
  connectionsPerIp: number;
  messagesPerSecond: number;
  messageBurst: number;
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  clientDist: string;
  roomIdleMs: number;
  compactAfter: number;
  allowedOrigins: string[];
  trustProxy: boolean | number | string;
  limits: LimitsConfig;
  /** Automatic snapshots of changed walls every so many ms; 0 = off. */
  snapshotIntervalMs: number;
  /** Milliseconds between contact-retention sweeps; 0 = off (R88). */
  contactSweepMs: number;
  /** Hard deadline of a graceful shutdown (ms). */
  shutdownTimeoutMs: number;
  /** Bearer token guarding /metrics; undefined leaves it open (docs/deployment.md, "Metrics"). */
  metricsToken?: string | undefined;
}

/** @throws Error listing every invalid variable, so a misconfigured deploy fails at start. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL || undefined,
    redisUrl: e.REDIS_URL || undefined,
    logLevel: e.LOG_LEVEL,
    clientDist: path.resolve(e.CLIENT_DIST ?? path.join(import.meta.dirname, '../../client/dist')),
    roomIdleMs: e.ROOM_IDLE_MS,
    compactAfter: e.COMPACT_AFTER,
    allowedOrigins: e.ALLOWED_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean),
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    limits: {
      wallsPerIpPerHour: e.LIMIT_WALLS_PER_IP_PER_HOUR,
      connectionsPerIp: e.LIMIT_CONNECTIONS_PER_IP,
      messagesPerSecond: e.LIMIT_MESSAGES_PER_SECOND,
      messageBurst: e.LIMIT_MESSAGE_BURST,
    },
    snapshotIntervalMs: e.SNAPSHOT_INTERVAL_MS,
    contactSweepMs: e.CONTACT_SWEEP_MS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    metricsToken: e.METRICS_TOKEN || undefined,
    ...overrides,
  };
}

/** Express reads a numeric string as an address, so hop counts and booleans are converted. */
function parseTrustProxy(v: string): boolean | number | string {
  if (v === 'true' || v === 'false') return v === 'true';
  return /^\d+$/.test(v) ? Number(v) : v;
}
