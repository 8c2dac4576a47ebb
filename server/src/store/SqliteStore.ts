/**
 * The embedded store: one SQLite file in DATA_DIR (better-sqlite3). WAL mode keeps appends cheap
 * (one fsync-free write per batch with synchronous=NORMAL: a crash of the process loses nothing,
 * a power cut may lose the last transaction). secure_delete overwrites freed pages with zeros so
 * a deleted wall leaves no text or email behind; a WAL checkpoint after deletion clears the log.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { BoardId, SnapshotId } from '@maillage/shared';
import type { BoardRecord, BoardStore, SnapshotRecord, StoredUpdates } from './BoardStore.ts';

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
`;

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
    return row ? toBoard(row) : null;
  }

  async updateBoard(id: BoardId, patch: Partial<Pick<BoardRecord, 'hostKey' | 'reviewKey' | 'settings'>>): Promise<void> {
    const cur = await this.getBoard(id);
    if (!cur) return;
    const next = { ...cur, ...patch };
    this.db
      .prepare('UPDATE boards SET host_key = ?, review_key = ?, settings = ? WHERE id = ?')
      .run(next.hostKey, next.reviewKey, JSON.stringify(next.settings), id);
  }

  async deleteBoard(id: BoardId): Promise<boolean> {
    const changes = this.db.transaction(() => {
      this.db.prepare('DELETE FROM updates WHERE board_id = ?').run(id);
      this.db.prepare('DELETE FROM snapshots WHERE board_id = ?').run(id);
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

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
