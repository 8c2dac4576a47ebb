/**
 * The scale-out store: PostgreSQL through a `pg` connection pool, shared by every server process.
 * Schema changes are named, ordered migrations recorded in `maillage_migrations` and run by
 * `init()` under an advisory lock, so several processes starting at once migrate exactly once.
 *
 * Sequence numbers come from one bigserial. A bigserial alone does not commit in order: two
 * concurrent appends may make seq 11 visible before seq 10. Compaction ("replace everything up to
 * seq N") would then drop row 10 without covering it. So every write to a wall's log takes a
 * per-wall transaction-scoped advisory lock: for one wall, seqs are allocated and committed in the
 * same order, and any reader sees a gap-free prefix of the log.
 */
import pg from 'pg';
import { overlaySettings, readContactShare, type BoardId, type SessionRecord, type SessionRecordKind, type SnapshotId } from '@maillage/shared';
import type { Logger } from '../logger.ts';
import type { BoardRecord, BoardStore, ContactRecord, SessionRecordChange, SessionRecordFilter, SnapshotRecord, StoredUpdates } from './BoardStore.ts';

interface Migration {
  id: number;
  name: string;
  sql: string;
}

/** Append-only: never edit a migration that has shipped; add a new one with the next id. */
const MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'initial',
    sql: `
      CREATE TABLE boards (
        id text PRIMARY KEY,
        host_key text NOT NULL,
        review_key text NOT NULL,
        created_at bigint NOT NULL,
        settings jsonb NOT NULL DEFAULT '{}'
      );
      CREATE TABLE updates (
        seq bigserial PRIMARY KEY,
        board_id text NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
        data bytea NOT NULL
      );
      CREATE INDEX updates_board ON updates (board_id, seq);
      CREATE TABLE snapshots (
        id text PRIMARY KEY,
        board_id text NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
        name text NOT NULL,
        kind text NOT NULL,
        created_at bigint NOT NULL,
        note_count integer NOT NULL,
        data bytea NOT NULL
      );
      CREATE INDEX snapshots_board ON snapshots (board_id, created_at);
    `,
  },
  {
    // Session state one row per record instead of the boards.settings blob (docs/data-model.md).
    // value is JSON as text: jsonb refuses some strings a note may hold (\u0000).
    id: 2,
    name: 'session_records',
    sql: `
      CREATE TABLE session_records (
        board_id text NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
        kind text NOT NULL,
        key text NOT NULL,
        owner text,
        value text NOT NULL,
        updated_at bigint NOT NULL,
        PRIMARY KEY (board_id, kind, key)
      );
      CREATE INDEX session_records_owner ON session_records (board_id, kind, owner);
      CREATE TABLE health (id integer PRIMARY KEY, at bigint NOT NULL);
    `,
  },
  {
    // Contact details out of the shared document (issue 13), one row per person per wall.
    id: 3,
    name: 'contacts',
    sql: `
      CREATE TABLE contacts (
        board_id text NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
        owner_id text NOT NULL,
        email text NOT NULL,
        share text NOT NULL,
        updated_at bigint NOT NULL,
        PRIMARY KEY (board_id, owner_id)
      );
    `,
  },
];

interface ContactRow {
  owner_id: string;
  email: string;
  share: string;
  updated_at: string;
}
const toContact = (r: ContactRow): ContactRecord => ({ ownerId: r.owner_id, email: r.email, share: readContactShare(r.share), updatedAt: Number(r.updated_at) });
/** Tables an erasure may leave dead tuples in. */
const ERASABLE_TABLES = 'updates, snapshots, session_records, contacts, boards';

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

/** WHERE clause and parameters of a session-record filter ($1 is the wall). */
function where(id: BoardId, f: SessionRecordFilter = {}): { sql: string; params: unknown[] } {
  const parts = ['board_id = $1'];
  const params: unknown[] = [id];
  for (const col of ['kind', 'key', 'owner'] as const) {
    if (f[col] === undefined) continue;
    params.push(f[col]);
    parts.push(`${col} = $${params.length}`);
  }
  return { sql: parts.join(' AND '), params };
}

/** One bigint key for the migration lock; wall locks use the separate two-int4 key space. */
const MIGRATION_LOCK = 0x4d41494c4c414745n; // "MAILLAGE"
const WALL_LOCK_CLASS = 0x4d41494c; // "MAIL"

export interface PostgresStoreOptions {
  /** postgres://user:pass@host:port/db (libpq URL; `?options=-c search_path=…` is honoured). */
  connectionString: string;
  /**
   * Schema to keep the tables in; created by `init()`. Tests use a throw-away schema per run so
   * that they can share one database.
   */
  schema?: string;
  /** Pool size per process. */
  max?: number;
  log?: Logger;
}

interface BoardRow {
  id: string;
  host_key: string;
  review_key: string;
  created_at: string;
  settings: Record<string, unknown>;
}
interface SnapshotRow {
  id: string;
  board_id: string;
  name: string;
  kind: string;
  created_at: string;
  note_count: number;
}

const toBoard = (r: BoardRow): BoardRecord => ({
  id: r.id as BoardId,
  hostKey: r.host_key,
  reviewKey: r.review_key,
  createdAt: Number(r.created_at),
  settings: r.settings,
});
const toSnapshot = (r: SnapshotRow): SnapshotRecord => ({
  id: r.id as SnapshotId,
  boardId: r.board_id as BoardId,
  name: r.name,
  kind: r.kind,
  createdAt: Number(r.created_at),
  noteCount: r.note_count,
});
const toBuffer = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
const toBytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

export class PostgresStore implements BoardStore {
  readonly kind = 'postgres' as const;
  readonly schema: string | undefined;
  private readonly pool: pg.Pool;
  private closed = false;

  /** @throws Error when `schema` is not a plain lower-case identifier. */
  constructor(private readonly opts: PostgresStoreOptions) {
    if (opts.schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(opts.schema)) {
      throw new Error(`invalid schema name: ${opts.schema}`);
    }
    this.schema = opts.schema;
    this.pool = new pg.Pool({
      connectionString: opts.connectionString,
      max: opts.max ?? 10,
      // Names our sessions in pg_stat_activity, for operators.
      application_name: 'maillage',
      // search_path per connection, so every statement below can use unqualified table names.
      ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
    });
    // An idle client losing its connection (database restart) must not crash the process; the
    // pool replaces it and the next query reports the failure to its caller.
    this.pool.on('error', (err) => this.opts.log?.warn({ err }, 'idle PostgreSQL connection failed'));
  }

  async init(): Promise<void> {
    await this.tx(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK.toString()]);
      if (this.schema) await c.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
      await c.query(`CREATE TABLE IF NOT EXISTS maillage_migrations (
        id integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const done = new Set((await c.query<{ id: number }>('SELECT id FROM maillage_migrations')).rows.map((r) => r.id));
      for (const m of MIGRATIONS) {
        if (done.has(m.id)) continue;
        await c.query(m.sql);
        await c.query('INSERT INTO maillage_migrations (id, name) VALUES ($1, $2)', [m.id, m.name]);
        this.opts.log?.info({ migration: m.id, label: m.name }, 'applied database migration');
      }
    });
  }

  async createBoard(rec: BoardRecord, initialUpdate: Uint8Array): Promise<void> {
    await this.tx(async (c) => {
      await c.query('INSERT INTO boards (id, host_key, review_key, created_at, settings) VALUES ($1, $2, $3, $4, $5)', [
        rec.id,
        rec.hostKey,
        rec.reviewKey,
        rec.createdAt,
        JSON.stringify(rec.settings),
      ]);
      await c.query('INSERT INTO updates (board_id, data) VALUES ($1, $2)', [rec.id, toBuffer(initialUpdate)]);
    });
  }

  async getBoard(id: BoardId): Promise<BoardRecord | null> {
    const { rows } = await this.pool.query<BoardRow>('SELECT * FROM boards WHERE id = $1', [id]);
    if (!rows[0]) return null;
    const board = toBoard(rows[0]);
    const records = await this.pool.query<RecordRow>(
      `SELECT kind, key, owner, value FROM session_records WHERE board_id = $1 AND kind IN ('setting', 'ballot', 'suggestions')`,
      [id],
    );
    return { ...board, settings: overlaySettings(board.settings, records.rows.map(toRecord)) };
  }

  async listSessionRecords(id: BoardId, filter?: SessionRecordFilter): Promise<SessionRecord[]> {
    const w = where(id, filter);
    const { rows } = await this.pool.query<RecordRow>(`SELECT kind, key, owner, value FROM session_records WHERE ${w.sql} ORDER BY kind COLLATE "C", key COLLATE "C"`, w.params);
    return rows.map(toRecord);
  }

  async countSessionRecords(id: BoardId, filter: SessionRecordFilter): Promise<number> {
    const w = where(id, filter);
    const { rows } = await this.pool.query<{ n: string }>(`SELECT count(*) AS n FROM session_records WHERE ${w.sql}`, w.params);
    return Number(rows[0]?.n ?? 0);
  }

  async writeSessionRecords(id: BoardId, change: SessionRecordChange): Promise<void> {
    const now = Date.now();
    await this.tx(async (c) => {
      for (const r of change.remove ?? []) {
        if (r.key === undefined) await c.query('DELETE FROM session_records WHERE board_id = $1 AND kind = $2', [id, r.kind]);
        else await c.query('DELETE FROM session_records WHERE board_id = $1 AND kind = $2 AND key = $3', [id, r.kind, r.key]);
      }
      const put = change.put ?? [];
      if (!put.length) return;
      await c.query(
        `INSERT INTO session_records (board_id, kind, key, owner, value, updated_at)
         SELECT $1, k, y, o, v, $6 FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS t(k, y, o, v)
         ON CONFLICT (board_id, kind, key) DO UPDATE SET owner = EXCLUDED.owner, value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`,
        [id, put.map((r) => r.kind), put.map((r) => r.key), put.map((r) => r.owner), put.map((r) => JSON.stringify(r.value ?? null)), now],
      );
    });
  }

  async migrateSettings(id: BoardId, convert: (blob: Record<string, unknown>) => SessionRecord[]): Promise<boolean> {
    return this.tx(async (c) => {
      const { rows } = await c.query<{ settings: Record<string, unknown> }>('SELECT settings FROM boards WHERE id = $1 FOR UPDATE', [id]);
      const blob = rows[0]?.settings;
      if (!blob || !Object.keys(blob).length) return false;
      const put = convert(blob);
      if (put.length) {
        await c.query(
          `INSERT INTO session_records (board_id, kind, key, owner, value, updated_at)
           SELECT $1, k, y, o, v, $6 FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS t(k, y, o, v)
           ON CONFLICT (board_id, kind, key) DO NOTHING`,
          [id, put.map((r) => r.kind), put.map((r) => r.key), put.map((r) => r.owner), put.map((r) => JSON.stringify(r.value ?? null)), Date.now()],
        );
      }
      await c.query(`UPDATE boards SET settings = '{}' WHERE id = $1`, [id]);
      return true;
    });
  }

  async updateBoard(id: BoardId, patch: Partial<Pick<BoardRecord, 'hostKey' | 'reviewKey' | 'settings'>>): Promise<void> {
    await this.pool.query(
      `UPDATE boards SET
         host_key = COALESCE($2, host_key),
         review_key = COALESCE($3, review_key),
         settings = COALESCE($4::jsonb, settings)
       WHERE id = $1`,
      [id, patch.hostKey ?? null, patch.reviewKey ?? null, patch.settings ? JSON.stringify(patch.settings) : null],
    );
  }

  /** Deletes the wall's rows, then VACUUMs (purgeDeleted). */
  async deleteBoard(id: BoardId): Promise<boolean> {
    const deleted = await this.tx(async (c) => {
      await this.lockWall(c, id);
      await c.query('DELETE FROM updates WHERE board_id = $1', [id]);
      await c.query('DELETE FROM snapshots WHERE board_id = $1', [id]);
      await c.query('DELETE FROM session_records WHERE board_id = $1', [id]);
      await c.query('DELETE FROM contacts WHERE board_id = $1', [id]);
      return (await c.query('DELETE FROM boards WHERE id = $1', [id])).rowCount ?? 0;
    });
    if (deleted > 0) await this.purgeDeleted();
    return deleted > 0;
  }

  async appendUpdates(id: BoardId, updates: Uint8Array[]): Promise<number> {
    if (!updates.length) return 0;
    return this.tx(async (c) => {
      await this.lockWall(c, id);
      const { rows } = await c.query<{ seq: string }>(
        `INSERT INTO updates (board_id, data)
         SELECT $1, d FROM unnest($2::bytea[]) WITH ORDINALITY AS t(d, n) ORDER BY n
         RETURNING seq`,
        [id, updates.map(toBuffer)],
      );
      return Math.max(...rows.map((r) => Number(r.seq)));
    });
  }

  async loadUpdates(id: BoardId): Promise<StoredUpdates> {
    const { rows } = await this.pool.query<{ seq: string; data: Buffer }>(
      'SELECT seq, data FROM updates WHERE board_id = $1 ORDER BY seq',
      [id],
    );
    const last = rows[rows.length - 1];
    return { updates: rows.map((r) => toBytes(r.data)), lastSeq: last ? Number(last.seq) : 0 };
  }

  async countUpdates(id: BoardId): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM updates WHERE board_id = $1', [id]);
    return Number(rows[0]?.n ?? 0);
  }

  async compact(id: BoardId, state: Uint8Array, upToSeq: number): Promise<void> {
    await this.tx(async (c) => {
      await this.lockWall(c, id);
      await c.query('DELETE FROM updates WHERE board_id = $1 AND seq <= $2', [id, upToSeq]);
      // Re-use the highest covered seq so the compacted state sorts before every newer update.
      await c.query('INSERT INTO updates (seq, board_id, data) VALUES ($1, $2, $3)', [upToSeq, id, toBuffer(state)]);
    });
    // Compaction is how deleted notes leave the log: prune the replaced rows soon (one VACUUM
    // per burst of compactions, not one each).
    this.purgeSoon();
  }

  private purgeTimer: NodeJS.Timeout | null = null;
  private purgeSoon(): void {
    if (this.purgeTimer || this.closed) return;
    this.purgeTimer = setTimeout(() => {
      this.purgeTimer = null;
      if (!this.closed) void this.purgeDeleted();
    }, 500);
    this.purgeTimer.unref();
  }

  async saveSnapshot(rec: SnapshotRecord, state: Uint8Array): Promise<void> {
    await this.pool.query(
      'INSERT INTO snapshots (id, board_id, name, kind, created_at, note_count, data) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [rec.id, rec.boardId, rec.name, rec.kind, rec.createdAt, rec.noteCount, toBuffer(state)],
    );
  }

  async listSnapshots(id: BoardId): Promise<SnapshotRecord[]> {
    const { rows } = await this.pool.query<SnapshotRow>(
      'SELECT id, board_id, name, kind, created_at, note_count FROM snapshots WHERE board_id = $1 ORDER BY created_at DESC, id',
      [id],
    );
    return rows.map(toSnapshot);
  }

  async getSnapshot(id: BoardId, snapshotId: SnapshotId): Promise<{ rec: SnapshotRecord; state: Uint8Array } | null> {
    const { rows } = await this.pool.query<SnapshotRow & { data: Buffer }>(
      'SELECT * FROM snapshots WHERE board_id = $1 AND id = $2',
      [id, snapshotId],
    );
    const row = rows[0];
    return row ? { rec: toSnapshot(row), state: toBytes(row.data) } : null;
  }

  async findSettings(key: string): Promise<{ boardId: BoardId; value: unknown }[]> {
    const { rows } = await this.pool.query<{ board_id: string; value: string }>(
      `SELECT board_id, value FROM session_records WHERE kind = 'setting' AND key = $1 ORDER BY board_id COLLATE "C"`,
      [key],
    );
    return rows.map((r) => ({ boardId: r.board_id as BoardId, value: JSON.parse(r.value) as unknown }));
  }

  async upsertContact(id: BoardId, c: Omit<ContactRecord, 'updatedAt'>): Promise<void> {
    await this.pool.query(
      `INSERT INTO contacts (board_id, owner_id, email, share, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (board_id, owner_id) DO UPDATE SET email = EXCLUDED.email, share = EXCLUDED.share, updated_at = EXCLUDED.updated_at`,
      [id, c.ownerId, c.email, c.share, Date.now()],
    );
  }

  async listContacts(id: BoardId): Promise<ContactRecord[]> {
    const { rows } = await this.pool.query<ContactRow>('SELECT owner_id, email, share, updated_at FROM contacts WHERE board_id = $1 ORDER BY owner_id COLLATE "C"', [id]);
    return rows.map(toContact);
  }

  async getContact(id: BoardId, ownerId: string): Promise<ContactRecord | null> {
    const { rows } = await this.pool.query<ContactRow>('SELECT owner_id, email, share, updated_at FROM contacts WHERE board_id = $1 AND owner_id = $2', [id, ownerId]);
    return rows[0] ? toContact(rows[0]) : null;
  }

  async deleteContact(id: BoardId, ownerId: string): Promise<boolean> {
    return ((await this.pool.query('DELETE FROM contacts WHERE board_id = $1 AND owner_id = $2', [id, ownerId])).rowCount ?? 0) > 0;
  }

  async deleteContacts(id: BoardId): Promise<number> {
    return (await this.pool.query('DELETE FROM contacts WHERE board_id = $1', [id])).rowCount ?? 0;
  }

  async rewriteSnapshot(id: BoardId, snapshotId: SnapshotId, state: Uint8Array, noteCount: number): Promise<boolean> {
    const r = await this.pool.query('UPDATE snapshots SET data = $3, note_count = $4 WHERE board_id = $1 AND id = $2', [id, snapshotId, toBuffer(state), noteCount]);
    return (r.rowCount ?? 0) > 0;
  }

  /**
   * VACUUMs the tables an erasure touches so the dead tuples are pruned from their pages.
   * PostgreSQL may still hold the bytes in free space, the WAL and base backups until they are
   * overwritten or rotated (docs/deployment.md, "Erasure").
   */
  async purgeDeleted(): Promise<void> {
    // VACUUM cannot run inside a transaction block: pool.query runs it in autocommit mode.
    try {
      await this.pool.query(`VACUUM ${ERASABLE_TABLES}`);
    } catch (err) {
      this.opts.log?.warn({ err }, 'VACUUM after erasure failed; autovacuum will prune later');
    }
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async checkHealth(): Promise<void> {
    const at = Date.now();
    const { rows } = await this.pool.query<{ at: string }>(
      'INSERT INTO health (id, at) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET at = EXCLUDED.at RETURNING at',
      [at],
    );
    if (Number(rows[0]?.at) !== at) throw new Error('health row not read back');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.purgeTimer) clearTimeout(this.purgeTimer);
    await this.pool.end();
  }

  /** Serialises writers of one wall's log until the transaction ends (see the file comment). */
  private async lockWall(c: pg.PoolClient, id: BoardId): Promise<void> {
    await c.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [WALL_LOCK_CLASS, id]);
  }

  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const out = await fn(c);
      await c.query('COMMIT');
      return out;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  }
}
