import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ErrorCode, MaillageError, addDomain, addNote, type BoardId } from '@maillage/shared';
import { ClusterJobs } from './ClusterJobs.ts';

/** A wall with two notes, so the job reaches the pool. */
function wall(): Y.Doc {
  const doc = new Y.Doc();
  const d = addDomain(doc, { title: { fr: 'Emploi', en: 'Employment' } });
  addNote(doc, { text: 'Ateliers de CV', author: 'A', domainId: d, org: 'Org A' });
  addNote(doc, { text: 'Aide à la recherche d’emploi', author: 'B', domainId: d, org: 'Org B' });
  return doc;
}

function jobsWith(run: () => Promise<never>) {
  const emitted: [string, Record<string, unknown>][] = [];
  const logged: unknown[] = [];
  const doc = wall();
  const jobs = new ClusterJobs(
    { run } as never,
    { requireBoard: async () => ({}), withDoc: async (_id: string, fn: (d: Y.Doc) => unknown) => fn(doc) } as never,
    { get: async () => ({ glossary: [], rejectedClusters: [] }), update: async () => undefined } as never,
    { info: () => {}, warn: () => {}, error: (...a: unknown[]) => logged.push(a) } as never,
  );
  jobs.attach({ to: () => ({ emit: (e: string, body: Record<string, unknown>) => emitted.push([e, body]) }) } as never);
  return { jobs, emitted, logged };
}

describe('clustering job failures (R205)', () => {
  it('a crash in the engine reaches hosts as the code "internal" (translated by the client), and is logged', async () => {
    const { jobs, emitted, logged } = jobsWith(async () => {
      throw new TypeError('worker exploded');
    });
    const job = await jobs.start('w1' as BoardId);
    await expect(job.done).rejects.toMatchObject({ code: ErrorCode.Internal });
    const errors = emitted.filter(([e]) => e === 'cluster:error').map(([, b]) => b);
    expect(errors).toEqual([{ jobId: job.jobId, code: 'internal', message: 'clustering failed' }]);
    expect(logged).toHaveLength(1);
  });

  it('a typed refusal keeps its own code', async () => {
    const { jobs, emitted } = jobsWith(async () => {
      throw new MaillageError(ErrorCode.RateLimited, 'too many jobs');
    });
    const job = await jobs.start('w1' as BoardId);
    await expect(job.done).rejects.toBeInstanceOf(MaillageError);
    expect(emitted.find(([e]) => e === 'cluster:error')?.[1]).toMatchObject({ code: 'rate_limited', message: 'too many jobs' });
  });
});
