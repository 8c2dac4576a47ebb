/**
 * Wraps the clustering worker pool (cluster/pool.ts) where server.ts creates it: jobs running,
 * finished by outcome, and how long each took, queueing included. The pool and the jobs code
 * stay unaware of metrics.
 */
import type { ClusterPool } from '../cluster/pool.ts';
import type { Metrics } from './Metrics.ts';

export function instrumentClusterPool(pool: ClusterPool, metrics: Metrics): ClusterPool {
  return {
    async run(notes, opts, onProgress) {
      metrics.clusterJobsRunning.inc();
      const end = metrics.clusterJobSeconds.startTimer();
      try {
        const result = await pool.run(notes, opts, onProgress);
        metrics.clusterJobs.inc({ outcome: 'ok' });
        return result;
      } catch (err) {
        metrics.clusterJobs.inc({ outcome: 'failed' });
        throw err;
      } finally {
        end();
        metrics.clusterJobsRunning.dec();
      }
    },
    close: () => pool.close(),
  };
}
