/**
 * Structured JSON logs (pino). Personal data never enters a log line: callers log ids and counts,
 * and as a second line of defence the fields that could carry names, emails, keys or note text
 * are redacted wherever they appear.
 *
 * Logging never blocks the event loop (docs/spec.md R61). pino's default destination writes to
 * fd 1 synchronously: when nobody reads the process's stdout pipe, the first write past the pipe's
 * 64 KiB blocks the whole process for ever — no request is served and not even the shutdown
 * deadline can fire. Lines go through `process.stdout` instead, which writes to a pipe
 * asynchronously, and past `MAX_BUFFERED` unwritten bytes lines are dropped and counted: a
 * stuck log reader loses log lines, never the service.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

const REDACT = [
  'key', 'k', 'hostKey', 'reviewKey', 'authorization', 'email', 'author', 'text', 'name', 'org',
  '*.key', '*.k', '*.hostKey', '*.reviewKey', '*.authorization', '*.email', '*.author', '*.text', '*.name', '*.org',
  'req.headers.authorization', 'req.url',
];

/** Unwritten bytes the log destination holds at most before dropping lines. */
export const MAX_BUFFERED = 4 * 1024 * 1024;

/** A pino destination that never blocks: see the module comment. */
export interface LogDestination extends pino.DestinationStream {
  /** Lines dropped since the last time the count was reported. */
  dropped: number;
  /** Resolves once every accepted line is written, or after `timeoutMs`, whichever first. */
  flush(timeoutMs: number): Promise<void>;
}

/** Writes log lines to `out` (stdout by default) without ever blocking on it. */
export function nonBlockingDestination(out: NodeJS.WriteStream | NodeJS.WritableStream = process.stdout, maxBuffered = MAX_BUFFERED): LogDestination {
  const buffered = (): number => (out as { writableLength?: number }).writableLength ?? 0;
  // A closed stdout (EPIPE) must not become an uncaught 'error' event: logs are best effort.
  out.on('error', () => undefined);
  const dest: LogDestination = {
    dropped: 0,
    write(line: string) {
      if (buffered() + line.length > maxBuffered) {
        dest.dropped++;
        return;
      }
      if (dest.dropped) {
        const note = JSON.stringify({ level: 40, time: new Date().toISOString(), svc: 'maillage', pid: process.pid, dropped: dest.dropped, msg: 'log lines dropped: stdout is not being read' });
        dest.dropped = 0;
        out.write(`${note}\n`);
      }
      out.write(line);
    },
    flush(timeoutMs: number) {
      if (buffered() === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          out.off('drain', done);
          resolve();
        };
        const timer = setTimeout(done, Math.max(0, timeoutMs));
        timer.unref();
        out.on('drain', done);
      });
    },
  };
  return dest;
}

let stdoutDestination: LogDestination | null = null;

/** The process-wide stdout destination (one, so that its buffer bound holds for every logger). */
export function stdoutLogDestination(): LogDestination {
  stdoutDestination ??= nonBlockingDestination(process.stdout);
  return stdoutDestination;
}

export function createLogger(level: string, destination?: NodeJS.WritableStream | pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { svc: 'maillage', pid: process.pid },
      redact: { paths: REDACT, censor: '[redacted]' },
      // An error logged as `{ err }` (pino's convention, used across the server) keeps its name,
      // code and stack frames only — never its message, which can quote input (R62, R208).
      serializers: { err: errorFields, error: errorFields },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    (destination as pino.DestinationStream | undefined) ?? stdoutLogDestination(),
  );
}

/**
 * What may be logged of an error: its name, code and stack frames — not its message, which can
 * quote input (a JSON parser's message quotes the text it choked on, a validator's the value).
 */
export function errorFields(err: unknown): { errName: string; errCode?: string; stack?: string } {
  if (!(err instanceof Error)) return { errName: err === null ? 'null' : typeof err };
  const code = (err as { code?: unknown }).code;
  const frames = (err.stack ?? '')
    .split('\n')
    .filter((l) => /^\s+at /.test(l))
    .slice(0, 12)
    .join('\n');
  return { errName: err.name, ...(typeof code === 'string' || typeof code === 'number' ? { errCode: String(code) } : {}), ...(frames ? { stack: frames } : {}) };
}
