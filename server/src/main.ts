/** Process entry point: `npm start`. Reads the environment, serves, and shuts down gracefully. */
import { loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { createMaillageServer } from './server.ts';

const config = loadConfig();
const log = createLogger(config.logLevel);
// A database or Redis that cannot be reached stops the process (the orchestrator restarts it),
// reported as a log line like any other rather than a bare stack trace.
const server = await createMaillageServer(config, { log }).catch((err: unknown) => {
  log.fatal({ err }, 'start-up failed');
  process.exit(1);
});
await server.listen();

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    // A hard deadline so a stuck connection cannot keep the process (and a deploy) hanging.
    setTimeout(() => process.exit(1), 10_000).unref();
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
