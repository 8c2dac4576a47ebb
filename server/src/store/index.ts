import type { Config } from '../config.ts';
import type { BoardStore } from './BoardStore.ts';
import { SqliteStore } from './SqliteStore.ts';

export type { BoardStore, BoardRecord, SnapshotRecord, StoredUpdates } from './BoardStore.ts';
export { SqliteStore } from './SqliteStore.ts';

/** Picks the store from the configuration: PostgreSQL when DATABASE_URL is set, SQLite otherwise. */
export async function openStore(config: Pick<Config, 'databaseUrl' | 'dataDir'>): Promise<BoardStore> {
  if (config.databaseUrl) {
    throw new Error('DATABASE_URL is set but the PostgreSQL store is not part of this build yet');
  }
  const store = SqliteStore.inDataDir(config.dataDir);
  await store.init();
  return store;
}
