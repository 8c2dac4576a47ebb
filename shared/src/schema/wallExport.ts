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
import { DomainSchema, NoteSchema, type Domain } from './records.ts';
import { ClusterSchema, RelationSchema, clustersMap, putCluster, relationsMap, type Relation } from './clusters.ts';
import { addNote, putDomain, roots } from './doc.ts';
import { notesWithoutDomain, readWall, type ReadProblem } from './read.ts';
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
    const noteIds = new Set<string>();
    w.notes.forEach((n, i) => {
      if (noteIds.has(n.id)) ctx.addIssue({ code: 'custom', path: ['notes', i, 'id'], message: 'duplicate note id' });
      noteIds.add(n.id);
      if (!domainIds.has(n.domainId)) ctx.addIssue({ code: 'custom', path: ['notes', i, 'domainId'], message: 'no such domain' });
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

/** Id and title of the column an export files notes under when their domain is gone. */
export const NO_DOMAIN_ID = '_no-domain';
export const NO_DOMAIN_TITLE = { fr: 'Sans domaine', en: 'No domain' } as const;

/**
 * The wall as an export, read with the lenient reader (read.ts): every note the wall shows is
 * in it, including notes without `ownerId`/`org`. Notes whose domain is gone are filed under an
 * extra "Sans domaine / No domain" domain (`NO_DOMAIN_ID`), so the export stays valid and
 * re-imports. `problems` lists the records left out (safe to log). Never throws on content.
 */
export function readWallExport(doc: Y.Doc, opts: ExportOptions): { wall: WallExport; problems: ReadProblem[] } {
  const read = readWall(doc);
  const orphans = new Set(notesWithoutDomain(read.notes, read.domains).map((n) => n.id));
  let domains = read.domains.slice(0, LIMITS.domainsPerBoard);
  const home = (room: Domain[]): Domain => ({
    id: NO_DOMAIN_ID,
    title: { ...NO_DOMAIN_TITLE },
    order: room.length ? Math.max(...room.map((d) => d.order)) + 1 : 0,
    color: '#e5e7eb',
  });
  // Notes of domains past the limit have no column either.
  const kept = new Set(domains.map((d) => d.id));
  for (const n of read.notes) if (!kept.has(n.domainId)) orphans.add(n.id);
  if (orphans.size && !kept.has(NO_DOMAIN_ID)) {
    if (domains.length >= LIMITS.domainsPerBoard) {
      domains = domains.slice(0, LIMITS.domainsPerBoard - 1);
      const left = new Set(domains.map((d) => d.id));
      for (const n of read.notes) if (!left.has(n.domainId)) orphans.add(n.id);
    }
    domains = [...domains, home(domains)];
  }
  const notes = read.notes.map((n) => {
    const filed = orphans.has(n.id) ? { ...n, domainId: NO_DOMAIN_ID } : n;
    return opts.emails ? filed : { ...filed, email: '' };
  });
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
    domains,
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
  doc.transact(() => {
    for (const root of [notes, domains, clusters, relations]) for (const k of Array.from(root.keys())) root.delete(k);
    meta.set('schemaVersion', SCHEMA_VERSION);
    meta.set('title', w.title.slice(0, LIMITS.boardTitle));
    meta.set('template', w.template);
    meta.set('createdAt', w.createdAt);
    for (const d of w.domains) putDomain(doc, d, origin);
    for (const n of w.notes) addNote(doc, n, origin);
    const imported = new Set(w.notes.map((n) => n.id));
    for (const c of w.clusters) putCluster(doc, { ...c, noteIds: c.noteIds.filter((id) => imported.has(id)) }, origin);
    for (const r of w.relations) if (imported.has(r.from) && imported.has(r.to)) putRelation(relations, r);
  }, origin);
}

function putRelation(relations: Y.Map<Y.Map<unknown>>, r: Relation): void {
  const m = new Y.Map<unknown>();
  for (const [k, v] of Object.entries(r)) if (k !== 'id') m.set(k, v);
  relations.set(r.id, m);
}
