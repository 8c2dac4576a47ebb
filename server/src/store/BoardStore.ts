/**
 * The persistence contract. Two implementations (SQLite for the embedded default, PostgreSQL for
 * scale-out) pass the same contract suite (storeContract.ts). Everything is async so that a
 * networked database fits; the SQLite store simply resolves at once.
 *
 * Yjs state is kept as an append-only log of updates per wall, compacted from time to time into
 * one update that replaces the rows it covers. Sequence numbers are store-wide and increasing, so
 * "everything up to seq N" is well defined even with several writers.
 */
import type { BoardId, ContactShare, SessionRecord, SessionRecordKind, SnapshotId } from '@maillage/shared';

export interface BoardRecord {
  id: BoardId;
  hostKey: string;
  reviewKey: string;
  createdAt: number;
  /**
   * Session settings as readers see them (lock, review permissions, vote, suggestions): the old
   * per-wall JSON blob overlaid with the session records that exist (`overlaySettings`). Writers
   * use the session records, never this field.
   */
  settings: Record<string, unknown>;
}

export interface StoredUpdates {
  updates: Uint8Array[];
  /** Highest sequence number returned, or 0 when there are none. */
  lastSeq: number;
}

export interface SnapshotRecord {
  id: SnapshotId;
  boardId: BoardId;
  name: string;
  createdAt: number;
  noteCount: number;
  /** 'manual', 'auto' (periodic), 'end' (session ended), 'restore' (taken before a restore). */
  kind: string;
}

/** Which session records to read: all of a wall, one kind, one person's, or one row. */
export interface SessionRecordFilter {
  kind?: SessionRecordKind;
  key?: string;
  owner?: string;
}

/** One transaction's worth of session-record writes; `remove` without a key removes the whole kind. */
export interface SessionRecordChange {
  put?: readonly SessionRecord[];
  remove?: readonly { kind: SessionRecordKind; key?: string }[];
}

/**
 * One person's contact details on one wall (issue 13): never in the shared document, keyed by
 * author id (a note's `ownerId`). Written only through the ContactService, which validates.
 */
export interface ContactRecord {
  ownerId: string;
  email: string;
  share: ContactShare;
  updatedAt: number;
}

export interface BoardStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Creates tables / runs migrations. Idempotent. */
  init(): Promise<void>;
  createBoard(rec: BoardRecord, initialUpdate: Uint8Array): Promise<void>;
  getBoard(id: BoardId): Promise<BoardRecord | null>;
  updateBoard(id: BoardId, patch: Partial<Pick<BoardRecord, 'hostKey' | 'reviewKey' | 'settings'>>): Promise<void>;
  /**
   * Session records (docs/data-model.md): one row per setting, ballot, private note, held write,
   * rejected cluster or glossary entry, keyed (wall, kind, key). Ordered by kind, then key.
   */
  listSessionRecords(id: BoardId, filter?: SessionRecordFilter): Promise<SessionRecord[]>;
  countSessionRecords(id: BoardId, filter: SessionRecordFilter): Promise<number>;
  /**
   * Applies removals, then upserts, in one transaction.
   * @throws when the wall does not exist (nothing is written then).
   */
  writeSessionRecords(id: BoardId, change: SessionRecordChange): Promise<void>;
  /**
   * Moves the old settings blob into records, in one transaction, once: when the blob is not
   * empty, `convert(blob)` is stored (records already present win) and the blob emptied. A wall
   * whose records are written is never read from a stale blob again; until then the blob stands.
   * @returns whether anything was moved.
   */
  migrateSettings(id: BoardId, convert: (blob: Record<string, unknown>) => SessionRecord[]): Promise<boolean>;
  /** Erases the wall, its updates, snapshots, session records and contacts, leaving no bytes of them in the files. */
  deleteBoard(id: BoardId): Promise<boolean>;
  /** Appends in one transaction; resolves with the seq of the last one. */
  appendUpdates(id: BoardId, updates: Uint8Array[]): Promise<number>;
  loadUpdates(id: BoardId): Promise<StoredUpdates>;
  countUpdates(id: BoardId): Promise<number>;
  /** Replaces every update of the wall with seq ≤ upToSeq by `state` (which must cover them). */
  compact(id: BoardId, state: Uint8Array, upToSeq: number): Promise<void>;
  saveSnapshot(rec: SnapshotRecord, state: Uint8Array): Promise<void>;
  listSnapshots(id: BoardId): Promise<SnapshotRecord[]>;
  getSnapshot(id: BoardId, snapshotId: SnapshotId): Promise<{ rec: SnapshotRecord; state: Uint8Array } | null>;
  /** One `setting` record across every wall (e.g. when each session ended, for retention sweeps). */
  findSettings(key: string): Promise<{ boardId: BoardId; value: unknown }[]>;
  /** Inserts or replaces one person's contact row (keyed wall + owner id). */
  upsertContact(id: BoardId, contact: Omit<ContactRecord, 'updatedAt'>): Promise<void>;
  /** Every contact row of the wall, ordered by owner id. */
  listContacts(id: BoardId): Promise<ContactRecord[]>;
  getContact(id: BoardId, ownerId: string): Promise<ContactRecord | null>;
  /** @returns whether a row was deleted. */
  deleteContact(id: BoardId, ownerId: string): Promise<boolean>;
  /** Deletes every contact row of the wall; @returns how many. */
  deleteContacts(id: BoardId): Promise<number>;
  /**
   * Replaces a snapshot's state (and note count) in place: erasure rewrites snapshots taken
   * before it without the erased content. @returns false when the snapshot does not exist.
   */
  rewriteSnapshot(id: BoardId, snapshotId: SnapshotId, state: Uint8Array, noteCount: number): Promise<boolean>;
  /**
   * Makes deleted rows unrecoverable from the files: SQLite moves the WAL into the main file
   * (where secure_delete zeroed freed pages) and truncates it; PostgreSQL VACUUMs the tables.
   * Called after every erasure. Never throws (a failure is logged; the next erasure retries).
   */
  purgeDeleted(): Promise<void>;
  /** Throws when the database cannot be reached. */
  ping(): Promise<void>;
  /**
   * Readiness probe: a real write then read (one `health` row upserted; for SQLite also a small
   * file written next to the database, as the database would need to grow). Throws when storage
   * cannot take writes (full disk, read-only file system, lost database).
   */
  checkHealth(): Promise<void>;
  close(): Promise<void>;
}
