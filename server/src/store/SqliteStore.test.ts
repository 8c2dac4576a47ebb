/** The store contract on the embedded SQLite store, in a temporary file per test run. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { SqliteStore } from './SqliteStore.ts';
import { runStoreContract } from './storeContract.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-store-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

runStoreContract('SQLite', async () => {
  // One file for the whole run, reopened per test, as the server does across restarts.
  const store = new SqliteStore(path.join(dir, 'contract.sqlite'));
  await store.init();
  return store;
});
