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
});

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
    ...overrides,
  };
}

/** Express reads a numeric string as an address, so hop counts and booleans are converted. */
function parseTrustProxy(v: string): boolean | number | string {
  if (v === 'true' || v === 'false') return v === 'true';
  return /^\d+$/.test(v) ? Number(v) : v;
}
