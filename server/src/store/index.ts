import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { BoardStore } from './BoardStore.ts';
import { SqliteStore } from './SqliteStore.ts';

export type { BoardStore, BoardRecord, ContactRecord, SessionRecordChange, SessionRecordFilter, SnapshotRecord, StoredUpdates } from './BoardStore.ts';
export { SqliteStore } from './SqliteStore.ts';

/**
 * Picks the store from the configuration: PostgreSQL when DATABASE_URL is set, SQLite otherwise,
 * and runs its migrations. @throws when the database cannot be reached or migrated.
 */
export async function openStore(config: Pick<Config, 'databaseUrl' | 'dataDir'>, log?: Logger): Promise<BoardStore> {
  if (config.databaseUrl) {
    // Loaded on demand so that an embedded (SQLite) install never loads the pg driver.
    const { PostgresStore } = await import('./PostgresStore.ts');
    const store = new PostgresStore({ connectionString: config.databaseUrl, log });
    try {
      await store.init();
    } catch (err) {
      await store.close();
      throw err;
    }
    return store;
  }
  const store = SqliteStore.inDataDir(config.dataDir);
  await store.init();
  return store;
}
