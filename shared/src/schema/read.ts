/**
 * The one lenient reader of a wall's document: what the wall shows, what every export, snapshot,
 * clustering job and review view lists. The strict validators (records.ts) decide what may be
 * *written*; this decides what can be *read back* from whatever a document ended up holding — a
 * stock y-websocket client's note without `ownerId`/`org`, a record from an old or broken client,
 * a crafted update that reached the store before the write rules existed.
 *
 * Rules (docs/spec.md R58–R59):
 * - A note is a `Y.Map` under `notes` with a string `text` and a non-empty string `domainId`.
 *   Every other field has a default when missing or unusable (author, email, org, ownerId '',
 *   colour, position, creation time 0), so the note is shown rather than dropped. Any
 *   other value (a plain string, a Y.Array, a note without text) is skipped and *reported*.
 * - Notes whose domain is gone are kept (exports file them under "no domain").
 * - Domains, clusters, relations and meta get the same treatment; a cluster's noteIds and a
 *   relation's ends are resolved against the notes actually read.
 *
 * Nothing here throws on document content, and a problem names only the root, the key and a
 * fixed reason, never a value: callers log problems as they are (no personal data).
 */
import * as Y from 'yjs';
import { LIMITS } from './limits.ts';
import { DOMAIN_COLORS, TEMPLATE_IDS, type TemplateId } from './templates.ts';
import { EmailSchema, NOTE_DEFAULTS, type BoardMeta, type Domain, type Note, type Person } from './records.ts';
import type { Cluster, Relation } from './clusters.ts';

/** A record the reader could not use, or used only in part. Safe to log as is. */
export interface ReadProblem {
  /** Root map: 'notes', 'domains', 'clusters', 'relations' or 'meta'. */
  root: string;
  /** Key of the record in its root map (an id, never content). */
  key: string;
  /** Fixed wording naming the field, never its value (e.g. "not a map (string)", "text: missing"). */
  reason: string;
}

/** Everything the wall shows, plus what had to be left out. */
export interface WallRead {
  meta: BoardMeta;
  /** In display order. */
  domains: Domain[];
  /** Oldest first (ties by id, so every reader agrees). */
  notes: Note[];
  /** Best first; noteIds only name notes in `notes`. */
  clusters: Cluster[];
  /** Oldest first; both ends are notes in `notes`. */
  relations: Relation[];
  problems: ReadProblem[];
}

/**
 * Defaults the reader fills into a note that lacks an optional field: the server's (records.ts)
 * plus an empty owner (a note nobody's device owns; hosts can still edit it).
 */
export const READ_NOTE_DEFAULTS = { ...NOTE_DEFAULTS, ownerId: '' } as const;

export type ReadResult<T> = { ok: true; value: T } | { ok: false; reason: string };

const HEX = /^#[0-9a-fA-F]{6}$/;
const COORD_MAX = 1e6;

/** What kind of value sits where a record should be, for a problem's reason. */
function kindOf(v: unknown): string {
  if (v instanceof Y.Array) return 'Y.Array';
  if (v instanceof Y.Text) return 'Y.Text';
  if (v instanceof Y.XmlFragment || v instanceof Y.XmlElement || v instanceof Y.XmlText) return 'Y.Xml';
  if (v instanceof Y.AbstractType) return 'Y type';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (v instanceof Uint8Array) return 'binary';
  return typeof v;
}

/** The plain fields of a record held as a Y.Map; null (with the reason) for anything else. */
function fieldsOf(value: unknown): ReadResult<Record<string, unknown>> {
  if (!(value instanceof Y.Map)) return { ok: false, reason: `not a map (${kindOf(value)})` };
  try {
    const json = (value as Y.Map<unknown>).toJSON() as unknown;
    if (json && typeof json === 'object' && !Array.isArray(json)) return { ok: true, value: json as Record<string, unknown> };
  } catch {
    /* a content type toJSON cannot read: reported below */
  }
  return { ok: false, reason: 'unreadable map' };
}

const str = (v: unknown, max: number): string | null => (typeof v === 'string' ? v.slice(0, max) : null);
const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const coord = (v: unknown, fallback: number): number => {
  const n = finite(v);
  return n !== null && Math.abs(n) <= COORD_MAX ? n : fallback;
};
const time = (v: unknown): number | null => {
  const n = finite(v);
  return n !== null && n >= 0 ? Math.floor(n) : null;
};
const validId = (id: string): boolean => id.length >= 1 && id.length <= 64;

function person(v: unknown): Person | null {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
  const p = v as Record<string, unknown>;
  const email = EmailSchema.safeParse(p.email ?? '');
  const ownerId = str(p.ownerId, 64);
  return {
    author: (str(p.author, LIMITS.personField) ?? '').trim(),
    email: email.success ? email.data : '',
    org: (str(p.org, LIMITS.personField) ?? '').trim(),
    // The co-author's author id: their contact details are kept under it (issue 13).
    ...(ownerId ? { ownerId } : {}),
  };
}

/**
 * One note as the wall shows it, from the value stored under `notes[id]`. Never throws.
 * Optional fields that are missing or unusable get `READ_NOTE_DEFAULTS`; a long text is cut to the limit.
 */
export function readNoteLenient(id: string, value: unknown): ReadResult<Note> {
  if (!validId(id)) return { ok: false, reason: 'bad id' };
  const f = fieldsOf(value);
  if (!f.ok) return f;
  const r = f.value;
  const text = str(r.text, LIMITS.noteText);
  if (text === null) return { ok: false, reason: r.text === undefined ? 'text: missing' : `text: ${kindOf(r.text)}` };
  const domainId = typeof r.domainId === 'string' && validId(r.domainId) ? r.domainId : null;
  if (domainId === null) return { ok: false, reason: r.domainId === undefined ? 'domainId: missing' : 'domainId: invalid' };
  // Without a usable creation time the note is still shown (first in time order).
  const createdAt = time(r.createdAt) ?? 0;
  const email = typeof r.email === 'string' ? EmailSchema.safeParse(r.email) : null;
  const ownerId = str(r.ownerId, 1000);
  const note: Note = {
    id,
    text,
    author: str(r.author, LIMITS.personField) ?? READ_NOTE_DEFAULTS.author,
    email: email?.success ? email.data : READ_NOTE_DEFAULTS.email,
    org: str(r.org, LIMITS.personField) ?? READ_NOTE_DEFAULTS.org,
    domainId,
    x: coord(r.x, READ_NOTE_DEFAULTS.x),
    y: coord(r.y, READ_NOTE_DEFAULTS.y),
    color: typeof r.color === 'string' && HEX.test(r.color) ? r.color : READ_NOTE_DEFAULTS.color,
    createdAt,
    ownerId: ownerId !== null && ownerId.length <= 64 ? ownerId : READ_NOTE_DEFAULTS.ownerId,
  };
  if (Array.isArray(r.coauthors)) {
    const coauthors = r.coauthors.map(person).filter((p): p is Person => p !== null).slice(0, LIMITS.coauthorsPerNote);
    if (coauthors.length) note.coauthors = coauthors;
  }
  return { ok: true, value: note };
}

/** One domain (column), from the value under `domains[id]`; `index` orders one without `order`. */
export function readDomainLenient(id: string, value: unknown, index = 0): ReadResult<Domain> {
  if (!validId(id)) return { ok: false, reason: 'bad id' };
  const f = fieldsOf(value);
  if (!f.ok) return f;
  const r = f.value;
  let fr = '';
  let en = '';
  if (typeof r.title === 'string') fr = en = r.title;
  else if (r.title && typeof r.title === 'object') {
    const t = r.title as Record<string, unknown>;
    fr = str(t.fr, LIMITS.domainTitle) ?? '';
    en = str(t.en, LIMITS.domainTitle) ?? '';
  }
  fr = fr.trim().slice(0, LIMITS.domainTitle);
  en = en.trim().slice(0, LIMITS.domainTitle);
  return {
    ok: true,
    value: {
      id,
      title: { fr: fr || en, en: en || fr },
      order: finite(r.order) ?? 1e6 + index,
      color: typeof r.color === 'string' && HEX.test(r.color) ? r.color : (DOMAIN_COLORS[index % DOMAIN_COLORS.length] as string),
    },
  };
}

/** The wall's title, template and creation time, with defaults for whatever is missing. */
export function readMetaLenient(doc: Y.Doc): BoardMeta {
  let r: Record<string, unknown> = {};
  try {
    r = doc.getMap<unknown>('meta').toJSON() as Record<string, unknown>;
  } catch {
    /* a root of another type: defaults */
  }
  const template = (TEMPLATE_IDS as readonly unknown[]).includes(r.template) ? (r.template as TemplateId) : 'blank';
  const version = finite(r.schemaVersion);
  return {
    schemaVersion: version !== null && version >= 0 ? Math.floor(version) : 0,
    title: str(r.title, LIMITS.boardTitle) ?? '',
    template,
    createdAt: time(r.createdAt) ?? 0,
  };
}

/** Entries of a root map, or none when the root is not a map (a crafted document). */
function entries(doc: Y.Doc, root: string, problems: ReadProblem[]): [string, unknown][] {
  try {
    return Array.from(doc.getMap<unknown>(root).entries());
  } catch {
    problems.push({ root, key: '', reason: 'root is not a map' });
    return [];
  }
}

/** Every note the wall shows, oldest first, with the entries that had to be skipped. */
export function readNotes(doc: Y.Doc): { notes: Note[]; problems: ReadProblem[] } {
  const problems: ReadProblem[] = [];
  const notes: Note[] = [];
  for (const [key, value] of entries(doc, 'notes', problems)) {
    const n = readNoteLenient(key, value);
    if (n.ok) notes.push(n.value);
    else problems.push({ root: 'notes', key, reason: n.reason });
  }
  notes.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { notes, problems };
}

/** Domains in display order (ties by id), with the entries that had to be skipped. */
export function readDomains(doc: Y.Doc): { domains: Domain[]; problems: ReadProblem[] } {
  const problems: ReadProblem[] = [];
  const domains: Domain[] = [];
  entries(doc, 'domains', problems).forEach(([key, value], i) => {
    const d = readDomainLenient(key, value, i);
    if (d.ok) domains.push(d.value);
    else problems.push({ root: 'domains', key, reason: d.reason });
  });
  domains.sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { domains, problems };
}

function readCluster(id: string, value: unknown, noteIds: ReadonlySet<string>, problems: ReadProblem[]): Cluster | null {
  const bad = (reason: string) => (problems.push({ root: 'clusters', key: id, reason }), null);
  if (!validId(id)) return bad('bad id');
  const f = fieldsOf(value);
  if (!f.ok) return bad(f.reason);
  const r = f.value;
  if (!Array.isArray(r.noteIds)) return bad(r.noteIds === undefined ? 'noteIds: missing' : `noteIds: ${kindOf(r.noteIds)}`);
  const strings = r.noteIds.filter((x): x is string => typeof x === 'string');
  if (strings.length !== r.noteIds.length) problems.push({ root: 'clusters', key: id, reason: 'noteIds: entries that are not ids dropped' });
  // Ids of deleted notes are normal (a note deleted after the cluster was accepted): dropped quietly.
  const members = Array.from(new Set(strings.filter((n) => noteIds.has(n))));
  const terms = Array.isArray(r.terms) ? r.terms.filter((t): t is string => typeof t === 'string' && t.length <= 60).slice(0, 20) : [];
  const score = finite(r.score);
  return {
    id,
    label: str(r.label, 120) ?? '',
    noteIds: members,
    terms,
    score: score === null ? 0 : Math.min(1, Math.max(0, score)),
    createdAt: time(r.createdAt) ?? 0,
  };
}

function readRelation(id: string, value: unknown, noteIds: ReadonlySet<string>, problems: ReadProblem[]): Relation | null {
  const bad = (reason: string) => (problems.push({ root: 'relations', key: id, reason }), null);
  if (!validId(id)) return bad('bad id');
  const f = fieldsOf(value);
  if (!f.ok) return bad(f.reason);
  const r = f.value;
  if (typeof r.from !== 'string' || typeof r.to !== 'string') return bad('from/to: not ids');
  if (!noteIds.has(r.from) || !noteIds.has(r.to)) return bad('from/to: no such note');
  if (r.from === r.to) return bad('from/to: same note');
  const ownerId = str(r.ownerId, 1000);
  return {
    id,
    from: r.from,
    to: r.to,
    label: str(r.label, 80) ?? '',
    ownerId: ownerId !== null && ownerId.length <= 64 ? ownerId : '',
    createdAt: time(r.createdAt) ?? 0,
  };
}

/**
 * The whole wall as it is shown, read leniently (see the module comment). Never throws on
 * document content. Callers log `problems` (they carry no personal data) and carry on.
 */
export function readWall(doc: Y.Doc): WallRead {
  const { notes, problems } = readNotes(doc);
  const domains = readDomains(doc);
  problems.push(...domains.problems);
  const ids = new Set(notes.map((n) => n.id));
  const clusters: Cluster[] = [];
  for (const [key, value] of entries(doc, 'clusters', problems)) {
    const c = readCluster(key, value, ids, problems);
    if (c) clusters.push(c);
  }
  clusters.sort((a, b) => b.score - a.score || a.label.localeCompare(b.label) || (a.id < b.id ? -1 : 1));
  const relations: Relation[] = [];
  for (const [key, value] of entries(doc, 'relations', problems)) {
    const r = readRelation(key, value, ids, problems);
    if (r) relations.push(r);
  }
  relations.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  return { meta: readMetaLenient(doc), domains: domains.domains, notes, clusters, relations, problems };
}

/** Notes whose domain is not one of `domains` (shown and exported under "no domain"). */
export function notesWithoutDomain(notes: readonly Note[], domains: readonly Domain[]): Note[] {
  const known = new Set(domains.map((d) => d.id));
  return notes.filter((n) => !known.has(n.domainId));
}
