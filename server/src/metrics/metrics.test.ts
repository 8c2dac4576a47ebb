import { describe, expect, it } from 'vitest';
import type { BoardStore } from '../store/index.ts';
import type { ClusterPool } from '../cluster/pool.ts';
import { Metrics } from './Metrics.ts';
import { instrumentStore } from './storeMetrics.ts';
import { instrumentClusterPool } from './clusterMetrics.ts';

/** Histograms name each value (`…_count`, `…_bucket`); prom-client's type leaves it out. */
const metricName = (v: object): string | undefined => (v as { metricName?: string }).metricName;

/** The value of one series in this server's registry (no Node process metrics). */
async function value(metrics: Metrics, name: string, labels: Record<string, string> = {}): Promise<number> {
  const m = await metrics.registry.getSingleMetric(name)?.get();
  return (m?.values ?? [])
    .filter((v) => metricName(v) === undefined || metricName(v) === name)
    .filter((v) => Object.entries(labels).every(([k, x]) => (v.labels as Record<string, unknown>)[k] === x))
    .reduce((s, v) => s + v.value, 0);
}

class FakeStore {
  readonly kind = 'sqlite' as const;
  calls = 0;
  async appendUpdates(): Promise<number> {
    this.calls++;
    return this.calls;
  }
  async getBoard(): Promise<null> {
    throw new Error('disk says no');
  }
}

describe('metrics (R165, R166)', () => {
  it('R165: a wrapped store times appends and counts failures by operation, with the store itself as `this`', async () => {
    const metrics = new Metrics({ nodeMetrics: false });
    const raw = new FakeStore();
    const store = instrumentStore(raw as unknown as BoardStore, metrics);
    expect(await store.appendUpdates('b' as never, [])).toBe(1);
    expect(await store.appendUpdates('b' as never, [])).toBe(2);
    await expect(store.getBoard('b' as never)).rejects.toThrow('disk says no');
    expect(raw.calls).toBe(2);
    expect(store.kind).toBe('sqlite');
    const flush = await metrics.registry.getSingleMetric('maillage_flush_duration_seconds')!.get();
    expect(flush.values.find((v) => metricName(v) === 'maillage_flush_duration_seconds_count')?.value).toBe(2);
    expect(await value(metrics, 'maillage_store_errors_total', { operation: 'getBoard' })).toBe(1);
    expect(await value(metrics, 'maillage_store_errors_total', { operation: 'appendUpdates' })).toBe(0);
  });

  it('R165: a wrapped pool counts jobs by outcome and leaves none running', async () => {
    const metrics = new Metrics({ nodeMetrics: false });
    let fail = false;
    const pool = instrumentClusterPool(
      {
        run: async () => {
          if (fail) throw new Error('worker died');
          return { clusters: [] } as never;
        },
        close: async () => undefined,
      } satisfies ClusterPool,
      metrics,
    );
    await pool.run([]);
    fail = true;
    await expect(pool.run([])).rejects.toThrow('worker died');
    expect(await value(metrics, 'maillage_cluster_jobs_total', { outcome: 'ok' })).toBe(1);
    expect(await value(metrics, 'maillage_cluster_jobs_total', { outcome: 'failed' })).toBe(1);
    expect(await value(metrics, 'maillage_cluster_jobs_running')).toBe(0);
  });

  it('R166: an unknown refusal reason is counted as `other`, never as a new label value', async () => {
    const metrics = new Metrics({ nodeMetrics: false });
    metrics.refused('read_only');
    metrics.refused('<script>some wall id</script>');
    expect(await value(metrics, 'maillage_refused_writes_total', { reason: 'read_only' })).toBe(1);
    expect(await value(metrics, 'maillage_refused_writes_total', { reason: 'other' })).toBe(1);
    expect(await metrics.text()).not.toContain('script');
  });

  it('R165: walls by size are cumulative and the busiest wall is the largest', async () => {
    const metrics = new Metrics({ nodeMetrics: false });
    const room = (n: number) => ({ connections: Array.from({ length: n }, () => 'participant' as const) });
    metrics.sources.rooms = () => [room(0), room(3), room(60), room(1200)];
    expect(await value(metrics, 'maillage_rooms_loaded')).toBe(4);
    expect(await value(metrics, 'maillage_rooms_by_connections', { le: '0' })).toBe(1);
    expect(await value(metrics, 'maillage_rooms_by_connections', { le: '10' })).toBe(2);
    expect(await value(metrics, 'maillage_rooms_by_connections', { le: '100' })).toBe(3);
    expect(await value(metrics, 'maillage_rooms_by_connections', { le: '1000' })).toBe(3);
    expect(await value(metrics, 'maillage_rooms_by_connections', { le: '+Inf' })).toBe(4);
    expect(await value(metrics, 'maillage_room_connections_max')).toBe(1200);
    expect(await value(metrics, 'maillage_sync_connections', { role: 'participant' })).toBe(1263);
  });
});
