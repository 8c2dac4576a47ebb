/**
 * Command line: `npm run cluster -- notes.jsonl`. Reads one JSON note per line ({"id","text"},
 * optionally "org", "domainId", "author"; other fields are ignored, blank lines skipped) and
 * prints `{"clusters":[{"id","label","noteIds",…}]}` on stdout, nothing else. A bad line is
 * reported on stderr with its line number, exit code 1.
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { clusterNotes } from './clusterNotes.ts';
import type { ClusterNote } from './types.ts';

/** A problem with the input, reported as `<file>:<line>: <message>`. */
export class InputLineError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'InputLineError';
  }
}

/**
 * Parses JSON Lines into notes.
 *
 * @throws InputLineError for a line that is not a JSON object with string "id" and "text", or
 *   that repeats an id.
 */
export function parseNotes(source: string): ClusterNote[] {
  const notes: ClusterNote[] = [];
  const lines = new Map<string, number>();
  source.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (!raw.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      throw new InputLineError(line, `invalid JSON (${(err as Error).message})`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputLineError(line, 'expected a JSON object');
    const { id, text, org, domainId, author } = value as Record<string, unknown>;
    if (typeof id !== 'string' || id === '') throw new InputLineError(line, '"id" must be a non-empty string');
    if (typeof text !== 'string') throw new InputLineError(line, '"text" must be a string');
    const first = lines.get(id);
    if (first !== undefined) throw new InputLineError(line, `duplicate id "${id}" (first on line ${first})`);
    lines.set(id, line);
    const opt = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
    notes.push({ id, text, ...(opt(org) ? { org: opt(org) } : {}), ...(opt(domainId) ? { domainId: opt(domainId) } : {}), ...(opt(author) ? { author: opt(author) } : {}) });
  });
  return notes;
}

/** Runs the CLI; returns the exit code. */
export async function main(args: readonly string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const file = args[0];
  if (!file || args.length > 1) {
    err.write('usage: npm run cluster -- <notes.jsonl>\n');
    return 2;
  }
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (e) {
    err.write(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})\n`);
    return 1;
  }
  try {
    const result = clusterNotes(parseNotes(source));
    const clusters = result.clusters.map(({ id, label, noteIds, score, terms, orgCount, domainCount }) => ({ id, label, noteIds, score, terms, orgCount, domainCount }));
    out.write(`${JSON.stringify({ clusters })}\n`);
    return 0;
  } catch (e) {
    err.write(e instanceof InputLineError ? `${file}:${e.line}: ${e.message}\n` : `${file}: ${(e as Error).message}\n`);
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2), process.stdout, process.stderr);
}
