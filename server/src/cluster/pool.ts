/**
 * A pool of worker threads for clustering, so that a 5,000-note wall (a second or two of CPU)
 * never stalls the sockets of every other wall served by the same process.
 *
 * The worker is TypeScript (worker.ts). The server runs under `node --import tsx` and tests under
 * vitest; neither passes its TypeScript loader to worker threads, so each worker is started with
 * `--import <tsx>` itself, resolved to an absolute URL so it works from any working directory.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { mergeGlossary } from './glossary.ts';
import type { ClusterNote, ClusterOptions, ClusterProgress, ClusterResult } from './types.ts';
import { validateInput } from './validate.ts';
import type { ClusterTask } from './worker.ts';

/** Options of {@link createClusterPool}. */
export interface ClusterPoolOptions {
  /** Worker threads, default: one less than the cores (at least one). */
  maxThreads?: number;
  /** Milliseconds an idle worker is kept before it exits (default 60 s). */
  idleTimeout?: number;
}

/** A running pool. */
export interface ClusterPool {
  /**
   * Clusters notes in a worker. Input is validated on the calling thread first, so malformed
   * input rejects with a ClusterInputError, as {@link clusterNotes} would throw it.
   *
   * @param onProgress called on the calling thread as each phase starts (overrides
   *   `opts.onProgress`).
   */
  run(notes: readonly ClusterNote[], opts?: ClusterOptions, onProgress?: (p: ClusterProgress) => void): Promise<ClusterResult>;
  /** Waits for running tasks, then stops the workers. */
  close(): Promise<void>;
}

/**
 * Compiled for production (server/build.mjs: this code in server/dist/*.js, worker.js beside it),
 * the worker is plain JavaScript and needs no loader; tsx is then not even installed.
 */
const compiled = import.meta.url.endsWith('.js');
const workerThread = compiled
  ? { filename: new URL('./worker.js', import.meta.url).href, execArgv: [] }
  : { filename: new URL('./worker.ts', import.meta.url).href, execArgv: ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] };

/** Starts a pool; workers are created on demand. */
export function createClusterPool(options: ClusterPoolOptions = {}): ClusterPool {
  const piscina = new Piscina({
    ...workerThread,
    minThreads: 0,
    maxThreads: options.maxThreads ?? Math.max(1, availableParallelism() - 1),
    idleTimeout: options.idleTimeout ?? 60_000,
  });
  return {
    async run(notes, opts = {}, onProgress) {
      const { onProgress: inline, ...rest } = opts;
      validateInput(notes, rest);
      if (rest.glossary || rest.replaceGlossary) mergeGlossary(rest.glossary, rest.replaceGlossary);
      const report = onProgress ?? inline;
      const task: ClusterTask = { notes: [...notes], opts: rest };
      if (!report) return (await piscina.run(task)) as ClusterResult;
      const { port1, port2 } = new MessageChannel();
      port1.on('message', (p: ClusterProgress) => report(p));
      try {
        return (await piscina.run({ ...task, port: port2 }, { transferList: [port2] })) as ClusterResult;
      } finally {
        port1.close();
      }
    },
    close: () => piscina.close(),
  };
}
