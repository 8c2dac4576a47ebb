/**
 * The JSON export of a whole wall (`GET /api/boards/:id/export.json`) and its re-import into a
 * new wall (`POST /api/boards/import`). One validator, used by the server on import and usable by
 * any client that reads an export. Format documented in docs/export.md.
 *
 * Note ids, owner ids and creation times are kept, so that clusters and relations still point at
 * their notes and participants' devices still own their notes in the new wall.
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { ErrorCode, MaillageError } from '../errors/index.ts';
import { LIMITS } from './limits.ts';
import { TEMPLATE_IDS } from './templates.ts';
import { DomainSchema, NoteSchema } from './records.ts';
import { ClusterSchema, RelationSchema, clustersMap, putCluster, relationsMap, type Relation } from './clusters.ts';
import { addDomain, addNote, putDomain, roots } from './doc.ts';
import { readWall, type ReadProblem } from './read.ts';
import { SCHEMA_VERSION } from './migrations.ts';

export const WALL_EXPORT_FORMAT = 'maillage-wall';
export const WALL_EXPORT_VERSION = 1;

export const WallExportSchema = z
  .object({
    format: z.literal(WALL_EXPORT_FORMAT),
    version: z.literal(WALL_EXPORT_VERSION),
    /** ISO 8601 time of the export (informative). */
    exportedAt: z.string().max(40).optional(),
    title: z.string().max(LIMITS.boardTitle),
    template: z.enum(TEMPLATE_IDS),
    /** When the original wall was created (ms). */
    createdAt: z.number().int().nonnegative(),
    domains: z.array(DomainSchema).max(LIMITS.domainsPerBoard),
    notes: z.array(NoteSchema).max(LIMITS.notesPerBoard),
    /** Accepted clusters (suggestions never enter the wall). */
    clusters: z.array(ClusterSchema).max(LIMITS.notesPerBoard).default([]),
    /** Relations drawn between notes. */
    relations: z.array(RelationSchema).max(LIMITS.notesPerBoard * 4).default([]),
    /** Dot-vote counts per note id at export time (informative: not re-imported). */
    votes: z.record(z.string(), z.number().int().nonnegative()).optional(),
  })
  .superRefine((w, ctx) => {
    const domainIds = new Set<string>();
    w.domains.forEach((d, i) => {
      if (domainIds.has(d.id)) ctx.addIssue({ code: 'custom', path: ['domains', i, 'id'], message: 'duplicate domain id' });
      domainIds.add(d.id);
    });
    // A note whose domain is not in the file is valid: walls can hold such notes (their domain was
    // removed by an old client) and exports keep them; `importWall` files them under "no domain".
    const noteIds = new Set<string>();
    w.notes.forEach((n, i) => {
      if (noteIds.has(n.id)) ctx.addIssue({ code: 'custom', path: ['notes', i, 'id'], message: 'duplicate note id' });
      noteIds.add(n.id);
    });
  });
export type WallExport = z.infer<typeof WallExportSchema>;

export interface ExportOptions {
  /** Keep emails (the viewer may see them); blanked otherwise. */
  emails: boolean;
  /** Dot counts per note id (from the session settings), if any. */
  votes?: Record<string, number>;
  now?: number;
}

/**
 * The wall as an export, read with the lenient reader (read.ts): every note the wall shows is
 * in it, including notes without `ownerId`/`org` and notes whose domain is gone. `problems` lists
 * the records left out (safe to log). Never throws on document content.
 */
export function readWallExport(doc: Y.Doc, opts: ExportOptions): { wall: WallExport; problems: ReadProblem[] } {
  const read = readWall(doc);
  const notes = read.notes.map((n) => (opts.emails ? n : { ...n, email: '' }));
  const ids = new Set(notes.map((n) => n.id));
  const votes = Object.fromEntries(
    Object.entries(opts.votes ?? {}).filter(([id, c]) => ids.has(id) && typeof c === 'number' && Number.isInteger(c) && c > 0),
  );
  const wall: WallExport = {
    format: WALL_EXPORT_FORMAT,
    version: WALL_EXPORT_VERSION,
    exportedAt: new Date(opts.now ?? Date.now()).toISOString(),
    title: read.meta.title,
    template: read.meta.template,
    createdAt: read.meta.createdAt,
    domains: read.domains.slice(0, LIMITS.domainsPerBoard),
    notes,
    clusters: read.clusters,
    relations: read.relations,
    ...(Object.keys(votes).length ? { votes } : {}),
  };
  return { wall, problems: read.problems };
}

/** `readWallExport` without the problems (callers that do not log). */
export function exportWall(doc: Y.Doc, opts: ExportOptions): WallExport {
  return readWallExport(doc, opts).wall;
}

/**
 * Parses an export; @throws MaillageError bad_request naming the first problem.
 */
export function parseWallExport(raw: unknown): WallExport {
  const parsed = WallExportSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first?.path.length ? `${first.path.map(String).join('.')}: ` : '';
    throw new MaillageError(ErrorCode.BadRequest, `invalid wall export: ${where}${first?.message ?? 'bad value'}`, parsed.error.issues);
  }
  return parsed.data;
}

/**
 * Makes `doc` hold exactly the exported wall (meta, domains, notes, clusters), in one transaction.
 * Meant for a fresh document; votes are not imported (they are session state, not content).
 */
export function importWall(doc: Y.Doc, w: WallExport, origin?: unknown): void {
  const { meta, notes, domains } = roots(doc);
  const clusters = clustersMap(doc);
  const relations = relationsMap(doc);
  const domainIds = new Set(w.domains.map((d) => d.id));
  doc.transact(() => {
    for (const root of [notes, domains, clusters, relations]) for (const k of Array.from(root.keys())) root.delete(k);
    meta.set('schemaVersion', SCHEMA_VERSION);
    meta.set('title', w.title.slice(0, LIMITS.boardTitle));
    meta.set('template', w.template);
    meta.set('createdAt', w.createdAt);
    for (const d of w.domains) putDomain(doc, d, origin);
    const orphanHome = homeForNotesWithoutDomain(doc, w, origin);
    for (const n of w.notes) addNote(doc, orphanHome && !domainIds.has(n.domainId) ? { ...n, domainId: orphanHome } : n, origin);
    const imported = new Set(w.notes.map((n) => n.id));
    for (const c of w.clusters) putCluster(doc, { ...c, noteIds: c.noteIds.filter((id) => imported.has(id)) }, origin);
    for (const r of w.relations) if (imported.has(r.from) && imported.has(r.to)) putRelation(relations, r);
  }, origin);
}

/** Title of the domain that receives imported notes whose domain is not in the file. */
export const NO_DOMAIN_TITLE = { fr: 'Sans domaine', en: 'No domain' } as const;

/**
 * Where imported notes without a domain go: a new "no domain" column, or the last column when
 * the wall already has as many as it may. Null when every note has its domain.
 */
function homeForNotesWithoutDomain(doc: Y.Doc, w: WallExport, origin: unknown): string | null {
  const ids = new Set(w.domains.map((d) => d.id));
  if (w.notes.every((n) => ids.has(n.domainId))) return null;
  if (w.domains.length >= LIMITS.domainsPerBoard) return w.domains.at(-1)?.id ?? null;
  const order = w.domains.length ? Math.max(...w.domains.map((d) => d.order)) + 1 : 0;
  return addDomain(doc, { title: { ...NO_DOMAIN_TITLE }, order, color: '#e5e7eb' }, origin);
}

function putRelation(relations: Y.Map<Y.Map<unknown>>, r: Relation): void {
  const m = new Y.Map<unknown>();
  for (const [k, v] of Object.entries(r)) if (k !== 'id') m.set(k, v);
  relations.set(r.id, m);
}
