/** Process entry point: `npm start`. Reads the environment, serves, and shuts down gracefully. */
import { loadConfig } from './config.ts';
import { createLogger, errorFields, stdoutLogDestination } from './logger.ts';
import { createMaillageServer } from './server.ts';

const config = loadConfig();
const log = createLogger(config.logLevel);
const logs = stdoutLogDestination();

/**
 * Exits once the logs written so far are out — at most 2 s, and never past `deadline` (ms since
 * the epoch): a log reader that does not read only loses the last lines.
 */
async function exit(code: number, deadline: number): Promise<never> {
  await logs.flush(Math.min(2000, deadline - Date.now() - 50));
  process.exit(code);
}

// No input ends the process (docs/spec.md R60): every transport handler catches its own errors,
// and whatever still escapes is logged — without its message, which may quote input — while the
// process keeps serving everyone else.
process.on('uncaughtException', (err) => log.error({ ...errorFields(err) }, 'uncaught exception (process kept running)'));
process.on('unhandledRejection', (err) => log.error({ ...errorFields(err) }, 'unhandled rejection (process kept running)'));

// A database or Redis that cannot be reached stops the process (the orchestrator restarts it),
// reported as a log line like any other rather than a bare stack trace.
const server = await createMaillageServer(config, { log }).catch(async (err: unknown) => {
  log.fatal({ ...errorFields(err) }, 'start-up failed');
  return exit(1, Date.now() + 2000);
});
await server.listen();

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    const deadline = Date.now() + config.shutdownTimeoutMs;
    // The hard deadline comes first and depends on nothing: not on the store, a stuck connection
    // or a log reader (logging never blocks, logger.ts). It is not unref'd, so it holds the
    // process until it fires or the graceful path exits first.
    setTimeout(() => process.exit(1), config.shutdownTimeoutMs);
    log.info({ signal, deadlineMs: config.shutdownTimeoutMs }, 'shutting down');
    server.close().then(
      () => exit(0, deadline),
      (err: unknown) => {
        log.error({ ...errorFields(err) }, 'shutdown failed');
        return exit(1, deadline);
      },
    );
  });
}
