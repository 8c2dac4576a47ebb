/**
 * Session settings: state the server holds about a live session (not document content), kept in
 * the wall's record so a reconnect or a restart restores it. Changed only by hosts, over socket.io.
 */
import { z } from 'zod';
import { LIMITS } from './limits.ts';
import { NoteInputSchema } from './records.ts';

export const PrivateNoteSchema = NoteInputSchema.extend({
  id: z.string().min(1).max(64),
  ownerId: z.string().min(1).max(64),
  createdAt: z.number().int().nonnegative(),
});
export type PrivateNote = z.infer<typeof PrivateNoteSchema>;

export const VoteSchema = z.object({
  id: z.string(),
  open: z.boolean(),
  dotsPerParticipant: z.number().int().min(1).max(20),
  /** ownerId → note ids (a note may appear several times: several dots on it). */
  ballots: z.record(z.string(), z.array(z.string()).max(20)),
});
export type Vote = z.infer<typeof VoteSchema>;

/** A cluster suggested by the clustering job (an overlay until a host accepts it). */
export const SuggestedClusterSchema = z.object({
  id: z.string(),
  label: z.string(),
  noteIds: z.array(z.string()),
  score: z.number(),
  terms: z.array(z.string()),
  orgCount: z.number().int(),
  domainCount: z.number().int(),
});
export type SuggestedCluster = z.infer<typeof SuggestedClusterSchema>;

export const ClusterSuggestionsSchema = z.object({
  jobId: z.string(),
  ranAt: z.number(),
  noteCount: z.number().int(),
  clusters: z.array(SuggestedClusterSchema),
  duplicates: z.array(z.object({ noteIds: z.tuple([z.string(), z.string()]), score: z.number() })),
  threshold: z.number(),
});
export type ClusterSuggestions = z.infer<typeof ClusterSuggestionsSchema>;

/** A host's own vocabulary for the clustering glossary: terms that mean the same thing. */
export const HostGlossaryEntrySchema = z.object({
  fr: z.array(z.string().trim().min(1).max(60)).max(10),
  en: z.array(z.string().trim().min(1).max(60)).max(10),
});
export type HostGlossaryEntry = z.infer<typeof HostGlossaryEntrySchema>;

export const SessionSettingsSchema = z.object({
  locked: z.boolean().default(false),
  privateWriting: z.boolean().default(false),
  /** Countdown end as a server timestamp (ms), or null when no timer runs. */
  timerEndsAt: z.number().nullable().default(null),
  timerDurationMs: z.number().int().nonnegative().default(0),
  follow: z.boolean().default(false),
  vote: VoteSchema.nullable().default(null),
  /** Whether the review link may see emails and download exports. */
  reviewShowsEmails: z.boolean().default(false),
  privateNotes: z.array(PrivateNoteSchema).max(LIMITS.notesPerBoard).default([]),
  /** Latest clustering result (suggestions for hosts), without the ones the hosts rejected. */
  suggestions: ClusterSuggestionsSchema.nullable().default(null),
  /** Suggested clusters the hosts rejected (ids are stable for the same grouping). */
  rejectedClusters: z.array(z.string()).max(5000).default([]),
  glossary: z.array(HostGlossaryEntrySchema).max(200).default([]),
});
export type SessionSettings = z.infer<typeof SessionSettingsSchema>;

/** Reads stored settings leniently: unknown or invalid fields fall back to their defaults. */
export function readSettings(raw: unknown): SessionSettings {
  const parsed = SessionSettingsSchema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const out = SessionSettingsSchema.parse({});
  for (const [k, v] of Object.entries((raw as Record<string, unknown>) ?? {})) {
    const field = SessionSettingsSchema.shape[k as keyof SessionSettings];
    if (field?.safeParse(v).success) (out as Record<string, unknown>)[k] = field.parse(v);
  }
  return out;
}

/** Vote counts per note, as everyone may see them (ballots themselves stay on the server). */
export function voteCounts(vote: Vote | null): Record<string, number> {
  const counts: Record<string, number> = {};
  if (!vote) return counts;
  for (const ids of Object.values(vote.ballots)) for (const id of ids) counts[id] = (counts[id] ?? 0) + 1;
  return counts;
}
