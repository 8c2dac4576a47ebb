/**
 * Looking for personal data in what the server keeps (issue 13 "Erase means erase", docs/spec.md
 * R82–R83): every byte of every file under the data folder (the SQLite file, its WAL and
 * shared-memory files, anything else the server writes there), and every row of every table of a
 * PostgreSQL schema as text. Markers are unique per test, so any hit is the erased data.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { randomToken } from '@maillage/shared';

/** Strings that cannot occur by chance: one tag per call, ASCII only (so bytes and text agree). */
export function personalMarkers(label: string) {
  const tag = randomToken(10).replace(/[^A-Za-z0-9]/g, 'x').toLowerCase();
  return {
    tag,
    text: `Atelier ${label} ${tag} confidentiel`,
    text2: `Second atelier ${label} ${tag} prive`,
    privateText: `Note privee ${label} ${tag} en attente`,
    email: `erase.${label}.${tag}@gone-${tag}.example`,
    /** The person's name and organisation as a co-author on someone else's note. */
    coName: `Coauteur ${label} ${tag}`,
    coOrg: `Organisme ${label} ${tag}`,
  };
}

/** Every regular file under `dir`, recursively. */
export function allFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...allFiles(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/**
 * Which of `needles` occur anywhere in the data folder, as UTF-8 or UTF-16LE bytes, with the file
 * they were found in (`needle @ file`). A file that vanishes while being read is skipped.
 */
export function dataDirHits(dir: string, needles: readonly string[]): string[] {
  const hits: string[] = [];
  for (const file of allFiles(dir)) {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch {
      continue;
    }
    for (const n of needles) {
      if (bytes.includes(Buffer.from(n, 'utf8')) || bytes.includes(Buffer.from(n, 'utf16le'))) hits.push(`${n} @ ${path.basename(file)}`);
    }
  }
  return hits;
}

/**
 * Which of `needles` occur in any row of any table of `schema`: each row as text
 * (`SELECT t::text`), where a bytea column appears hex-encoded, so the needle is searched both as
 * is and as hex; bytea columns are also read as raw bytes. Returns `needle @ table`.
 */
export async function pgHits(url: string, schema: string, needles: readonly string[]): Promise<string[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const tables = await c.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY 1`,
      [schema],
    );
    const hits = new Set<string>();
    for (const { table_name: table } of tables.rows) {
      const q = `"${schema}"."${table.replace(/"/g, '""')}"`;
      const rows = await c.query<{ row: string }>(`SELECT t::text AS row FROM ${q} t`);
      const byteCols = await c.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 AND data_type = 'bytea'`,
        [schema, table],
      );
      const raw: Buffer[] = [];
      for (const { column_name: col } of byteCols.rows) {
        const r = await c.query<{ b: Buffer | null }>(`SELECT "${col.replace(/"/g, '""')}" AS b FROM ${q}`);
        for (const x of r.rows) if (x.b) raw.push(x.b);
      }
      for (const n of needles) {
        const hex = Buffer.from(n, 'utf8').toString('hex');
        const inText = rows.rows.some((r) => r.row.toLowerCase().includes(n.toLowerCase()) || r.row.toLowerCase().includes(hex));
        const inBytes = raw.some((b) => b.includes(Buffer.from(n, 'utf8')));
        if (inText || inBytes) hits.add(`${n} @ ${table}`);
      }
    }
    return [...hits];
  } finally {
    await c.end();
  }
}

/**
 * Re-runs `scan` until it finds nothing or `ms` have passed (the server erases asynchronously:
 * compaction within ~1 s, checkpoint after), and returns the last result.
 */
export async function pollUntilNone(scan: () => string[] | Promise<string[]>, ms = 5000): Promise<string[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const hits = await scan();
    if (!hits.length || Date.now() > deadline) return hits;
    await new Promise((r) => setTimeout(r, 200));
  }
}
