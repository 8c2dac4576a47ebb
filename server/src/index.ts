/** Public surface of @maillage/server, used by tests, benchmarks and main.ts. */
export { createMaillageServer, type MaillageServer } from './server.ts';
export { loadConfig, type Config } from './config.ts';
export { createLogger, type Logger } from './logger.ts';
export { SqliteStore, openStore, type BoardStore, type BoardRecord, type SnapshotRecord } from './store/index.ts';
export { Room, REMOTE_ORIGIN, SERVER_ORIGIN } from './sync/Room.ts';
export { RoomManager, type RoomExtension } from './sync/RoomManager.ts';
export { handleMessage } from './sync/protocol.ts';
export type { Peer } from './sync/Peer.ts';
export { resolveRole, keysEqual } from './auth/keys.ts';
