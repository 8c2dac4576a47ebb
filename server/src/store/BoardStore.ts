/**
 * The persistence contract. Two implementations (SQLite for the embedded default, PostgreSQL for
 * scale-out) pass the same contract suite (storeContract.ts). Everything is async so that a
 * networked database fits; the SQLite store simply resolves at once.
 *
 * Yjs state is kept as an append-only log of updates per wall, compacted from time to time into
 * one update that replaces the rows it covers. Sequence numbers are store-wide and increasing, so
 * "everything up to seq N" is well defined even with several writers.
 */
import type { BoardId, SnapshotId } from '@maillage/shared';

export interface BoardRecord {
  id: BoardId;
  hostKey: string;
  reviewKey: string;
  createdAt: number;
  /** Session settings held by the server (lock, review permissions, …) as plain JSON. */
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

export interface BoardStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Creates tables / runs migrations. Idempotent. */
  init(): Promise<void>;
  createBoard(rec: BoardRecord, initialUpdate: Uint8Array): Promise<void>;
  getBoard(id: BoardId): Promise<BoardRecord | null>;
  updateBoard(id: BoardId, patch: Partial<Pick<BoardRecord, 'hostKey' | 'reviewKey' | 'settings'>>): Promise<void>;
  /** Erases the wall, its updates and snapshots, leaving no bytes of them in the files. */
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
  /** Throws when the database cannot be reached (readiness probe). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
