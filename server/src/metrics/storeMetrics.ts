/**
 * Wraps a BoardStore so that every call is watched: failures are counted per operation and the
 * write-behind flush (`appendUpdates`) is timed. Wrapping the store at its edge, where server.ts
 * opens it, keeps the SQLite and PostgreSQL stores and the room code free of metrics code.
 */
import type { BoardStore } from '../store/index.ts';
import type { Metrics } from './Metrics.ts';

/** Operations whose name becomes a label: the store's own methods, a closed set. */
const OPERATIONS = new Set<string>([
  'init', 'createBoard', 'getBoard', 'updateBoard', 'listSessionRecords', 'countSessionRecords', 'writeSessionRecords',
  'migrateSettings', 'deleteBoard', 'appendUpdates', 'loadUpdates', 'countUpdates', 'compact', 'saveSnapshot',
  'listSnapshots', 'getSnapshot', 'findSettings', 'upsertContact', 'listContacts', 'getContact', 'deleteContact',
  'deleteContacts', 'rewriteSnapshot', 'purgeDeleted', 'ping', 'checkHealth', 'close',
] satisfies (keyof BoardStore)[]);

/**
 * The same store, instrumented. Readiness probes (`ping`, `checkHealth`) failing are store errors
 * too: an operator wants to see the database going away before the first write fails.
 */
export function instrumentStore<S extends BoardStore>(store: S, metrics: Metrics): S {
  const wrapped = new WeakMap<object, unknown>();
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string' || !OPERATIONS.has(prop)) return value;
      // A method replaced on the instance (a test's spy) wraps what it replaced, which is this
      // proxy's wrapper already: returned as it is, so nothing is counted twice.
      if (Object.prototype.hasOwnProperty.call(target, prop)) return value;
      let fn = wrapped.get(value);
      if (!fn) {
        const original = value as (...args: unknown[]) => Promise<unknown>;
        const timed = prop === 'appendUpdates' ? metrics.flushSeconds : null;
        fn = async (...args: unknown[]): Promise<unknown> => {
          const end = timed?.startTimer();
          try {
            const result = await original.apply(target, args);
            end?.();
            return result;
          } catch (err) {
            metrics.storeErrors.inc({ operation: prop });
            throw err;
          }
        };
        wrapped.set(value, fn);
      }
      return fn;
    },
  });
}
