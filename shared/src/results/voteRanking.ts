/**
 * Vote results as a ranked list: what the host panel shows, what the projector shows and what the
 * PDF report prints. One function so that every place ranks the same notes in the same order
 * (docs/spec.md R122): two screens showing "3rd" for different notes would be worse than none.
 *
 * Ranking is by votes, most first. Ties keep a shared rank ("1, 2, 2, 4": standard competition
 * ranking, so a reader sees that two notes are level) and are ordered deterministically by the
 * domain's display order, then the note's creation time, then its id — the same order the wall
 * and the exports use, so the list never reshuffles between two renders of the same counts.
 */
import type { Domain, Note } from '../schema/records.ts';
import { compareCodeUnits } from '../ids/index.ts';

type LocalizedTitle = Domain['title'];

/** One row of the ranking. Plain data: safe to serialise into a report. */
export interface VoteRankingRow {
  /** 1-based; notes with equal votes share a rank and the next rank skips (1, 2, 2, 4). */
  rank: number;
  noteId: string;
  text: string;
  author: string;
  /** The note's organization ('' when not given). */
  org: string;
  domainId: string;
  /** The domain's title in both languages, or null when the note's domain is gone. */
  domainTitle: LocalizedTitle | null;
  votes: number;
}

export interface VoteRankingOptions {
  /** Keep notes nobody voted for (ranked last, all level). Default false. */
  includeUnvoted?: boolean;
  /** At most this many rows (ties at the cut are cut too: the list never grows past `limit`). */
  limit?: number;
}

/**
 * Ranks `notes` by their vote counts (`voteCounts(settings.vote)` gives them).
 * Counts that are not positive finite integers count as 0; counts for notes not in `notes` are
 * ignored. Pure: never throws on the inputs' content.
 */
export function rankByVotes(
  notes: readonly Note[],
  counts: Readonly<Record<string, number>>,
  domains: readonly Domain[] = [],
  options: VoteRankingOptions = {},
): VoteRankingRow[] {
  const domainOrder = new Map<string, number>();
  const domainTitle = new Map<string, LocalizedTitle>();
  // Display order of domains: by `order`, then id (the wall sorts them the same way).
  [...domains]
    .sort((a, b) => a.order - b.order || compareCodeUnits(a.id, b.id))
    .forEach((d, i) => {
      domainOrder.set(d.id, i);
      domainTitle.set(d.id, d.title);
    });

  const rows = notes
    .map((n) => ({ note: n, votes: safeCount(counts[n.id]) }))
    .filter((r) => options.includeUnvoted || r.votes > 0);

  rows.sort(
    (a, b) =>
      b.votes - a.votes ||
      (domainOrder.get(a.note.domainId) ?? Infinity) - (domainOrder.get(b.note.domainId) ?? Infinity) ||
      compareCodeUnits(a.note.domainId, b.note.domainId) ||
      a.note.createdAt - b.note.createdAt ||
      compareCodeUnits(a.note.id, b.note.id),
  );

  const limit = options.limit === undefined ? rows.length : Math.max(0, Math.floor(options.limit));
  const out: VoteRankingRow[] = [];
  for (let i = 0; i < rows.length && out.length < limit; i++) {
    const { note, votes } = rows[i] as (typeof rows)[number];
    const prev = out[out.length - 1];
    out.push({
      rank: prev && prev.votes === votes ? prev.rank : i + 1,
      noteId: note.id,
      text: note.text,
      author: note.author,
      org: note.org,
      domainId: note.domainId,
      domainTitle: domainTitle.get(note.domainId) ?? null,
      votes,
    });
  }
  return out;
}

function safeCount(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : 0;
}

