/**
 * Who may change what in the live document (docs/security.md; docs/spec.md R11–R14, R50–R51).
 * One verdict per changed record, from the record as it was and as the sender would leave it —
 * the net effect (netEffect.ts), never the structs the sender replayed:
 *
 *  - review links change nothing (their updates are not even applied: protocol.ts);
 *  - participants create notes and connectors that they own, change and delete only their own,
 *    nothing while the wall is locked, no new notes in the document while private writing is on;
 *  - hosts change anything;
 *  - for everyone, every record kept passes the shared schema (strict: no unknown field), an
 *    owner and a creation time never change, and the wall's size limits hold.
 *
 * A verdict either refuses the whole record (it is put back as it was), or accepts it with some
 * fields put back (an edit that also tried to change its owner keeps the edit) and some fields
 * filled in (what the server derives: the owner, and defaults a stock client may omit).
 */
import {
  BoardMetaSchema,
  ClusterSchema,
  DomainSchema,
  LIMITS,
  NOTE_DEFAULTS,
  NoteSchema,
  RelationSchema,
  WriteRefusal,
  type Role,
} from '@maillage/shared';
import type { z } from 'zod';
import { plainFields, type FieldValue, type RecordChange, type RecordRoot } from './netEffect.ts';

export interface JudgeContext {
  role: Role;
  /** Owner id of the connection (derived by the server), or null when it has none. */
  ownerId: string | null;
  locked: boolean;
  privateWriting: boolean;
  /**
   * Take emails out of the document (issue 13): an email written on a note (or a co-author) is
   * handed to the contact store and removed from the record in the same transaction.
   */
  takeContacts?: boolean;
}

export type Verdict =
  | { accept: false; reason: WriteRefusal; detail: string }
  | {
      accept: true;
      /** Fields put back to their value before the update, each with why. */
      revert: { field: string; reason: WriteRefusal; detail: string }[];
      /** Fields the server sets on the record (derived or defaulted). */
      fill: Record<string, unknown>;
    };

const refuse = (reason: WriteRefusal, detail: string): Verdict => ({ accept: false, reason, detail });
const ACCEPT: Verdict = { accept: true, revert: [], fill: {} };

type ObjectSchema = z.ZodObject<Record<string, z.ZodType>>;

interface RecordKind {
  schema: ObjectSchema;
  /** The same schema refusing unknown fields, built once (zod compiles a parser per `.strict()`). */
  strict: ObjectSchema;
  /** Fields nobody changes once the record exists. */
  immutable: ReadonlySet<string>;
  /** Fields only hosts write. */
  hostOnly: ReadonlySet<string>;
  /** Whether participants own records of this kind (notes, connectors) or only hosts write them. */
  owned: boolean;
}

function kind(schema: unknown, immutable: string[], hostOnly: string[], owned: boolean): RecordKind {
  const s = schema as ObjectSchema;
  return { schema: s, strict: s.strict(), immutable: new Set(immutable), hostOnly: new Set(hostOnly), owned };
}

const KINDS: Record<Exclude<RecordRoot, 'meta'>, RecordKind> = {
  notes: kind(NoteSchema, ['ownerId', 'createdAt'], ['coauthors'], true),
  relations: kind(RelationSchema, ['ownerId', 'createdAt', 'from', 'to'], [], true),
  domains: kind(DomainSchema, [], [], false),
  clusters: kind(ClusterSchema, ['createdAt'], [], false),
};

/** Meta fields a host may change through the document; the rest is the server's. */
const META_WRITABLE = new Set(['title']);

/** Whether one field's value passes its schema (unknown fields never do). */
function fieldProblem(kind: RecordKind, field: string, v: FieldValue | undefined): string | null {
  if (field === 'id') return 'the id is the key';
  const schema = kind.schema.shape[field];
  if (!schema) return `unknown field ${field.slice(0, 32)}`;
  if (!v) return schema.safeParse(undefined).success ? null : `${field} cannot be removed`;
  if (!v.ok) return `${field} holds ${v.what}`;
  return schema.safeParse(v.value).success ? null : `invalid ${field}`;
}

/** Whole-record validation: every field usable, the strict schema passes with the key as id. */
function recordProblem(kind: RecordKind, key: string, fields: Map<string, FieldValue>, fill: Record<string, unknown>): string | null {
  const obj: Record<string, unknown> = { ...fill };
  for (const [f, v] of fields) {
    if (f in fill) continue;
    if (!v.ok) return `${f} holds ${v.what}`;
    obj[f] = v.value;
  }
  if ('id' in obj) return 'the id is the key';
  const parsed = kind.strict.safeParse({ ...obj, id: key });
  if (parsed.success) return null;
  const first = parsed.error.issues[0];
  return `invalid ${first?.path.map(String).join('.') || 'record'}: ${first?.message ?? 'bad value'}`;
}

/** What the server fills in on a record being created: derived owner, defaults, creation time. */
function fillFor(root: RecordRoot, fields: Map<string, FieldValue>, ctx: JudgeContext, now: number): Record<string, unknown> {
  const fill: Record<string, unknown> = {};
  if (root === 'notes' || root === 'relations') {
    if (!fields.has('ownerId')) fill.ownerId = ctx.ownerId ?? '';
    if (!fields.has('createdAt')) fill.createdAt = now;
  }
  if (root === 'notes') {
    for (const [k, v] of Object.entries(NOTE_DEFAULTS)) if (!fields.has(k)) fill[k] = v;
  }
  if (root === 'relations' && !fields.has('label')) fill.label = '';
  if (root === 'clusters' && !fields.has('createdAt')) fill.createdAt = now;
  return fill;
}

/**
 * The verdict on one changed record.
 * @param exists tells whether a note id exists after the update (connectors must join two notes).
 */
export function judgeRecord(ctx: JudgeContext, change: RecordChange, exists: (noteId: string) => boolean, now: number): Verdict {
  const { root } = change;
  if (ctx.role === 'review') return refuse(WriteRefusal.ReadOnly, 'this is a review link');
  const host = ctx.role === 'host';
  if (!host && ctx.locked) return refuse(WriteRefusal.Locked, 'the wall is locked');

  if (root === 'meta') {
    if (!host) return refuse(WriteRefusal.HostOnly, 'wall settings are the hosts\'');
    if (!META_WRITABLE.has(change.key)) return refuse(WriteRefusal.Invalid, `${change.key.slice(0, 32)} is set by the server`);
    if (change.after.kind !== 'value') return refuse(WriteRefusal.Invalid, `${change.key} cannot be removed`);
    const v = change.after.value;
    const schema = BoardMetaSchema.shape[change.key as keyof typeof BoardMetaSchema.shape];
    return v.ok && schema.safeParse(v.value).success ? ACCEPT : refuse(WriteRefusal.Invalid, `invalid ${change.key}`);
  }

  const kind = KINDS[root];
  if (!kind.owned && !host) return refuse(WriteRefusal.HostOnly, `${root} are the hosts'`);
  const { before, after } = change;
  const beforeOwner = before.kind === 'record' ? plainFields(before)?.ownerId : undefined;
  const mine = (owner: unknown) => host || (ctx.ownerId !== null && owner === ctx.ownerId);

  // Something that was not a record (data from before these rules) is the hosts' to clean up.
  if (before.kind === 'value' && !host) return refuse(WriteRefusal.NotOwner, 'not yours');
  if (before.kind === 'record' && !mine(beforeOwner)) return refuse(WriteRefusal.NotOwner, `not your ${root === 'notes' ? 'note' : 'connector'}`);

  if (after.kind === 'absent') return ACCEPT; // a deletion of one's own record (or a host's)
  if (after.kind === 'value') return refuse(WriteRefusal.Invalid, `a ${root} record must be a map`);
  if (change.listContent) return refuse(WriteRefusal.Invalid, 'records hold keyed fields only');

  // An edit of the same record: judge field by field, so the legitimate fields are kept.
  if (change.changedFields) {
    const revert: { field: string; reason: WriteRefusal; detail: string }[] = [];
    for (const field of change.changedFields) {
      if (kind.immutable.has(field)) revert.push({ field, reason: field === 'ownerId' ? WriteRefusal.NotOwner : WriteRefusal.Invalid, detail: `${field} cannot change` });
      else if (!host && kind.hostOnly.has(field)) revert.push({ field, reason: WriteRefusal.HostOnly, detail: `${field} is set by hosts` });
      else {
        const problem = fieldProblem(kind, field, after.fields.get(field));
        if (problem) revert.push({ field, reason: WriteRefusal.Invalid, detail: problem });
      }
    }
    return { accept: true, revert, fill: {} };
  }

  // A new record (or one replaced by another map): the whole record must be valid and its own.
  if (!host && root === 'notes' && before.kind === 'absent' && ctx.privateWriting) {
    return refuse(WriteRefusal.PrivateWriting, 'private writing is on');
  }
  const fill = fillFor(root, after.fields, ctx, now);
  const owner = after.fields.get('ownerId');
  // '' means "no owner given": a participant's new record becomes theirs (the server derives
  // owners). Naming somebody else is a forgery.
  if (kind.owned && owner && !host && owner.ok && owner.value === '' && before.kind === 'absent') fill.ownerId = ctx.ownerId ?? '';
  else if (kind.owned && owner && (!owner.ok || (!host && owner.value !== (ctx.ownerId ?? '')))) {
    return refuse(WriteRefusal.NotOwner, `a new ${root === 'notes' ? 'note' : 'connector'} must be yours`);
  }
  if (!host) {
    for (const f of kind.hostOnly) if (after.fields.has(f)) return refuse(WriteRefusal.HostOnly, `${f} is set by hosts`);
  }
  if (before.kind === 'record') {
    // Replacing a record keeps who owns it and when it was made.
    const prev = plainFields(before) ?? {};
    for (const f of kind.immutable) {
      const v = after.fields.get(f);
      if (f in prev && !(f in fill) && (!v || !v.ok || JSON.stringify(v.value) !== JSON.stringify(prev[f]))) {
        return refuse(f === 'ownerId' ? WriteRefusal.NotOwner : WriteRefusal.Invalid, `${f} cannot change`);
      }
      if (f in prev && f in fill) fill[f] = prev[f];
    }
  }
  const problem = recordProblem(kind, change.key, after.fields, fill);
  if (problem) return refuse(WriteRefusal.Invalid, problem);
  if (root === 'relations') {
    const rel = { ...plainFields(after), ...fill } as { from?: string; to?: string };
    if (rel.from === rel.to) return refuse(WriteRefusal.Invalid, 'a connector joins two notes');
    if (before.kind === 'absent' && (!exists(rel.from ?? '') || !exists(rel.to ?? ''))) return refuse(WriteRefusal.Invalid, 'a connector joins existing notes');
  }
  return { accept: true, revert: [], fill };
}

/** Limits on how many records of a kind a wall holds (checked after the verdicts). */
export const RECORD_LIMITS: Partial<Record<RecordRoot, number>> = {
  notes: LIMITS.notesPerBoard,
  domains: LIMITS.domainsPerBoard,
  relations: LIMITS.relationsPerBoard,
};
