/**
 * The embedded store: one SQLite file in DATA_DIR (better-sqlite3). WAL mode keeps appends cheap
 * (one fsync-free write per batch with synchronous=NORMAL: a crash of the process loses nothing,
 * a power cut may lose the last transaction). secure_delete overwrites freed pages with zeros so
 * a deleted wall leaves no text or email behind; a WAL checkpoint after deletion clears the log.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { overlaySettings, readContactShare, type BoardId, type SessionRecord, type SessionRecordKind, type SnapshotId } from '@maillage/shared';
import type { BoardRecord, BoardStore, ContactRecord, SessionRecordChange, SessionRecordFilter, SnapshotRecord, StoredUpdates } from './BoardStore.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS boards (
  id TEXT PRIMARY KEY,
  host_key TEXT NOT NULL,
  review_key TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  settings TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS updates (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS updates_board ON updates(board_id, seq);
CREATE TABLE IF NOT EXISTS snapshots (
  id TEXT PRIMARY KEY,
  board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  note_count INTEGER NOT NULL,
  data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS snapshots_board ON snapshots(board_id, created_at);
CREATE TABLE IF NOT EXISTS session_records (
  board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  owner TEXT,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (board_id, kind, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS session_records_owner ON session_records(board_id, kind, owner);
CREATE TABLE IF NOT EXISTS contacts (
  board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  owner_id TEXT NOT NULL,
  email TEXT NOT NULL,
  share TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (board_id, owner_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS health (id INTEGER PRIMARY KEY, at INTEGER NOT NULL);
`;

/** The record kinds a wall's `settings` view is made of (see overlaySettings). */
const VIEW_KINDS = `('setting', 'ballot', 'suggestions')`;

interface BoardRow {
  id: string;
  host_key: string;
  review_key: string;
  created_at: number;
  settings: string;
}
interface SnapshotRow {
  id: string;
  board_id: string;
  name: string;
  kind: string;
  created_at: number;
  note_count: number;
}

const toBoard = (r: BoardRow): BoardRecord => ({
  id: r.id as BoardId,
  hostKey: r.host_key,
  reviewKey: r.review_key,
  createdAt: r.created_at,
  settings: JSON.parse(r.settings) as Record<string, unknown>,
});
interface RecordRow {
  kind: string;
  key: string;
  owner: string | null;
  value: string;
}
const toRecord = (r: RecordRow): SessionRecord => ({
  kind: r.kind as SessionRecordKind,
  key: r.key,
  owner: r.owner,
  value: JSON.parse(r.value) as unknown,
});

/** WHERE clause and parameters of a session-record filter. */
function where(id: BoardId, f: SessionRecordFilter = {}): { sql: string; params: unknown[] } {
  const parts = ['board_id = ?'];
  const params: unknown[] = [id];
  for (const col of ['kind', 'key', 'owner'] as const) {
    if (f[col] === undefined) continue;
    parts.push(`${col} = ?`);
    params.push(f[col]);
  }
  return { sql: parts.join(' AND '), params };
}

interface ContactRow {
  owner_id: string;
  email: string;
  share: string;
  updated_at: number;
}
const toContact = (r: ContactRow): ContactRecord => ({ ownerId: r.owner_id, email: r.email, share: readContactShare(r.share), updatedAt: Number(r.updated_at) });

const toSnapshot = (r: SnapshotRow): SnapshotRecord => ({
  id: r.id as SnapshotId,
  boardId: r.board_id as BoardId,
  name: r.name,
  kind: r.kind,
  createdAt: r.created_at,
  noteCount: r.note_count,
});

export class SqliteStore implements BoardStore {
  readonly kind = 'sqlite' as const;
  readonly file: string;
  private db: Database.Database;
  private append: ((board: string, updates: Uint8Array[]) => number) | null = null;

  /** @param file path of the database file, or ':memory:'. */
  constructor(file: string) {
    this.file = file;
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('secure_delete = ON');
    this.db.pragma('foreign_keys = ON');
  }

  static inDataDir(dataDir: string): SqliteStore {
    return new SqliteStore(path.join(dataDir, 'maillage.sqlite'));
  }

  async init(): Promise<void> {
    this.db.exec(SCHEMA);
  }

  async createBoard(rec: BoardRecord, initialUpdate: Uint8Array): Promise<void> {
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO boards (id, host_key, review_key, created_at, settings) VALUES (?, ?, ?, ?, ?)')
        .run(rec.id, rec.hostKey, rec.reviewKey, rec.createdAt, JSON.stringify(rec.settings));
      this.db.prepare('INSERT INTO updates (board_id, data) VALUES (?, ?)').run(rec.id, Buffer.from(initialUpdate));
    })();
  }

  async getBoard(id: BoardId): Promise<BoardRecord | null> {
    const row = this.db.prepare('SELECT * FROM boards WHERE id = ?').get(id) as BoardRow | undefined;
    if (!row) return null;
    const board = toBoard(row);
    const records = (
      this.db.prepare(`SELECT kind, key, owner, value FROM session_records WHERE board_id = ? AND kind IN ${VIEW_KINDS}`).all(id) as RecordRow[]
    ).map(toRecord);
    return { ...board, settings: overlaySettings(board.settings, records) };
  }

  async listSessionRecords(id: BoardId, filter?: SessionRecordFilter): Promise<SessionRecord[]> {
    const w = where(id, filter);
    const rows = this.db.prepare(`SELECT kind, key, owner, value FROM session_records WHERE ${w.sql} ORDER BY kind, key`).all(...w.params) as RecordRow[];
    return rows.map(toRecord);
  }

  async countSessionRecords(id: BoardId, filter: SessionRecordFilter): Promise<number> {
    const w = where(id, filter);
    return (this.db.prepare(`SELECT count(*) AS n FROM session_records WHERE ${w.sql}`).get(...w.params) as { n: number }).n;
  }

  async writeSessionRecords(id: BoardId, change: SessionRecordChange): Promise<void> {
    const now = Date.now();
    this.db.transaction(() => {
      for (const r of change.remove ?? []) {
        if (r.key === undefined) this.db.prepare('DELETE FROM session_records WHERE board_id = ? AND kind = ?').run(id, r.kind);
        else this.db.prepare('DELETE FROM session_records WHERE board_id = ? AND kind = ? AND key = ?').run(id, r.kind, r.key);
      }
      const put = this.db.prepare(
        `INSERT INTO session_records (board_id, kind, key, owner, value, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (board_id, kind, key) DO UPDATE SET owner = excluded.owner, value = excluded.value, updated_at = excluded.updated_at`,
      );
      for (const r of change.put ?? []) put.run(id, r.kind, r.key, r.owner, JSON.stringify(r.value ?? null), now);
    })();
  }

  async migrateSettings(id: BoardId, convert: (blob: Record<string, unknown>) => SessionRecord[]): Promise<boolean> {
    return this.db.transaction(() => {
      const row = this.db.prepare('SELECT settings FROM boards WHERE id = ?').get(id) as { settings: string } | undefined;
      if (!row) return false;
      const blob = JSON.parse(row.settings) as Record<string, unknown>;
      if (!Object.keys(blob).length) return false;
      const now = Date.now();
      const put = this.db.prepare(
        `INSERT INTO session_records (board_id, kind, key, owner, value, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (board_id, kind, key) DO NOTHING`,
      );
      for (const r of convert(blob)) put.run(id, r.kind, r.key, r.owner, JSON.stringify(r.value ?? null), now);
      this.db.prepare(`UPDATE boards SET settings = '{}' WHERE id = ?`).run(id);
      return true;
    })();
  }

  async updateBoard(id: BoardId, patch: Partial<Pick<BoardRecord, 'hostKey' | 'reviewKey' | 'settings'>>): Promise<void> {
    // Only the columns the patch names, as PostgresStore does. Reading the record and writing it
    // back whole would copy into the row what getBoard lays over it — the session records
    // (ballots, flags, suggestions) — and those copies would outlive the records: an erased
    // person's ballot would come back with the next restart (R213).
    this.db
      .prepare('UPDATE boards SET host_key = COALESCE(?, host_key), review_key = COALESCE(?, review_key), settings = COALESCE(?, settings) WHERE id = ?')
      .run(patch.hostKey ?? null, patch.reviewKey ?? null, patch.settings ? JSON.stringify(patch.settings) : null, id);
  }

  async deleteBoard(id: BoardId): Promise<boolean> {
    const changes = this.db.transaction(() => {
      this.db.prepare('DELETE FROM updates WHERE board_id = ?').run(id);
      this.db.prepare('DELETE FROM snapshots WHERE board_id = ?').run(id);
      this.db.prepare('DELETE FROM session_records WHERE board_id = ?').run(id);
      this.db.prepare('DELETE FROM contacts WHERE board_id = ?').run(id);
      return this.db.prepare('DELETE FROM boards WHERE id = ?').run(id).changes;
    })();
    // Move the WAL's copies of the erased pages into the main file (where secure_delete zeroed
    // them) and truncate the log, so no byte of the wall survives in either file.
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    return changes > 0;
  }

  async appendUpdates(id: BoardId, updates: Uint8Array[]): Promise<number> {
    // Prepared once: every event-loop turn that received updates appends (bench:store).
    if (!this.append) {
      const stmt = this.db.prepare('INSERT INTO updates (board_id, data) VALUES (?, ?)');
      this.append = this.db.transaction((board: string, list: Uint8Array[]) => {
        let last = 0;
        for (const u of list) last = Number(stmt.run(board, Buffer.from(u.buffer, u.byteOffset, u.byteLength)).lastInsertRowid);
        return last;
      });
    }
    return this.append(id, updates);
  }

  async loadUpdates(id: BoardId): Promise<StoredUpdates> {
    const rows = this.db.prepare('SELECT seq, data FROM updates WHERE board_id = ? ORDER BY seq').all(id) as {
      seq: number;
      data: Buffer;
    }[];
    return {
      updates: rows.map((r) => new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength)),
      lastSeq: rows.length ? (rows[rows.length - 1] as { seq: number }).seq : 0,
    };
  }

  async countUpdates(id: BoardId): Promise<number> {
    return (this.db.prepare('SELECT count(*) AS n FROM updates WHERE board_id = ?').get(id) as { n: number }).n;
  }

  async compact(id: BoardId, state: Uint8Array, upToSeq: number): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM updates WHERE board_id = ? AND seq <= ?').run(id, upToSeq);
      // Re-use the highest covered seq so the compacted state sorts before every newer update.
      this.db.prepare('INSERT INTO updates (seq, board_id, data) VALUES (?, ?, ?)').run(upToSeq, id, Buffer.from(state));
    })();
    // Compaction is how deleted notes leave the log (Room.eraseSoon): the replaced rows' pages
    // were zeroed in the main file, but the WAL still holds copies until a checkpoint.
    await this.purgeDeleted();
  }

  async saveSnapshot(rec: SnapshotRecord, state: Uint8Array): Promise<void> {
    this.db
      .prepare('INSERT INTO snapshots (id, board_id, name, kind, created_at, note_count, data) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(rec.id, rec.boardId, rec.name, rec.kind, rec.createdAt, rec.noteCount, Buffer.from(state));
  }

  async listSnapshots(id: BoardId): Promise<SnapshotRecord[]> {
    const rows = this.db
      .prepare('SELECT id, board_id, name, kind, created_at, note_count FROM snapshots WHERE board_id = ? ORDER BY created_at DESC, id')
      .all(id) as SnapshotRow[];
    return rows.map(toSnapshot);
  }

  async getSnapshot(id: BoardId, snapshotId: SnapshotId): Promise<{ rec: SnapshotRecord; state: Uint8Array } | null> {
    const row = this.db.prepare('SELECT * FROM snapshots WHERE board_id = ? AND id = ?').get(id, snapshotId) as
      | (SnapshotRow & { data: Buffer })
      | undefined;
    return row ? { rec: toSnapshot(row), state: new Uint8Array(row.data) } : null;
  }

  async findSettings(key: string): Promise<{ boardId: BoardId; value: unknown }[]> {
    const rows = this.db.prepare(`SELECT board_id, value FROM session_records WHERE kind = 'setting' AND key = ? ORDER BY board_id`).all(key) as { board_id: string; value: string }[];
    return rows.map((r) => ({ boardId: r.board_id as BoardId, value: JSON.parse(r.value) as unknown }));
  }

  async upsertContact(id: BoardId, c: Omit<ContactRecord, 'updatedAt'>): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO contacts (board_id, owner_id, email, share, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (board_id, owner_id) DO UPDATE SET email = excluded.email, share = excluded.share, updated_at = excluded.updated_at`,
      )
      .run(id, c.ownerId, c.email, c.share, Date.now());
  }

  async listContacts(id: BoardId): Promise<ContactRecord[]> {
    const rows = this.db.prepare('SELECT owner_id, email, share, updated_at FROM contacts WHERE board_id = ? ORDER BY owner_id').all(id) as ContactRow[];
    return rows.map(toContact);
  }

  async getContact(id: BoardId, ownerId: string): Promise<ContactRecord | null> {
    const row = this.db.prepare('SELECT owner_id, email, share, updated_at FROM contacts WHERE board_id = ? AND owner_id = ?').get(id, ownerId) as ContactRow | undefined;
    return row ? toContact(row) : null;
  }

  async deleteContact(id: BoardId, ownerId: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM contacts WHERE board_id = ? AND owner_id = ?').run(id, ownerId).changes > 0;
  }

  async deleteContacts(id: BoardId): Promise<number> {
    return this.db.prepare('DELETE FROM contacts WHERE board_id = ?').run(id).changes;
  }

  async rewriteSnapshot(id: BoardId, snapshotId: SnapshotId, state: Uint8Array, noteCount: number): Promise<boolean> {
    return this.db.prepare('UPDATE snapshots SET data = ?, note_count = ? WHERE board_id = ? AND id = ?').run(Buffer.from(state), noteCount, id, snapshotId).changes > 0;
  }

  async purgeDeleted(): Promise<void> {
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // A reader holding the WAL (rare: one process) makes the checkpoint partial; the next erasure retries.
    }
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async checkHealth(): Promise<void> {
    const at = Date.now();
    this.db.prepare('INSERT INTO health (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at').run(at);
    const row = this.db.prepare('SELECT at FROM health WHERE id = 1').get() as { at: number } | undefined;
    if (row?.at !== at) throw new Error('health row not read back');
    // SQLite reuses its WAL file in place, so a one-row write can succeed on a full disk that
    // would refuse the next page the database needs: write (and drop) one page-sized file too.
    if (this.file !== ':memory:') {
      const probe = `${this.file}.health`;
      const fd = fs.openSync(probe, 'w');
      try {
        fs.writeSync(fd, Buffer.alloc(4096, 1));
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
        fs.rmSync(probe, { force: true });
      }
    }
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
