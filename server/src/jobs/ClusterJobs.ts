/**
 * Clustering jobs: reads a wall's notes, runs the engine in the worker pool (the event loop never
 * stalls), pushes progress and the result to the wall's hosts over socket.io, and keeps the
 * latest suggestions with the wall's session settings. One job per wall at a time: asking again
 * while one runs returns the running job.
 */
import {
  ErrorCode,
  MaillageError,
  listClusters,
  randomToken,
  readNotes,
  type BoardId,
  type ClusterSuggestions,
} from '@maillage/shared';
import type { ClusterPool } from '../cluster/pool.ts';
import type { ClusterResult } from '../cluster/types.ts';
import type { BoardService } from '../boards/BoardService.ts';
import type { SessionService } from '../session/SessionService.ts';
import { hostsRoom } from '../session/SessionService.ts';
import type { SessionIo } from '../session/SessionServer.ts';
import { logReadProblems } from '../boards/readProblems.ts';
import { errorFields, type Logger } from '../logger.ts';

export class ClusterJobs {
  private readonly running = new Map<string, { jobId: string; done: Promise<ClusterSuggestions> }>();
  private io: SessionIo | null = null;

  constructor(
    private readonly pool: Pick<ClusterPool, 'run'>,
    private readonly boards: BoardService,
    private readonly sessions: SessionService,
    private readonly log: Logger,
  ) {}

  attach(io: SessionIo): void {
    this.io = io;
  }

  /** Starts (or joins) the job for a wall. @throws MaillageError not_found. */
  async start(boardId: BoardId): Promise<{ jobId: string; done: Promise<ClusterSuggestions> }> {
    const existing = this.running.get(boardId);
    if (existing) return existing;
    await this.boards.requireBoard(boardId);
    const jobId = randomToken(10);
    const done = this.run(boardId, jobId).finally(() => this.running.delete(boardId));
    // Callers that only start the job must not see an unhandled rejection; errors are pushed.
    done.catch(() => undefined);
    const job = { jobId, done };
    this.running.set(boardId, job);
    return job;
  }

  isRunning(boardId: string): boolean {
    return this.running.has(boardId);
  }

  private async run(boardId: BoardId, jobId: string): Promise<ClusterSuggestions> {
    const to = () => this.io?.to(hostsRoom(boardId));
    try {
      const settings = await this.sessions.get(boardId);
      // The notes the wall shows (lenient reader): a bad record is logged and left out (R58).
      const { notes, taught } = await this.boards.withDoc(boardId, (doc) => {
        const read = readNotes(doc);
        logReadProblems(this.log, boardId, read.problems, 'clustering');
        return {
          notes: read.notes.map((n) => ({ id: n.id, text: n.text, org: n.org, domainId: n.domainId, author: n.author })),
          // The groups hosts accepted (and renamed or merged) teach the run word pairs (learn.ts).
          taught: listClusters(doc).map((c) => ({ noteIds: c.noteIds })),
        };
      });
      const glossary = settings.glossary.map((e) => ({ fr: e.fr, en: e.en }));
      const started = performance.now();
      const opts = { ...(glossary.length ? { glossary } : {}), ...(taught.length ? { taught } : {}) };
      const result: ClusterResult = notes.length >= 2
        ? await this.pool.run(notes, opts, (p) => {
            // Called from the pool's message handler: a throw here must not escape it (R60).
            try {
              to()?.emit('cluster:progress', { jobId, phase: p.phase, fraction: p.fraction });
            } catch (err) {
              this.log.warn({ board: boardId, job: jobId, ...errorFields(err) }, 'cluster progress not sent');
            }
          })
        : { clusters: [], unclustered: notes.map((n) => n.id), duplicates: [], duplicateCount: 0, threshold: { value: 0, method: 'auto' } };
      const rejected = new Set(settings.rejectedClusters);
      const suggestions: ClusterSuggestions = {
        jobId,
        ranAt: Date.now(),
        noteCount: notes.length,
        clusters: result.clusters
          .filter((c) => !rejected.has(c.id))
          .map((c) => ({ id: c.id, label: c.label, noteIds: c.noteIds, score: c.score, terms: c.terms, orgCount: c.orgCount, domainCount: c.domainCount, evidence: c.evidence })),
        duplicates: result.duplicates.map((d) => ({ noteIds: d.noteIds, score: d.score })),
        duplicateCount: result.duplicateCount,
        threshold: result.threshold.value,
      };
      await this.sessions.update(boardId, (s) => void (s.suggestions = suggestions));
      this.log.info({ board: boardId, job: jobId, notes: notes.length, clusters: suggestions.clusters.length, ms: Math.round(performance.now() - started) }, 'clustering done');
      to()?.emit('cluster:progress', { jobId, phase: 'done', fraction: 1 });
      to()?.emit('cluster:result', suggestions);
      return suggestions;
    } catch (err) {
      const message = err instanceof MaillageError ? err.message : 'clustering failed';
      if (!(err instanceof MaillageError)) this.log.error({ ...errorFields(err), board: boardId, job: jobId }, 'clustering failed');
      try {
        to()?.emit('cluster:error', { jobId, code: err instanceof MaillageError ? err.code : ErrorCode.Internal, message });
      } catch {
        /* the error is logged above; the caller gets it too */
      }
      throw err instanceof MaillageError ? err : new MaillageError(ErrorCode.Internal, message);
    }
  }

  /** Forgets a suggestion and remembers not to offer the same grouping again. */
  async reject(boardId: BoardId, clusterId: string): Promise<void> {
    const next = await this.sessions.update(boardId, (s) => {
      if (!s.rejectedClusters.includes(clusterId)) s.rejectedClusters.push(clusterId);
      if (s.suggestions) s.suggestions = { ...s.suggestions, clusters: s.suggestions.clusters.filter((c) => c.id !== clusterId) };
      return s.suggestions;
    });
    if (next) this.io?.to(hostsRoom(boardId)).emit('cluster:result', next);
  }
}
