/**
 * A pool of worker threads for clustering, so that a 5,000-note wall (a second or two of CPU)
 * never stalls the sockets of every other wall served by the same process. The same threads derive
 * the word pairs a wall's groups teach (R256) for the vocabulary route: ≈ 0.1 s per 1,000 notes,
 * asked after every change of a wall with groups, by every participant's filter bar.
 *
 * The worker is TypeScript (worker.ts). The server runs under `node --import tsx` and tests under
 * vitest; neither passes its TypeScript loader to worker threads, so each worker is started with
 * `--import <tsx>` itself, resolved to an absolute URL so it works from any working directory.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { MessageChannel, type Transferable } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { ErrorCode, MaillageError } from '@maillage/shared';
import { mergeGlossary } from './glossary.ts';
import type { TaughtGroup } from './learn.ts';
import type { ClusterNote, ClusterOptions, ClusterProgress, ClusterResult, GlossaryEntryInput } from './types.ts';
import { validateInput } from './validate.ts';
import type { ClusterTask, WorkerResults, WorkerTask } from './worker.ts';

/** Options of {@link createClusterPool}. */
export interface ClusterPoolOptions {
  /** Worker threads, default: one less than the cores (at least one). */
  maxThreads?: number;
  /** Milliseconds an idle worker is kept before it exits (default 60 s). */
  idleTimeout?: number;
  /** Cap of each worker's old generation, MB (default {@link WORKER_HEAP_MB}). */
  maxOldGenerationMb?: number;
}

/**
 * Each worker's old generation is capped (R254). Uncapped, V8 collects lazily and a process that
 * clusters a 5,000-note wall five times grew to 400 MB resident on a busy machine; capped, it stays
 * near 250 MB for the same work. 20,000 notes, the most the engine accepts (validate.ts), run in a
 * 192 MB cap, so 256 leaves room; a wall that still does not fit fails its job with
 * `payload_too_large` and the pool replaces the worker.
 */
export const WORKER_HEAP_MB = 256;

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

/** The pool's second kind of task, beside {@link ClusterPool.run}. */
export interface LearnedPairsPool {
  /**
   * The word pairs a wall's accepted groups teach (R256), exactly as `learnedPairs`
   * (clusterNotes.ts) returns them, derived in a worker. No groups answer `[]` at once, without a
   * worker. Input is validated on the calling thread first, as for `run`.
   *
   * @throws ClusterInputError on malformed notes, groups or glossary entries; MaillageError
   *   `payload_too_large` when the wall does not fit in a worker's memory cap.
   */
  learnedPairs(notes: readonly ClusterNote[], taught: readonly TaughtGroup[], glossary?: readonly GlossaryEntryInput[]): Promise<GlossaryEntryInput[]>;
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
export function createClusterPool(options: ClusterPoolOptions = {}): ClusterPool & LearnedPairsPool {
  const piscina = new Piscina({
    ...workerThread,
    minThreads: 0,
    maxThreads: options.maxThreads ?? Math.max(1, availableParallelism() - 1),
    idleTimeout: options.idleTimeout ?? 60_000,
    resourceLimits: { maxOldGenerationSizeMb: options.maxOldGenerationMb ?? WORKER_HEAP_MB },
  });
  const runTask = async <K extends WorkerTask['kind']>(task: WorkerTask & { kind: K }, transferList?: Transferable[]): Promise<WorkerResults[K]> => {
    try {
      return (await piscina.run(task, transferList ? { transferList } : {})) as WorkerResults[K];
    } catch (err) {
      if ((err as { code?: unknown })?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        throw new MaillageError(ErrorCode.PayloadTooLarge, 'the wall is too large to cluster within the memory allowed to a worker');
      }
      throw err;
    }
  };
  return {
    async run(notes, opts = {}, onProgress) {
      const { onProgress: inline, ...rest } = opts;
      validateInput(notes, rest);
      if (rest.glossary || rest.replaceGlossary) mergeGlossary(rest.glossary, rest.replaceGlossary);
      const report = onProgress ?? inline;
      const task: ClusterTask = { kind: 'cluster', notes: [...notes], opts: rest };
      if (!report) return runTask(task);
      const { port1, port2 } = new MessageChannel();
      port1.on('message', (p: ClusterProgress) => report(p));
      try {
        return await runTask({ ...task, port: port2 }, [port2]);
      } finally {
        port1.close();
      }
    },
    async learnedPairs(notes, taught, glossary) {
      if (taught.length === 0) return [];
      const hostEntries = glossary ? [...glossary] : undefined;
      // The fields the engine reads, checked: what crosses to the worker is no more than that.
      const valid = validateInput(notes, { taught, ...(hostEntries ? { glossary: hostEntries } : {}) });
      if (hostEntries?.length) mergeGlossary(hostEntries);
      const taughtGroups = taught.map((g) => ({ noteIds: [...g.noteIds] }));
      return runTask({ kind: 'learnedPairs', notes: valid, taught: taughtGroups, ...(hostEntries ? { glossary: hostEntries } : {}) });
    },
    close: () => piscina.close(),
  };
}
