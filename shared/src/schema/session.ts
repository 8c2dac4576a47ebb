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
