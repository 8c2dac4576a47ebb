/**
 * Worker-thread entry for the cluster pool (pool.ts): runs {@link clusterNotes} off the server's
 * event loop and forwards progress over the MessagePort the task carries.
 */
import type { MessagePort } from 'node:worker_threads';
import { clusterNotes } from './clusterNotes.ts';
import { loadDictionary } from './dictionary.ts';
import type { ClusterNote, ClusterOptions, ClusterResult } from './types.ts';

// The spelling guard's word lists take a few hundred ms to load: once per worker thread, when it
// starts, not inside the first request's time.
loadDictionary();

/** What the pool sends: plain, structured-clonable data (functions cannot cross threads). */
export interface ClusterTask {
  notes: ClusterNote[];
  opts: Omit<ClusterOptions, 'onProgress'>;
  /** Where to post {@link ClusterProgress} messages, if the caller wants them. */
  port?: MessagePort;
}

/** Piscina calls the default export once per task. */
export default function runClusterTask(task: ClusterTask): ClusterResult {
  const { port } = task;
  try {
    return clusterNotes(task.notes, { ...task.opts, ...(port ? { onProgress: (p) => port.postMessage(p) } : {}) });
  } finally {
    port?.close();
  }
}
