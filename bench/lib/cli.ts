/** Command-line plumbing shared by the benchmark scripts. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** True when `moduleUrl` is the script node was started with (not imported by a test). */
export function isMain(moduleUrl: string): boolean {
  const entry = process.argv[1];
  return Boolean(entry) && path.resolve(entry as string) === fileURLToPath(moduleUrl);
}

export interface CommonArgs {
  quick: boolean;
  /** Do not append to docs/benchmarks.md. */
  noDoc: boolean;
  values: Record<string, string | boolean | undefined>;
}

/**
 * Parses `--quick`, `--no-doc` and the script's own string options (`--n 100,500` style).
 * @throws on unknown options, so a typo does not silently run the default.
 */
export function cliArgs(options: string[]): CommonArgs {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      quick: { type: 'boolean', default: false },
      'no-doc': { type: 'boolean', default: false },
      ...Object.fromEntries(options.map((o) => [o, { type: 'string' as const }])),
    },
    strict: true,
  });
  return { quick: Boolean(values.quick), noDoc: Boolean(values['no-doc']), values };
}

export const numberList = (s: string | boolean | undefined, fallback: number[]): number[] =>
  typeof s === 'string' ? s.split(',').map((x) => Number(x.trim())).filter((x) => Number.isFinite(x) && x > 0) : fallback;

export const numberArg = (s: string | boolean | undefined, fallback: number): number =>
  typeof s === 'string' && Number.isFinite(Number(s)) ? Number(s) : fallback;

/** The exact command line, for the document (`npm run bench:x -- …` form). */
export function commandLine(script: string): string {
  const rest = process.argv.slice(2).join(' ');
  return `npm run bench:${script}${rest ? ` -- ${rest}` : ''}`;
}
