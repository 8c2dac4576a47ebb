/**
 * Named, ordered migrations of the wall document. Yjs does not version data, so we do: the
 * server runs `migrateDoc` whenever it loads a wall, before any client sees it, and the result is
 * an ordinary Yjs update that reaches clients and storage like any other change.
 *
 * Rules: never edit or reorder a migration that has shipped; append a new one. Each `up` must be
 * idempotent, because two server processes may load the same old wall at once and their
 * migrations merge.
 */
import * as Y from 'yjs';

export interface Migration {
  /** Stable name, recorded in docs/data-model.md. */
  id: string;
  up(doc: Y.Doc): void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    id: '0001-initial',
    up: () => {
      /* the v1 layout: meta, notes, domains */
    },
  },
  {
    id: '0002-note-org-and-owner',
    // Notes written before organisations and ownership existed get explicit empty values, so the
    // validator (which requires them) keeps accepting them.
    up: (doc) => {
      doc.getMap<Y.Map<unknown>>('notes').forEach((m) => {
        // Anything that is not a note map is not a note: readers skip it, with a warning.
        if (!(m instanceof Y.Map)) return;
        if (typeof m.get('org') !== 'string') m.set('org', '');
        if (typeof m.get('ownerId') !== 'string') m.set('ownerId', '');
      });
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Runs every migration newer than the document's version; returns the ids that ran. */
export function migrateDoc(doc: Y.Doc, origin: unknown = 'migration'): string[] {
  const meta = doc.getMap<unknown>('meta');
  const raw = meta.get('schemaVersion');
  const from = typeof raw === 'number' && raw >= 0 ? raw : 0;
  const pending = MIGRATIONS.slice(from);
  if (!pending.length) return [];
  doc.transact(() => {
    for (const m of pending) m.up(doc);
    meta.set('schemaVersion', SCHEMA_VERSION);
  }, origin);
  return pending.map((m) => m.id);
}
