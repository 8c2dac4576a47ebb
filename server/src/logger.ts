/**
 * Structured JSON logs (pino). Personal data never enters a log line: callers log ids and counts,
 * and as a second line of defence the fields that could carry names, emails, keys or note text
 * are redacted wherever they appear.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

const REDACT = [
  'key', 'k', 'hostKey', 'reviewKey', 'authorization', 'email', 'author', 'text', 'name', 'org',
  '*.key', '*.k', '*.hostKey', '*.reviewKey', '*.authorization', '*.email', '*.author', '*.text', '*.name', '*.org',
  'req.headers.authorization', 'req.url',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { svc: 'maillage', pid: process.pid },
      redact: { paths: REDACT, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination as pino.DestinationStream | undefined,
  );
}
