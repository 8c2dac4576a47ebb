/**
 * Session settings: state the server holds about a live session (not document content), kept in
 * the wall's record so a reconnect or a restart restores it. Changed only by hosts, over socket.io.
 */
import { z } from 'zod';
import { LIMITS } from './limits.ts';
import { NoteInputSchema } from './records.ts';
import { compareCodeUnits } from '../ids/index.ts';

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
  /**
   * Why the notes were grouped (issue 18, optional: older suggestions lack it): words and glossary
   * concepts at least two members share, with how many hold each; the main concept; and `weak`
   * when a single shared word holds the group (such suggestions come last).
   */
  evidence: z
    .object({
      shared: z.array(z.object({ term: z.string(), notes: z.number().int(), concept: z.string().optional() })).max(20),
      concept: z.string().optional(),
      weak: z.boolean(),
    })
    .optional(),
});
export type SuggestedCluster = z.infer<typeof SuggestedClusterSchema>;

export const ClusterSuggestionsSchema = z.object({
  jobId: z.string(),
  ranAt: z.number(),
  noteCount: z.number().int(),
  clusters: z.array(SuggestedClusterSchema),
  duplicates: z.array(z.object({ noteIds: z.tuple([z.string(), z.string()]), score: z.number() })),
  /** Pairs found in all; `duplicates` holds the closest 100 (R258). Absent in suggestions saved before. */
  duplicateCount: z.number().int().nonnegative().optional(),
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
  /** Days after the session ended that contact details are erased; 0 = until the wall is deleted (R88). */
  contactRetentionDays: z.number().int().min(0).max(3650).default(30),
  /** When a host ended the session (ms), or null; the retention period counts from here. */
  sessionEndedAt: z.number().nullable().default(null),
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

/**
 * Session state is stored one record per row (`session_records`), never as one blob rewritten on
 * every change (docs/data-model.md, "Session records"; docs/spec.md R52). A change writes the one
 * row it concerns, and pushes carry that change only.
 */
export const SessionRecordKind = {
  /** One row per flag: `locked`, `privateWriting`, `timer`, `follow`, `reviewShowsEmails`, `vote`. */
  Setting: 'setting',
  /** One row per voter (owner id): the note ids they put dots on. */
  Ballot: 'ballot',
  /** One row per private note (key = note id, owner = its author). */
  Private: 'private',
  /** One row per write refused while the wall was locked, posted when it reopens (R57). */
  Held: 'held',
  /** The latest clustering suggestions (one row). */
  Suggestions: 'suggestions',
  /** One row per rejected suggested-cluster id. */
  Rejected: 'rejected',
  /** One row per host glossary entry (key = its position). */
  Glossary: 'glossary',
} as const;
export type SessionRecordKind = (typeof SessionRecordKind)[keyof typeof SessionRecordKind];

/** One stored session record. `owner` is the owner id a per-person record belongs to, else null. */
export interface SessionRecord {
  kind: SessionRecordKind;
  key: string;
  owner: string | null;
  value: unknown;
}

/** The `setting` keys, and which settings fields each one holds. */
export const SETTING_KEYS = ['locked', 'privateWriting', 'timer', 'follow', 'reviewShowsEmails', 'vote', 'contactRetentionDays', 'sessionEndedAt'] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];

/** The vote's own row (its ballots are rows of their own). */
export const VoteMetaSchema = VoteSchema.omit({ ballots: true });

/**
 * Caps on what one wall, one person, one address or one connection may make the server hold and
 * push (R53). Per person (owner id) alone is not enough: owner ids come from device secrets the
 * client invents, so the address and the connection are counted too, and the wall as a whole.
 */
export const SESSION_LIMITS = {
  privateNotesPerWall: 500,
  privateNotesPerOwner: 50,
  /** Private notes added from one client address (limitKey) on one wall, whatever the owner ids. */
  privateNotesPerAddress: 100,
  /** Private notes one socket.io connection may add over its life, whatever owner id it joined with. */
  privateNotesPerConnection: 100,
  /** Serialized bytes of one private or held note: with the counts above, bounds every list pushed. */
  noteBytes: 4 * 1024,
  /** Writes held while the wall is locked, per wall and per person. */
  heldPerWall: 500,
  heldPerOwner: 50,
  /** Largest single push (one event's payload, serialized); a larger one is not sent (and logged). */
  pushBytes: 2 * 1024 * 1024,
} as const;

/** A write refused while the wall was locked, kept by the server until it reopens. */
export const HeldWriteSchema = z.discriminatedUnion('mode', [
  /** A new note: posted as it is (same id, same owner) when the wall is unlocked. */
  z.object({ mode: z.literal('create'), note: PrivateNoteSchema, at: z.number() }),
  /** Fields of one's own existing note: applied on unlock if the note is still there and theirs. */
  z.object({ mode: z.literal('patch'), id: z.string().min(1).max(64), ownerId: z.string().min(1).max(64), patch: z.record(z.string(), z.unknown()), at: z.number() }),
]);
export type HeldWrite = z.infer<typeof HeldWriteSchema>;

/** Splits a settings object into the records that hold it (used to migrate the old blob). */
export function recordsFromSettings(s: SessionSettings): SessionRecord[] {
  const out: SessionRecord[] = [
    { kind: 'setting', key: 'locked', owner: null, value: s.locked },
    { kind: 'setting', key: 'privateWriting', owner: null, value: s.privateWriting },
    { kind: 'setting', key: 'timer', owner: null, value: { endsAt: s.timerEndsAt, durationMs: s.timerDurationMs } },
    { kind: 'setting', key: 'follow', owner: null, value: s.follow },
    { kind: 'setting', key: 'reviewShowsEmails', owner: null, value: s.reviewShowsEmails },
    { kind: 'setting', key: 'contactRetentionDays', owner: null, value: s.contactRetentionDays },
    { kind: 'setting', key: 'sessionEndedAt', owner: null, value: s.sessionEndedAt },
  ];
  if (s.vote) {
    const { ballots, ...meta } = s.vote;
    out.push({ kind: 'setting', key: 'vote', owner: null, value: meta });
    for (const [owner, ids] of Object.entries(ballots)) out.push({ kind: 'ballot', key: owner, owner, value: ids });
  }
  for (const n of s.privateNotes) out.push({ kind: 'private', key: n.id, owner: n.ownerId, value: n });
  if (s.suggestions) out.push({ kind: 'suggestions', key: '', owner: null, value: s.suggestions });
  for (const id of s.rejectedClusters) out.push({ kind: 'rejected', key: id, owner: null, value: true });
  s.glossary.forEach((e, i) => out.push({ kind: 'glossary', key: glossaryKey(i), owner: null, value: e }));
  return out;
}

/** Glossary rows sort by position. */
export const glossaryKey = (i: number): string => String(i).padStart(4, '0');

/**
 * Reads settings from the old blob overlaid with whatever records exist (records win). A record
 * that does not parse is skipped, so the blob's (or the default) value stands: a bad row never
 * unlocks a wall or drops a vote.
 */
export function settingsFromRecords(blob: unknown, records: readonly SessionRecord[]): SessionSettings {
  const s = readSettings(blob);
  const ballots: Record<string, string[]> = {};
  let sawBallots = false;
  const privateNotes: PrivateNote[] = [];
  let sawPrivate = false;
  const rejected: string[] = [];
  const glossary: [string, HostGlossaryEntry][] = [];
  for (const r of records) {
    switch (r.kind) {
      case 'setting':
        applySetting(s, r.key, r.value);
        break;
      case 'ballot': {
        sawBallots = true;
        const ids = z.array(z.string()).max(20).safeParse(r.value);
        if (ids.success) ballots[r.key] = ids.data;
        break;
      }
      case 'private': {
        sawPrivate = true;
        const n = PrivateNoteSchema.safeParse(r.value);
        if (n.success) privateNotes.push(n.data);
        break;
      }
      case 'suggestions': {
        const v = ClusterSuggestionsSchema.safeParse(r.value);
        if (v.success) s.suggestions = v.data;
        break;
      }
      case 'rejected':
        rejected.push(r.key);
        break;
      case 'glossary': {
        const e = HostGlossaryEntrySchema.safeParse(r.value);
        if (e.success) glossary.push([r.key, e.data]);
        break;
      }
      case 'held':
        break;
    }
  }
  if (s.vote && (sawBallots || records.some((r) => r.kind === 'setting' && r.key === 'vote'))) s.vote.ballots = ballots;
  if (sawPrivate) s.privateNotes = privateNotes.sort((a, b) => a.createdAt - b.createdAt || compareCodeUnits(a.id, b.id));
  if (rejected.length) s.rejectedClusters = rejected;
  if (glossary.length) s.glossary = glossary.sort(([a], [b]) => compareCodeUnits(a, b)).map(([, e]) => e);
  return s;
}

function applySetting(s: SessionSettings, key: string, value: unknown): void {
  const bool = z.boolean().safeParse(value);
  switch (key as SettingKey) {
    case 'locked':
      if (bool.success) s.locked = bool.data;
      return;
    case 'privateWriting':
      if (bool.success) s.privateWriting = bool.data;
      return;
    case 'follow':
      if (bool.success) s.follow = bool.data;
      return;
    case 'reviewShowsEmails':
      if (bool.success) s.reviewShowsEmails = bool.data;
      return;
    case 'contactRetentionDays': {
      const d = SessionSettingsSchema.shape.contactRetentionDays.safeParse(value);
      if (d.success && value !== undefined) s.contactRetentionDays = d.data;
      return;
    }
    case 'sessionEndedAt': {
      const t = z.number().nullable().safeParse(value);
      if (t.success) s.sessionEndedAt = t.data;
      return;
    }
    case 'timer': {
      const t = z.object({ endsAt: z.number().nullable(), durationMs: z.number().int().nonnegative() }).safeParse(value);
      if (t.success) {
        s.timerEndsAt = t.data.endsAt;
        s.timerDurationMs = t.data.durationMs;
      }
      return;
    }
    case 'vote': {
      if (value === null) {
        s.vote = null;
        return;
      }
      const v = VoteMetaSchema.safeParse(value);
      if (v.success) s.vote = { ...v.data, ballots: s.vote?.id === v.data.id ? s.vote.ballots : {} };
      return;
    }
  }
}

/**
 * What readers of a wall's `settings` (permissions, exports) see: the stored blob with the
 * fields that records exist for replaced by the records' values. Private notes, held writes,
 * rejected ids and the glossary are not part of it; they are read through the session layer.
 */
export function overlaySettings(blob: Record<string, unknown>, records: readonly SessionRecord[]): Record<string, unknown> {
  if (!records.length) return blob;
  const s = settingsFromRecords(blob, records);
  const out: Record<string, unknown> = { ...blob };
  for (const r of records) {
    if (r.kind === 'setting') {
      if (r.key === 'timer') Object.assign(out, { timerEndsAt: s.timerEndsAt, timerDurationMs: s.timerDurationMs });
      else if ((SETTING_KEYS as readonly string[]).includes(r.key)) out[r.key] = s[r.key as Exclude<SettingKey, 'timer'>];
    } else if (r.kind === 'ballot') out.vote = s.vote;
    else if (r.kind === 'suggestions') out.suggestions = s.suggestions;
  }
  return out;
}
