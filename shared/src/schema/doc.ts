/**
 * Typed access to a wall's Yjs document. Nothing else in the code base touches the root types by
 * name: read and write through these functions so that validation and the schema version hold.
 *
 * Layout of the document (docs/data-model.md):
 *   meta:    Y.Map  schemaVersion, title, template, createdAt
 *   notes:   Y.Map  noteId  → Y.Map { text, author, email, org, domainId, x, y, color, createdAt, ownerId }
 *   domains: Y.Map  domainId → Y.Map { title: {fr,en}, order, color }
 */
import * as Y from 'yjs';
import { newDomainId, newNoteId, type DomainId, type NoteId } from '../ids/index.ts';
import { MaillageError, ErrorCode } from '../errors/index.ts';
import { LIMITS } from './limits.ts';
import {
  DomainSchema,
  NoteInputSchema,
  NotePatchSchema,
  NoteSchema,
  BoardMetaSchema,
  type Domain,
  type Note,
  type NoteInput,
  type NotePatch,
  type BoardMeta,
} from './records.ts';
import { TEMPLATES, DOMAIN_COLORS, type TemplateId } from './templates.ts';
import { NOTE_COLORS } from './layout.ts';
import { SCHEMA_VERSION } from './migrations.ts';

export const ROOT = { meta: 'meta', notes: 'notes', domains: 'domains' } as const;

export interface Roots {
  meta: Y.Map<unknown>;
  notes: Y.Map<Y.Map<unknown>>;
  domains: Y.Map<Y.Map<unknown>>;
}

export function roots(doc: Y.Doc): Roots {
  return {
    meta: doc.getMap<unknown>(ROOT.meta),
    notes: doc.getMap<Y.Map<unknown>>(ROOT.notes),
    domains: doc.getMap<Y.Map<unknown>>(ROOT.domains),
  };
}

function invalid(what: string, err: { issues: { path: PropertyKey[]; message: string }[] }): MaillageError {
  const first = err.issues[0];
  const where = first && first.path.length ? ` (${first.path.map(String).join('.')})` : '';
  return new MaillageError(ErrorCode.BadRequest, `invalid ${what}${where}: ${first?.message ?? 'bad value'}`, err.issues);
}

/* ---------------------------------------------------------------- meta */

export function readMeta(doc: Y.Doc): BoardMeta | null {
  const parsed = BoardMetaSchema.safeParse(roots(doc).meta.toJSON());
  return parsed.success ? parsed.data : null;
}

export function setTitle(doc: Y.Doc, title: string, origin?: unknown): void {
  const t = title.trim().slice(0, LIMITS.boardTitle);
  doc.transact(() => roots(doc).meta.set('title', t), origin);
}

/** Fills a fresh document from a template. Called once, by the server, when a wall is created. */
export function initBoard(doc: Y.Doc, opts: { title: string; template: TemplateId; now?: number }): void {
  const tpl = TEMPLATES[opts.template];
  const { meta, domains } = roots(doc);
  doc.transact(() => {
    meta.set('schemaVersion', SCHEMA_VERSION);
    meta.set('title', opts.title.slice(0, LIMITS.boardTitle));
    meta.set('template', opts.template);
    meta.set('createdAt', opts.now ?? Date.now());
    tpl.domains.forEach((dt, i) => {
      domains.set(dt.key, domainMap({ id: dt.key, title: dt.title, order: i, color: dt.color }));
    });
  });
}

/* ---------------------------------------------------------------- domains */

function domainMap(d: Domain): Y.Map<unknown> {
  const m = new Y.Map<unknown>();
  m.set('title', { fr: d.title.fr, en: d.title.en });
  m.set('order', d.order);
  m.set('color', d.color);
  return m;
}

export function readDomain(id: string, m: Y.Map<unknown>): Domain | null {
  const parsed = DomainSchema.safeParse({ id, title: m.get('title'), order: m.get('order'), color: m.get('color') });
  return parsed.success ? parsed.data : null;
}

/** Domains in display order (ties broken by id so every client agrees). */
export function listDomains(doc: Y.Doc): Domain[] {
  const out: Domain[] = [];
  roots(doc).domains.forEach((m, id) => {
    const d = readDomain(id, m);
    if (d) out.push(d);
  });
  return out.sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : 1));
}

export function addDomain(
  doc: Y.Doc,
  input: { title: { fr: string; en: string }; color?: string; order?: number },
  origin?: unknown,
): DomainId {
  const existing = listDomains(doc);
  if (existing.length >= LIMITS.domainsPerBoard) {
    throw new MaillageError(ErrorCode.LimitReached, `a wall holds at most ${LIMITS.domainsPerBoard} domains`);
  }
  const id = newDomainId();
  const candidate = {
    id,
    title: input.title,
    order: input.order ?? (existing.length ? Math.max(...existing.map((d) => d.order)) + 1 : 0),
    color: input.color ?? (DOMAIN_COLORS[existing.length % DOMAIN_COLORS.length] as string),
  };
  const parsed = DomainSchema.safeParse(candidate);
  if (!parsed.success) throw invalid('domain', parsed.error);
  doc.transact(() => roots(doc).domains.set(id, domainMap(parsed.data)), origin);
  return id;
}

export function updateDomain(
  doc: Y.Doc,
  id: string,
  patch: Partial<Omit<Domain, 'id'>>,
  origin?: unknown,
): void {
  const m = roots(doc).domains.get(id);
  const current = m && readDomain(id, m);
  if (!m || !current) throw new MaillageError(ErrorCode.NotFound, 'no such domain');
  const parsed = DomainSchema.safeParse({ ...current, ...patch, id });
  if (!parsed.success) throw invalid('domain', parsed.error);
  doc.transact(() => {
    if (patch.title) m.set('title', { ...parsed.data.title });
    if (patch.order !== undefined) m.set('order', parsed.data.order);
    if (patch.color) m.set('color', parsed.data.color);
  }, origin);
}

/**
 * Removes a domain. Its notes move to `moveNotesTo`, or are deleted when it is null; a domain that
 * still holds notes cannot be removed without saying which (the UI asks).
 */
export function removeDomain(doc: Y.Doc, id: string, moveNotesTo: string | null | undefined, origin?: unknown): void {
  const { domains, notes } = roots(doc);
  if (!domains.has(id)) throw new MaillageError(ErrorCode.NotFound, 'no such domain');
  const inside = listNotes(doc).filter((n) => n.domainId === id);
  if (inside.length && moveNotesTo === undefined) {
    throw new MaillageError(ErrorCode.BadRequest, 'domain has notes: say where they go');
  }
  if (moveNotesTo && (!domains.has(moveNotesTo) || moveNotesTo === id)) {
    throw new MaillageError(ErrorCode.BadRequest, 'target domain does not exist');
  }
  doc.transact(() => {
    for (const n of inside) {
      if (moveNotesTo) notes.get(n.id)?.set('domainId', moveNotesTo);
      else notes.delete(n.id);
    }
    domains.delete(id);
  }, origin);
}

/**
 * Writes a domain under its own id, creating or replacing it (import of a whole wall).
 * @throws MaillageError bad_request for an invalid domain.
 */
export function putDomain(doc: Y.Doc, d: Domain, origin?: unknown): void {
  const parsed = DomainSchema.safeParse(d);
  if (!parsed.success) throw invalid('domain', parsed.error);
  doc.transact(() => roots(doc).domains.set(parsed.data.id, domainMap(parsed.data)), origin);
}

/* ---------------------------------------------------------------- notes */

export function readNote(id: string, m: Y.Map<unknown>): Note | null {
  const parsed = NoteSchema.safeParse({ ...m.toJSON(), id });
  return parsed.success ? parsed.data : null;
}

export function getNote(doc: Y.Doc, id: string): Note | null {
  const m = roots(doc).notes.get(id);
  return m ? readNote(id, m) : null;
}

/** Valid notes, oldest first. Malformed entries (e.g. written by an old client) are skipped. */
export function listNotes(doc: Y.Doc): Note[] {
  const out: Note[] = [];
  roots(doc).notes.forEach((m, id) => {
    const n = readNote(id, m);
    if (n) out.push(n);
  });
  return out.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
}

export function countNotes(doc: Y.Doc): number {
  return roots(doc).notes.size;
}

/**
 * Validates and adds a note in one transaction.
 * @throws MaillageError bad_request for an invalid note, limit_reached past LIMITS.notesPerBoard.
 */
export function addNote(doc: Y.Doc, input: NoteInput, origin?: unknown): NoteId {
  const { notes, domains } = roots(doc);
  if (notes.size >= LIMITS.notesPerBoard) {
    throw new MaillageError(ErrorCode.LimitReached, `a wall holds at most ${LIMITS.notesPerBoard} notes`);
  }
  const parsedInput = NoteInputSchema.safeParse(input);
  if (!parsedInput.success) throw invalid('note', parsedInput.error);
  if (!domains.has(parsedInput.data.domainId)) throw new MaillageError(ErrorCode.BadRequest, 'no such domain');
  const id = (parsedInput.data.id as NoteId | undefined) ?? newNoteId();
  const note: Note = {
    author: '',
    email: '',
    org: '',
    ownerId: '',
    x: 20,
    y: 100,
    color: NOTE_COLORS[0],
    createdAt: Date.now(),
    ...parsedInput.data,
    id,
  };
  const m = new Y.Map<unknown>();
  for (const [k, v] of Object.entries(note)) if (k !== 'id') m.set(k, v);
  doc.transact(() => notes.set(id, m), origin);
  return id;
}

/** @throws MaillageError not_found, bad_request. */
export function updateNote(doc: Y.Doc, id: string, patch: NotePatch, origin?: unknown): void {
  const m = roots(doc).notes.get(id);
  if (!m) throw new MaillageError(ErrorCode.NotFound, 'no such note');
  const parsed = NotePatchSchema.safeParse(patch);
  if (!parsed.success) throw invalid('note', parsed.error);
  if (parsed.data.domainId !== undefined && !roots(doc).domains.has(parsed.data.domainId)) {
    throw new MaillageError(ErrorCode.BadRequest, 'no such domain');
  }
  doc.transact(() => {
    for (const [k, v] of Object.entries(parsed.data)) {
      if (v !== undefined && m.get(k) !== v) m.set(k, v);
    }
  }, origin);
}

export function deleteNote(doc: Y.Doc, id: string, origin?: unknown): void {
  doc.transact(() => roots(doc).notes.delete(id), origin);
}

/** Summary served by `GET /api/boards/:id`. */
export function boardSummary(doc: Y.Doc): { title: string; template: string; domains: Domain[]; noteCount: number } {
  const meta = readMeta(doc);
  return {
    title: meta?.title ?? '',
    template: meta?.template ?? 'blank',
    domains: listDomains(doc),
    noteCount: countNotes(doc),
  };
}
