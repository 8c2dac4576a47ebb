/**
 * Hand-made hostile Yjs updates for the authority test (docs/spec.md R51): wrong types under
 * every root and in every field, fields set twice in one frame, deletions aimed at other
 * people's records, notes as plain strings, a Y.Array directly under `notes`, co-authors of any
 * shape, huge values. Each is built on a copy of what the sender knows of the wall and returned
 * as one Yjs update (what a client would put in one sync frame).
 */
import * as Y from 'yjs';
import fc from 'fast-check';
import { LIMITS } from '@maillage/shared';

export const ROOT_NAMES = ['meta', 'notes', 'domains', 'clusters', 'relations', 'zzUnknownRoot', ''] as const;
export type RootName = (typeof ROOT_NAMES)[number];

/** Which record an action aims at, resolved against the wall when the step runs. */
export const TARGETS = ['victim', 'host', 'mine', 'new', 'canary'] as const;
export type Target = (typeof TARGETS)[number];

export const VALUE_KINDS = [
  'yarray',
  'yarrayFull',
  'ytext',
  'ymapEmpty',
  'ymapJunk',
  'ymapValidNote',
  'string',
  'emptyString',
  'number',
  'float',
  'negative',
  'null',
  'undefined',
  'bool',
  'object',
  'array',
  'atLimit',
  'overLimit',
  'huge',
  'victimOwner',
  'myOwner',
] as const;
export type ValueKind = (typeof VALUE_KINDS)[number];

export const FIELDS = [
  'text',
  'author',
  'email',
  'org',
  'domainId',
  'x',
  'y',
  'color',
  'createdAt',
  'ownerId',
  'coauthors',
  'id',
  'zzExtra',
  'from',
  'to',
  'label',
  'title',
  'order',
  'noteIds',
  'terms',
  'score',
] as const;
export type Field = (typeof FIELDS)[number];

export type Action =
  | { a: 'root'; root: RootName; target: Target; v: ValueKind }
  | { a: 'field'; root: 'notes' | 'relations' | 'domains' | 'clusters'; target: Target; field: Field; v: ValueKind }
  | { a: 'twice'; target: 'mine' | 'new' | 'victim'; field: 'ownerId' | 'text' | 'domainId'; v1: ValueKind; v2: ValueKind }
  | { a: 'delete'; root: RootName; target: Target; field: Field | null }
  | { a: 'coauthors'; target: 'mine' | 'new' | 'victim'; value: CoauthorsShape; asYArray: boolean }
  | { a: 'replace'; target: Target; owner: 'victimOwner' | 'myOwner' | 'host' }
  | { a: 'arrayUnderNotes'; key: string }
  | { a: 'noteString'; target: Target };

/** Ids of the records actions aim at, on the wall under attack. */
export interface WallIds {
  victimNote: string;
  victimRelation: string;
  victimOwner: string;
  hostNote: string;
  cluster: string;
  domain: string;
  mine: string | null;
  myOwner: string;
  canaryNote: string;
  fresh: string;
}

const person = fc.record(
  {
    author: fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.constant('a'.repeat(LIMITS.personField + 1))),
    email: fc.oneof(fc.constantFrom('zoe@example.org', 'not an email', ''), fc.integer()),
    org: fc.oneof(fc.string({ maxLength: 20 }), fc.constant(null)),
    ownerId: fc.oneof(fc.string({ maxLength: 70 }), fc.constant({ nested: true })),
    zz: fc.string({ maxLength: 5 }),
  },
  { requiredKeys: [] },
);

/**
 * Co-authors of any shape and size: lists of people (valid or not), too many, one with a 20 000
 * character name, not lists at all. Big ones are described by their size (readable counterexamples)
 * and built by `coauthorsValue`.
 */
export type CoauthorsShape = { people: unknown[] } | { many: number } | { hugeAuthor: true } | { literal: unknown };
export const coauthorsArb: fc.Arbitrary<CoauthorsShape> = fc.oneof(
  fc.record({ people: fc.array(person, { maxLength: 4 }) }),
  fc.record({ many: fc.integer({ min: LIMITS.coauthorsPerNote + 1, max: 400 }) }),
  fc.constant({ hugeAuthor: true as const }),
  fc.record({ literal: fc.constantFrom<unknown>('Zoé', 42, null, { author: 'Zoé', org: '' }, [[{ author: 'nested', org: '' }]], [null, 1, 'two']) }),
);

export function coauthorsValue(shape: CoauthorsShape): unknown {
  if ('people' in shape) return shape.people;
  if ('many' in shape) return Array.from({ length: shape.many }, (_, i) => ({ author: `A${i}`, org: '' }));
  if ('hugeAuthor' in shape) return [{ author: 'x'.repeat(20_000), org: '' }];
  return shape.literal;
}

export const actionArb: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ a: fc.constant('root' as const), root: fc.constantFrom(...ROOT_NAMES), target: fc.constantFrom(...TARGETS), v: fc.constantFrom(...VALUE_KINDS) }),
  fc.record({
    a: fc.constant('field' as const),
    root: fc.constantFrom('notes' as const, 'notes' as const, 'relations' as const, 'domains' as const, 'clusters' as const),
    target: fc.constantFrom(...TARGETS),
    field: fc.constantFrom(...FIELDS),
    v: fc.constantFrom(...VALUE_KINDS),
  }),
  fc.record({
    a: fc.constant('twice' as const),
    target: fc.constantFrom('mine' as const, 'new' as const, 'victim' as const),
    field: fc.constantFrom('ownerId' as const, 'ownerId' as const, 'text' as const, 'domainId' as const),
    v1: fc.constantFrom<ValueKind>('myOwner', 'victimOwner', 'string', 'ymapEmpty', 'number'),
    v2: fc.constantFrom<ValueKind>('myOwner', 'victimOwner', 'string', 'yarray', 'emptyString'),
  }),
  fc.record({
    a: fc.constant('delete' as const),
    root: fc.constantFrom<RootName>('notes', 'notes', 'relations', 'domains', 'clusters', 'meta'),
    target: fc.constantFrom(...TARGETS),
    field: fc.option(fc.constantFrom<Field>('text', 'ownerId', 'domainId', 'createdAt', 'title', 'label'), { nil: null }),
  }),
  fc.record({ a: fc.constant('coauthors' as const), target: fc.constantFrom('mine' as const, 'new' as const, 'victim' as const), value: coauthorsArb, asYArray: fc.boolean() }),
  fc.record({ a: fc.constant('replace' as const), target: fc.constantFrom(...TARGETS), owner: fc.constantFrom('victimOwner' as const, 'myOwner' as const, 'host' as const) }),
  fc.record({ a: fc.constant('arrayUnderNotes' as const), key: fc.constantFrom('x', 'n', 'zz') }),
  fc.record({ a: fc.constant('noteString' as const), target: fc.constantFrom(...TARGETS) }),
);

/** Does this action try to change or remove a record the sender does not own (only hosts may)? */
export function touchesOthers(act: Action): boolean {
  if (act.a === 'arrayUnderNotes') return false;
  if (act.a === 'root' && (act.root === 'zzUnknownRoot' || act.root === '')) return false;
  const t = 'target' in act ? act.target : 'new';
  return t !== 'new' && t !== 'mine';
}

function validNote(ownerId: string, text = 'forgée'): Record<string, unknown> {
  return { text, author: 'Mallory', email: '', org: '', domainId: 'other', x: 1, y: 2, color: '#fff59d', createdAt: 5, ownerId };
}

function ymap(fields: Record<string, unknown>): Y.Map<unknown> {
  const m = new Y.Map<unknown>();
  for (const [k, v] of Object.entries(fields)) m.set(k, v);
  return m;
}

/** A fresh value of `kind` (Yjs types are new each time: one may be integrated only once). */
export function valueOf(kind: ValueKind, ids: WallIds): unknown {
  switch (kind) {
    case 'yarray':
      return new Y.Array();
    case 'yarrayFull': {
      const a = new Y.Array<unknown>();
      a.push(['one', 2, { three: 3 }]);
      return a;
    }
    case 'ytext':
      return new Y.Text('texte partagé');
    case 'ymapEmpty':
      return new Y.Map();
    case 'ymapJunk':
      return ymap({ zz: 1, text: new Y.Text('x'), nested: ymap({ deep: [1, 2] }) });
    case 'ymapValidNote':
      return ymap(validNote(ids.myOwner));
    case 'string':
      return 'une chaîne';
    case 'emptyString':
      return '';
    case 'number':
      return 7;
    case 'float':
      return 0.5;
    case 'negative':
      return -1;
    case 'null':
      return null;
    case 'undefined':
      return undefined;
    case 'bool':
      return true;
    case 'object':
      return { fr: 'a', en: { deep: ['b'] }, __proto__x: 1 };
    case 'array':
      return [1, 'two', null];
    case 'atLimit':
      return 'a'.repeat(LIMITS.noteText);
    case 'overLimit':
      return 'a'.repeat(LIMITS.noteText + 1);
    case 'huge':
      return 'é'.repeat(120_000);
    case 'victimOwner':
      return ids.victimOwner;
    case 'myOwner':
      return ids.myOwner;
    default: {
      const never: never = kind;
      throw new Error(`unknown value kind ${String(never)}`);
    }
  }
}

/** The key `target` names under `root`. */
export function keyOf(root: RootName, target: Target, ids: WallIds): string {
  if (target === 'new') return ids.fresh;
  switch (root) {
    case 'notes':
      return { victim: ids.victimNote, host: ids.hostNote, mine: ids.mine ?? ids.fresh, canary: ids.canaryNote }[target];
    case 'relations':
      return target === 'victim' ? ids.victimRelation : ids.fresh;
    case 'domains':
      return ids.domain;
    case 'clusters':
      return ids.cluster;
    case 'meta':
      return { victim: 'title', host: 'schemaVersion', mine: 'template', canary: 'createdAt' }[target];
    default:
      return target;
  }
}

/** Copy of `base` (same client ids and items as the sender's view of the wall). */
function fork(base: Uint8Array): Y.Doc {
  const d = new Y.Doc();
  Y.applyUpdate(d, base);
  return d;
}

function diffOf(base: Uint8Array, change: (doc: Y.Doc) => void): Uint8Array {
  const doc = fork(base);
  const sv = Y.encodeStateVector(doc);
  doc.transact(() => change(doc));
  const u = Y.encodeStateAsUpdate(doc, sv);
  doc.destroy();
  return u;
}

/**
 * The update `act` makes on `base` (the encoded state the sender holds), as one Yjs update.
 * Returns null when the action has nothing to aim at on this wall.
 */
export function buildUpdate(act: Action, base: Uint8Array, ids: WallIds): Uint8Array | null {
  switch (act.a) {
    case 'root': {
      const key = keyOf(act.root, act.target, ids);
      return diffOf(base, (d) => d.getMap<unknown>(act.root).set(key, valueOf(act.v, ids)));
    }
    case 'field': {
      const key = keyOf(act.root, act.target, ids);
      return diffOf(base, (d) => {
        const map = d.getMap<unknown>(act.root);
        let rec = map.get(key);
        if (!(rec instanceof Y.Map)) {
          rec = ymap(act.root === 'notes' ? validNote(ids.myOwner) : { label: '', ownerId: ids.myOwner, createdAt: 1 });
          map.set(key, rec);
        }
        (rec as Y.Map<unknown>).set(act.field, valueOf(act.v, ids));
      });
    }
    case 'twice': {
      // Two documents from the same base set the same field (or create the same note) with
      // different values; merged, both structs travel in one frame.
      const key = act.target === 'new' ? ids.fresh : act.target === 'mine' ? (ids.mine ?? ids.fresh) : ids.victimNote;
      const one = (kind: ValueKind) =>
        diffOf(base, (d) => {
          const notes = d.getMap<unknown>('notes');
          const rec = notes.get(key);
          if (act.target === 'new' || !(rec instanceof Y.Map)) notes.set(key, ymap({ ...validNote(ids.myOwner), [act.field]: valueOf(kind, ids) }));
          else rec.set(act.field, valueOf(kind, ids));
        });
      return Y.mergeUpdates([one(act.v1), one(act.v2)]);
    }
    case 'delete': {
      const key = keyOf(act.root, act.target, ids);
      const probe = fork(base);
      const rec = probe.getMap<unknown>(act.root).get(key);
      probe.destroy();
      if (rec === undefined) return null;
      return diffOf(base, (d) => {
        const map = d.getMap<unknown>(act.root);
        const r = map.get(key);
        if (act.field && r instanceof Y.Map) r.delete(act.field);
        else map.delete(key);
      });
    }
    case 'coauthors': {
      const key = act.target === 'new' ? ids.fresh : act.target === 'mine' ? (ids.mine ?? ids.fresh) : ids.victimNote;
      return diffOf(base, (d) => {
        const notes = d.getMap<unknown>('notes');
        let rec = notes.get(key);
        if (!(rec instanceof Y.Map)) {
          rec = ymap(validNote(ids.myOwner));
          notes.set(key, rec);
        }
        const plain = coauthorsValue(act.value);
        let value: unknown = plain;
        if (act.asYArray && Array.isArray(plain)) {
          const arr = new Y.Array<unknown>();
          arr.push(plain.map((p) => (p && typeof p === 'object' && !Array.isArray(p) ? ymap(p as Record<string, unknown>) : p)));
          value = arr;
        }
        (rec as Y.Map<unknown>).set('coauthors', value);
      });
    }
    case 'replace': {
      const key = keyOf('notes', act.target, ids);
      const owner = act.owner === 'host' ? '' : valueOf(act.owner, ids);
      return diffOf(base, (d) => d.getMap<unknown>('notes').set(key, ymap(validNote(owner as string, 'remplacée'))));
    }
    case 'arrayUnderNotes': {
      // The 35-byte update of issue 12: from an empty document, no base needed.
      const d = new Y.Doc();
      d.getMap<unknown>('notes').set(act.key, new Y.Array());
      const u = Y.encodeStateAsUpdate(d);
      d.destroy();
      return u;
    }
    case 'noteString': {
      const key = keyOf('notes', act.target, ids);
      return diffOf(base, (d) => d.getMap<unknown>('notes').set(key, 'une note en chaîne'));
    }
    default: {
      const never: never = act;
      throw new Error(`unknown action ${JSON.stringify(never)}`);
    }
  }
}

/** A short, readable description of an action for failure messages (no 100 KB strings). */
export function describeAction(act: Action): string {
  return JSON.stringify(act, (_k, v: unknown) => (typeof v === 'string' && v.length > 40 ? `${v.slice(0, 12)}…(${v.length})` : Array.isArray(v) && v.length > 5 ? `[${v.length} items]` : v));
}
