/**
 * The Prometheus metrics of one server (docs/deployment.md, "Metrics"): every series this
 * process exports is declared here, in one place, so that the documentation table and the
 * Grafana dashboard can be checked against it (test/integration/metrics.test.ts).
 *
 * Labels are bounded by construction (R166): roles, refusal reasons, store operations and job
 * outcomes are closed sets. No wall id, key, name or text ever becomes a label — a wall id is
 * what a participant link carries, and one series per wall would grow without bound.
 *
 * Every series carries `host` and `pid` (R164), so that processes behind a load balancer, each
 * scraped on its own, add up with `sum()` and can still be told apart.
 */
import os from 'node:os';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { WriteRefusal, type Role } from '@maillage/shared';

/** What the gauges read when Prometheus scrapes; set by the observers (rooms, socket.io). */
export interface MetricSources {
  /** Loaded walls, each with its y-websocket connections by role. */
  rooms(): Iterable<{ connections: Iterable<Role> }>;
  /** socket.io connections (session channel) of this process. */
  sessionConnections(): number;
}

/** Upper bounds of the walls-by-size gauge (connections per wall; "+Inf" is added). */
export const ROOM_SIZE_BOUNDS = [0, 10, 50, 100, 250, 500, 1000] as const;
const ROLES: readonly Role[] = ['host', 'participant', 'review'];
const REFUSAL_REASONS = new Set<string>(Object.values(WriteRefusal));
/** Seconds: a flush is a few hundred microseconds on SQLite, tens of milliseconds on a busy PostgreSQL. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const JOB_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/** The labels that tell processes apart. */
export function processLabels(): { host: string; pid: string } {
  return { host: os.hostname(), pid: String(process.pid) };
}

/**
 * Node's own metrics (CPU, memory, event-loop lag, GC) are per process, not per server: they are
 * collected once in a registry of their own. Collecting them per server would start a new
 * event-loop monitor for every server a test suite creates.
 */
let processRegistry: Registry | null = null;
function nodeProcessRegistry(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    processRegistry.setDefaultLabels(processLabels());
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export class Metrics {
  readonly registry = new Registry();
  /** Gauges read these at scrape time; empty until the server plugs its rooms and socket.io in. */
  sources: MetricSources = { rooms: () => [], sessionConnections: () => 0 };

  readonly updates: Counter<'origin'>;
  readonly refusedWrites: Counter<'reason'>;
  readonly flushSeconds: Histogram;
  readonly fanoutSeconds: Histogram;
  readonly storeErrors: Counter<'operation'>;
  readonly clusterJobs: Counter<'outcome'>;
  readonly clusterJobsRunning: Gauge;
  readonly clusterJobSeconds: Histogram;

  constructor(opts: { nodeMetrics?: boolean } = {}) {
    this.nodeMetrics = opts.nodeMetrics ?? true;
    const registers = [this.registry];
    this.registry.setDefaultLabels(processLabels());
    const sources = () => this.sources;

    new Gauge({
      name: 'maillage_rooms_loaded',
      help: 'Walls loaded in memory by this process (a wall served by two processes counts in both).',
      registers,
      collect() {
        let n = 0;
        for (const _ of sources().rooms()) n++;
        this.set(n);
      },
    });
    new Gauge({
      name: 'maillage_sync_connections',
      help: 'Open y-websocket connections (/yjs) on this process, by role.',
      labelNames: ['role'],
      registers,
      collect() {
        const counts = new Map<Role, number>(ROLES.map((r) => [r, 0]));
        for (const room of sources().rooms()) for (const role of room.connections) counts.set(role, (counts.get(role) ?? 0) + 1);
        for (const [role, n] of counts) this.set({ role }, n);
      },
    });
    new Gauge({
      name: 'maillage_session_connections',
      help: 'Open socket.io connections (session channel: roles, host controls) on this process.',
      registers,
      collect() {
        this.set(sources().sessionConnections());
      },
    });
    new Gauge({
      name: 'maillage_rooms_by_connections',
      help: 'Loaded walls with at most `le` y-websocket connections (cumulative, like histogram buckets).',
      labelNames: ['le'],
      registers,
      collect() {
        const bounds = [...ROOM_SIZE_BOUNDS, Infinity];
        const counts = bounds.map(() => 0);
        for (const room of sources().rooms()) {
          let size = 0;
          for (const _ of room.connections) size++;
          bounds.forEach((b, i) => {
            if (size <= b) counts[i]!++;
          });
        }
        bounds.forEach((b, i) => this.set({ le: b === Infinity ? '+Inf' : String(b) }, counts[i]!));
      },
    });
    new Gauge({
      name: 'maillage_room_connections_max',
      help: 'y-websocket connections of the busiest wall loaded by this process.',
      registers,
      collect() {
        let max = 0;
        for (const room of sources().rooms()) {
          let size = 0;
          for (const _ of room.connections) size++;
          max = Math.max(max, size);
        }
        this.set(max);
      },
    });
    this.updates = new Counter({
      name: 'maillage_updates_total',
      help: 'Document updates applied to loaded walls, by origin: client (a connection here), server (migrations, restores, tidy), remote (another process, through Redis).',
      labelNames: ['origin'],
      registers,
    });
    this.refusedWrites = new Counter({
      name: 'maillage_refused_writes_total',
      help: 'Records of client updates put back by the write rules, by reason (docs/protocol.md).',
      labelNames: ['reason'],
      registers,
    });
    this.flushSeconds = new Histogram({
      name: 'maillage_flush_duration_seconds',
      help: 'Time to append one batch of updates to the store (the write-behind flush that outgoing frames wait for).',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.fanoutSeconds = new Histogram({
      name: 'maillage_fanout_duration_seconds',
      help: "From a client's update being applied to its frames being handed to every other connection of the wall on this process (includes the flush they wait for).",
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.storeErrors = new Counter({
      name: 'maillage_store_errors_total',
      help: 'Store operations (SQLite or PostgreSQL) that failed, by operation.',
      labelNames: ['operation'],
      registers,
    });
    this.clusterJobs = new Counter({
      name: 'maillage_cluster_jobs_total',
      help: 'Clustering jobs finished in the worker pool, by outcome (ok, failed).',
      labelNames: ['outcome'],
      registers,
    });
    this.clusterJobsRunning = new Gauge({
      name: 'maillage_cluster_jobs_running',
      help: 'Clustering jobs running or queued in the worker pool.',
      registers,
    });
    this.clusterJobSeconds = new Histogram({
      name: 'maillage_cluster_job_duration_seconds',
      help: 'Wall-clock time of a clustering job in the worker pool, queueing included.',
      buckets: JOB_BUCKETS,
      registers,
    });
    // Zero series exist from the start, so rate() and dashboards see them before the first event.
    for (const origin of ['client', 'server', 'remote']) this.updates.inc({ origin }, 0);
    for (const reason of REFUSAL_REASONS) this.refusedWrites.inc({ reason }, 0);
    for (const outcome of ['ok', 'failed']) this.clusterJobs.inc({ outcome }, 0);
  }

  private readonly nodeMetrics: boolean;

  /** Counts one refused record; an unknown reason is counted as `other`, never as a new label. */
  refused(reason: string): void {
    this.refusedWrites.inc({ reason: REFUSAL_REASONS.has(reason) ? reason : 'other' });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The text exposition: this server's series, then Node's process series. */
  async text(): Promise<string> {
    const own = await this.registry.metrics();
    return this.nodeMetrics ? `${own}\n${await nodeProcessRegistry().metrics()}` : own;
  }
}
