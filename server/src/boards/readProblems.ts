/**
 * Logs the records the lenient reader (`readWall`, shared/src/schema/read.ts) had to leave out of
 * a wall, so that a bad record is visible to operators instead of silently turning into
 * "0 notes" or a 500. Each line names only the wall, the root, the key and a fixed reason —
 * never content (docs/spec.md R47, R58).
 *
 * The same bad record is read by every export, summary and snapshot of its wall, so each one is
 * logged at most once per `REPEAT_MS` per process; the memory of what was logged is bounded.
 */
import type { BoardId, ReadProblem } from '@maillage/shared';
import type { Logger } from '../logger.ts';

const REPEAT_MS = 10 * 60_000;
const MAX_REMEMBERED = 10_000;
/** Lines per call; the rest is summed up in one line. */
const MAX_LINES = 20;

const lastLogged = new Map<string, number>();

/**
 * @param where what was reading the wall ('export', 'summary', 'snapshot', 'clustering', …).
 */
export function logReadProblems(log: Logger, board: BoardId | string, problems: readonly ReadProblem[], where: string, now = Date.now()): void {
  if (!problems.length) return;
  let lines = 0;
  let suppressed = 0;
  for (const p of problems) {
    const id = `${board}\u0000${p.root}\u0000${p.key}\u0000${p.reason}`;
    const last = lastLogged.get(id);
    if (last !== undefined && now - last < REPEAT_MS) continue;
    if (lines >= MAX_LINES) {
      suppressed++;
      continue;
    }
    if (lastLogged.size >= MAX_REMEMBERED) lastLogged.clear();
    lastLogged.set(id, now);
    lines++;
    // `record`, not `key`: the logger redacts every field named key (access keys).
    log.warn({ board, root: p.root, record: p.key, reason: p.reason, where }, 'skipped an unusable record');
  }
  if (suppressed) log.warn({ board, where, more: suppressed }, 'more unusable records skipped');
}
