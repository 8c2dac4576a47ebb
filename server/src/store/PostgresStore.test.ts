/**
 * The store contract on PostgreSQL (TEST_DATABASE_URL, default the local `test` database), in a
 * throw-away schema dropped afterwards. Skipped with a message when PostgreSQL is unreachable and
 * the variable is unset; failed when it is set.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import pg from 'pg';
import { createTempSchema, describeWithServices, probePostgres } from '../../../test/helpers/processes.ts';
import { PostgresStore } from './PostgresStore.ts';
import { runStoreContract } from './storeContract.ts';

const probe = await probePostgres();

describeWithServices('PostgresStore', [probe], () => {
  let temp: Awaited<ReturnType<typeof createTempSchema>>;
  const schema = () => temp.schema;
  beforeAll(async () => {
    // Created by the store's own init() in the contract; here only the name is reserved.
    temp = await createTempSchema(probe.url, 'store');
    await temp.drop();
  });
  afterAll(async () => {
    await temp?.drop();
  });

  runStoreContract('PostgreSQL', async () => {
    const store = new PostgresStore({ connectionString: probe.url, schema: schema(), max: 4 });
    await store.init();
    return store;
  });

  it('records each migration once, even when processes start together', async () => {
    const stores = [1, 2, 3].map(() => new PostgresStore({ connectionString: probe.url, schema: schema(), max: 2 }));
    try {
      await Promise.all(stores.map((s) => s.init()));
      const c = new pg.Client({ connectionString: probe.url });
      await c.connect();
      try {
        const { rows } = await c.query<{ id: number; name: string }>(`SELECT id, name FROM "${schema()}".maillage_migrations ORDER BY id`);
        expect(rows).toEqual([
          { id: 1, name: 'initial' },
          { id: 2, name: 'session_records' },
          { id: 3, name: 'contacts' },
        ]);
        const tables = await c.query<{ table_name: string }>(
          `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
          [schema()],
        );
        expect(tables.rows.map((r) => r.table_name)).toEqual(['boards', 'contacts', 'health', 'maillage_migrations', 'session_records', 'snapshots', 'updates']);
      } finally {
        await c.end();
      }
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('rejects a schema name that could inject SQL', () => {
    expect(() => new PostgresStore({ connectionString: probe.url, schema: 'x"; DROP TABLE boards; --' })).toThrow(/invalid schema/);
  });
});
