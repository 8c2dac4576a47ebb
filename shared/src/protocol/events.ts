/**
 * socket.io event maps, compiled against by both the server (`Server<…>`) and the client
 * (`Socket<…>`). Session events live here; document state never does (that is Yjs's job).
 * Every command is acknowledged with `{ ok: true, … }` or `{ ok: false, error }`.
 */
import type { ErrorBody } from '../errors/index.ts';
import type { NoteInput, NotePatch } from '../schema/records.ts';
import type { ClusterSuggestions, HeldWrite, HostGlossaryEntry, PrivateNote } from '../schema/session.ts';
import type { SnapshotInfo } from '../schema/snapshots.ts';
import type { Contact, ContactShare } from '../schema/contacts.ts';

export type Role = 'host' | 'participant' | 'review';

/**
 * Sent with `contacts:list` (R253, second argument; older servers omit it) so a screen can say
 * why an email is missing: `all` — this viewer sees every email given (hosts), so a missing one
 * was never given; `if-shared` — it sees those who chose to share with it; `none` — the hosts do
 * not show emails to this link. Decided by the server's privacy module, like the list itself.
 */
export interface ContactListAccess {
  emails: 'all' | 'if-shared' | 'none';
}

export interface VoteState {
  id: string;
  open: boolean;
  dotsPerParticipant: number;
  /** Dots per note id. */
  counts: Record<string, number>;
}

/** What every member of a wall may know about the session, broadcast on every change. */
export interface SessionState {
  boardId: string;
  /** Number of people connected to the wall's live document. */
  participants: number;
  locked: boolean;
  privateWriting: boolean;
  /** Countdown end (server clock, ms) or null; compare with `serverNow` to correct clock skew. */
  timerEndsAt: number | null;
  timerDurationMs: number;
  serverNow: number;
  follow: boolean;
  vote: VoteState | null;
  reviewShowsEmails: boolean;
  /** How many private notes wait to be revealed (content goes only to hosts and authors). */
  privateCount: number;
  /** How many writes refused while the wall was locked wait for it to reopen (R57). */
  heldCount: number;
  /**
   * Contact details (emails) are erased this many days after the session ended; 0 = kept until
   * the wall is deleted (R88). Shown to hosts, and to participants next to the email field.
   */
  contactRetentionDays: number;
  /** When a host ended the session (server clock, ms), or null; retention counts from here. */
  sessionEndedAt: number | null;
}

/** A visible rectangle of the wall, in wall coordinates (follow-me). */
export interface ViewRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type AckResult<T> = ({ ok: true } & T) | ({ ok: false } & ErrorBody);
export type Ack<T = object> = (res: AckResult<T>) => void;

/**
 * Cursor batch entry: [presence id, x, y, name, colour] in wall coordinates; x = null means the
 * person left. Arrays rather than objects keep the per-tick batch small.
 */
export type CursorEntry = [id: string, x: number | null, y: number | null, name: string, color: string];

export interface JoinRequest {
  boardId: string;
  key?: string;
  /** Shown next to this person's cursor (never the email). */
  name?: string;
  color?: string;
  /** The device secret participants' owner ids derive from (see ownerIdFromSecret). */
  ownerSecret?: string;
}

/**
 * What the projected screens of a wall show (R192): the view, the domain or group, and the first
 * note or vote rank on screen — not a page number, because screens of different sizes page the
 * same wall differently; each screen opens its own page holding that note.
 */
export interface Spotlight {
  mode: 'wall' | 'domains' | 'groups' | 'votes';
  /** The whole wall at once (mode wall, first view). */
  overview: boolean;
  /** Domain or group id the screen shows (domains, groups). */
  section: string | null;
  /** First note on screen. */
  note: string | null;
  /** First vote rank on screen (votes), 0-based. */
  rank: number | null;
  /** Position in the sender's own list of views: the fallback when nothing else matches. */
  at: number;
}

export type TimerCommand = { action: 'start'; seconds: number } | { action: 'stop' };
export type VoteCommand = { action: 'open'; dots: number } | { action: 'close' } | { action: 'clear' };

export interface ClientToServerEvents {
  'board:join': (req: JoinRequest, ack: Ack<{ role: Role; ownerId: string | null; state: SessionState }>) => void;
  'host:lock': (req: { locked: boolean }, ack: Ack) => void;
  'host:private': (req: { enabled: boolean }, ack: Ack) => void;
  'host:reveal': (req: Record<string, never>, ack: Ack<{ revealed: number }>) => void;
  'host:timer': (req: TimerCommand, ack: Ack) => void;
  'host:follow': (req: { enabled: boolean }, ack: Ack) => void;
  'host:viewport': (rect: ViewRect) => void;
  /** Our pointer in wall coordinates; sent volatile, at most ~10 times a second, only while moving. */
  'presence:cursor': (pos: [x: number, y: number]) => void;
  'host:vote': (req: VoteCommand, ack: Ack) => void;
  'host:settings': (req: { reviewShowsEmails?: boolean; contactRetentionDays?: number }, ack: Ack) => void;
  /**
   * Sets this device's own email and who may see it (the owner id is the socket's; participants
   * and hosts with a device secret). An empty email removes it. Never written on notes (R84).
   */
  'contact:set': (req: { email: string; share: ContactShare }, ack: Ack<{ contact: Contact }>) => void;
  /**
   * "Remove me and my notes": erases this device's notes, connectors, private and held notes,
   * votes and contact details from the wall, its stored history and its snapshots (R86).
   */
  'contact:erase': (req: Record<string, never>, ack: Ack<{ notes: number }>) => void;
  /** A host erases one person (by author id) as `contact:erase` does (R86). */
  'host:erasePerson': (req: { ownerId: string }, ack: Ack<{ notes: number }>) => void;
  'host:rotateKey': (req: { which: 'host' | 'review' }, ack: Ack<{ key: string }>) => void;
  /**
   * Ends the session: locks the wall, stops the timer and closes an open vote, then takes an
   * 'end' snapshot (docs/export.md). The wall stays open for review.
   */
  'host:endSession': (req: Record<string, never>, ack: Ack<{ snapshot: SnapshotInfo }>) => void;
  'vote:cast': (req: { noteId: string; add: boolean }, ack: Ack<{ mine: string[] }>) => void;
  /** Starts clustering the wall's notes; progress and result arrive as cluster:* events. */
  'host:cluster': (req: Record<string, never>, ack: Ack<{ jobId: string }>) => void;
  'host:clusterReject': (req: { clusterId: string }, ack: Ack) => void;
  'host:glossary': (req: { entries: HostGlossaryEntry[] }, ack: Ack) => void;
  'private:add': (req: NoteInput, ack: Ack<{ id: string }>) => void;
  'private:update': (req: { id: string; patch: NotePatch }, ack: Ack) => void;
  'private:delete': (req: { id: string }, ack: Ack) => void;
  /** Hosts: every projected screen of the wall follows this spotlight (R192). */
  'spotlight:set': (req: Spotlight, ack: Ack) => void;
  /** Any role joined to the wall: the current spotlight (null when no host has set one). */
  'spotlight:get': (req: Record<string, never>, ack: Ack<{ spotlight: Spotlight | null }>) => void;
}

export interface ServerToClientEvents {
  'session:state': (state: SessionState) => void;
  /**
   * Private notes this socket may see, as a whole list: all of them to a host when it joins; a
   * participant's own on join and after each change of theirs (bounded by
   * SESSION_LIMITS.privateNotesPerOwner). Hosts are kept current by the two events below.
   */
  'private:notes': (notes: PrivateNote[]) => void;
  /** One private note added or changed: to its author's sockets and to hosts only (R52). */
  'private:note': (note: PrivateNote) => void;
  /** Private notes that are gone (deleted, or revealed into the wall): to their authors and hosts. */
  'private:removed': (r: { ids: string[] }) => void;
  /**
   * Writes the server holds because the wall is locked (R57), as a whole list: a participant's
   * own on join and after each change of theirs; all of them to a host when it joins. Shown to
   * the author as "waiting — posted when the wall reopens".
   */
  'held:notes': (held: HeldWrite[]) => void;
  /** One held write kept (to its author and to hosts). */
  'held:note': (held: HeldWrite) => void;
  /**
   * Held writes that left the queue when the wall reopened: `posted` were written into the wall
   * (same note id, same owner), `dropped` could not be (the note is gone or no longer theirs, or a
   * wall limit was reached). To their authors and hosts.
   */
  'held:released': (r: { ids: string[]; outcome: 'posted' | 'dropped' }) => void;
  'vote:mine': (noteIds: string[]) => void;
  'host:viewport': (rect: ViewRect) => void;
  /** Cursors that moved since the last tick (batched by the server, capped per tick). */
  'presence:cursors': (batch: CursorEntry[]) => void;
  'board:deleted': (info: { boardId: string }) => void;
  /**
   * The emails this socket may see, by author id (R85): hosts all; review links those who agreed
   * to reviewers while the hosts allow it; participants those who chose participants, and their
   * own. The whole list, on join and after every change.
   */
  'contacts:list': (emails: Record<string, string>, access?: ContactListAccess) => void;
  /** This device's own contact details and choice (null: none given); on join and on change. */
  'contacts:mine': (mine: Contact | null) => void;
  /** A person was erased (R86): clients drop that author's notes from their local copies. */
  'person:erased': (info: { ownerId: string }) => void;
  /** To hosts: a clustering job's progress (phase just started, overall fraction done). */
  'cluster:progress': (p: { jobId: string; phase: string; fraction: number }) => void;
  /** To hosts: the latest suggestions (also sent on join). */
  'cluster:result': (r: ClusterSuggestions) => void;
  /** `code` (an ErrorCode, R205) is what clients translate; `message` is English, for logs and stock clients. */
  'cluster:error': (e: { jobId: string; code: string; message: string }) => void;
  /** A host moved the projection's spotlight: to the wall's other sockets (R192). */
  'spotlight:state': (s: Spotlight) => void;
}

export interface InterServerEvents {
  /** Another process changed a wall's settings: refresh cached policy. */
  'settings:changed': (boardId: string) => void;
}

export interface SocketData {
  boardId?: string;
  role?: Role;
  ownerId?: string | null;
  name?: string;
  color?: string;
  /** Server-chosen id for this connection's cursor: nobody can pick (and so overwrite) another's. */
  presenceId?: string;
  /** Client address (limitKey) the per-address caps count against. */
  addr?: string;
  /** Private notes this connection added (SESSION_LIMITS.privateNotesPerConnection). */
  privateAdds?: number;
}
