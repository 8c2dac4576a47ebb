/**
 * Worker-thread entry for the cluster pool (pool.ts): runs the engine off the server's event loop.
 * Two kinds of task: a clustering run ({@link clusterNotes}, progress forwarded over the
 * MessagePort the task carries) and the word pairs a wall's groups teach ({@link learnedPairs},
 * which the vocabulary route asks for after every change of a wall with groups).
 */
import type { MessagePort } from 'node:worker_threads';
import { clusterNotes, learnedPairs } from './clusterNotes.ts';
import { loadDictionary } from './dictionary.ts';
import type { TaughtGroup } from './learn.ts';
import type { ClusterNote, ClusterOptions, ClusterResult, GlossaryEntryInput } from './types.ts';

// The spelling guard's word lists take a few hundred ms to load: once per worker thread, when it
// starts, not inside the first request's time.
loadDictionary();

/** What the pool sends for a run: plain, structured-clonable data (functions cannot cross threads). */
export interface ClusterTask {
  kind: 'cluster';
  notes: ClusterNote[];
  opts: Omit<ClusterOptions, 'onProgress'>;
  /** Where to post {@link ClusterProgress} messages, if the caller wants them. */
  port?: MessagePort;
}

/** What the pool sends for the pairs a wall's accepted groups teach (R256). */
export interface LearnedPairsTask {
  kind: 'learnedPairs';
  notes: ClusterNote[];
  taught: TaughtGroup[];
  /** The wall's host glossary entries, if it has any. */
  glossary?: GlossaryEntryInput[];
}

export type WorkerTask = ClusterTask | LearnedPairsTask;

/** What each kind of task answers. */
export interface WorkerResults {
  cluster: ClusterResult;
  learnedPairs: GlossaryEntryInput[];
}

/** Piscina calls the default export once per task. */
export default function runWorkerTask(task: WorkerTask): WorkerResults[WorkerTask['kind']] {
  switch (task.kind) {
    case 'cluster': {
      const { port } = task;
      try {
        return clusterNotes(task.notes, { ...task.opts, ...(port ? { onProgress: (p) => port.postMessage(p) } : {}) });
      } finally {
        port?.close();
      }
    }
    case 'learnedPairs':
      return learnedPairs(task.notes, task.taught, task.glossary);
    default: {
      const unknown: never = task;
      throw new Error(`unknown worker task ${JSON.stringify((unknown as { kind?: unknown }).kind)}`);
    }
  }
}
