/**
 * Removing erased people and notes from a Yjs document (issue 13, "erase means erase"): the live
 * wall and every snapshot state go through the same function, so a snapshot rewritten after an
 * erasure holds exactly what the live wall holds of it — nothing.
 *
 * Works on any document, whatever its records look like (old snapshots, partly unreadable ones):
 * it reads raw maps, never the schema. With `gc` on (the default for documents made here) the
 * deleted content is garbage-collected when the transaction ends, so the encoded state no longer
 * holds its bytes.
 */
import * as Y from 'yjs';

/** What to remove. */
export interface ScrubTarget {
  /** Every note (and connector) written by these author ids; their co-author entries too. */
  owners?: ReadonlySet<string>;
  /** These notes, whoever wrote them. */
  noteIds?: ReadonlySet<string>;
  /** Remove every `email` field from notes and co-authors (contact details live in the store). */
  emails?: boolean;
}

const asMap = (v: unknown): Y.Map<unknown> | null => (v instanceof Y.Map ? v : null);

/**
 * Removes the target from `doc` in one transaction with `origin`.
 * @returns the ids of the notes removed, and whether anything at all changed.
 */
export function scrubDoc(doc: Y.Doc, target: ScrubTarget, origin: unknown = null): { notes: string[]; changed: boolean } {
  const removed: string[] = [];
  let changed = false;
  const owners = target.owners ?? new Set<string>();
  const ids = target.noteIds ?? new Set<string>();
  doc.transact(() => {
    const notes = doc.getMap<unknown>('notes');
    for (const [id, v] of Array.from(notes.entries())) {
      const m = asMap(v);
      const owner = m?.get('ownerId');
      if (ids.has(id) || (typeof owner === 'string' && owner && owners.has(owner))) {
        notes.delete(id);
        removed.push(id);
        continue;
      }
      if (!m) continue;
      if (target.emails && m.has('email')) {
        m.delete('email');
        changed = true;
      }
      const coauthors = m.get('coauthors');
      if (Array.isArray(coauthors)) {
        const keep = (coauthors as unknown[]).filter((p) => !(p && typeof p === 'object' && owners.has(String((p as { ownerId?: unknown }).ownerId ?? ''))));
        const cleaned = target.emails ? keep.map((p) => (p && typeof p === 'object' && 'email' in p ? (({ email: _e, ...rest }) => rest)(p as Record<string, unknown>) : p)) : keep;
        if (keep.length !== coauthors.length || cleaned.some((p, i) => p !== keep[i])) {
          m.set('coauthors', cleaned);
          changed = true;
        }
      }
    }
    const gone = new Set(removed);
    // Connectors: the person's own, and any touching a removed note.
    const relations = doc.share.has('relations') ? doc.getMap<unknown>('relations') : null;
    for (const [id, v] of Array.from(relations?.entries() ?? [])) {
      const m = asMap(v);
      const owner = m?.get('ownerId');
      if ((typeof owner === 'string' && owner && owners.has(owner)) || gone.has(String(m?.get('from'))) || gone.has(String(m?.get('to')))) {
        relations?.delete(id);
        changed = true;
      }
    }
    // Clusters keep their other notes.
    const clusters = doc.share.has('clusters') ? doc.getMap<unknown>('clusters') : null;
    if (gone.size) {
      for (const v of Array.from(clusters?.values() ?? [])) {
        const m = asMap(v);
        const noteIds = m?.get('noteIds');
        if (m && Array.isArray(noteIds) && noteIds.some((n) => gone.has(String(n)))) {
          m.set('noteIds', noteIds.filter((n) => !gone.has(String(n))));
          changed = true;
        }
      }
    }
  }, origin);
  return { notes: removed, changed: changed || removed.length > 0 };
}

/**
 * A stored state without the target, or null when it holds none of it. The state is re-encoded
 * from a garbage-collected document, so removed content leaves no bytes in the result.
 */
export function scrubState(state: Uint8Array, target: ScrubTarget, seen?: (held: Holders) => void): { state: Uint8Array; noteCount: number } | null {
  const doc = new Y.Doc({ gc: true });
  try {
    try {
      Y.applyUpdate(doc, state);
    } catch {
      // An unreadable state: keep what could be integrated (a snapshot that cannot be read is
      // never shown whole anyway), and rewrite it from that.
    }
    const { changed } = scrubDoc(doc, target);
    const legacy = doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
    // What the state holds once stored (after this scrub): an erasure of anyone else can skip it.
    seen?.(holders(doc));
    if (!changed && !legacy) return null;
    let noteCount = 0;
    doc.getMap<unknown>('notes').forEach((v) => {
      if (v instanceof Y.Map) noteCount++;
    });
    return { state: Y.encodeStateAsUpdate(doc), noteCount };
  } finally {
    doc.destroy();
  }
}

/** Whose records a document holds, as far as `scrubDoc` would remove them for an author id. */
export interface Holders {
  /** Author ids of notes, co-author entries and connectors. */
  owners: Set<string>;
  /** Whether any note or co-author still carries an `email` field. */
  emails: boolean;
}

/** The author ids (and emails) `scrubDoc` would look for in `doc`, read the same raw way. */
export function holders(doc: Y.Doc): Holders {
  const owners = new Set<string>();
  let emails = false;
  for (const v of doc.getMap<unknown>('notes').values()) {
    const m = asMap(v);
    if (!m) continue;
    const owner = m.get('ownerId');
    if (typeof owner === 'string' && owner) owners.add(owner);
    if (m.has('email')) emails = true;
    const coauthors = m.get('coauthors');
    if (Array.isArray(coauthors)) {
      for (const p of coauthors as unknown[]) {
        if (!p || typeof p !== 'object') continue;
        owners.add(String((p as { ownerId?: unknown }).ownerId ?? ''));
        if ('email' in p) emails = true;
      }
    }
  }
  if (doc.share.has('relations')) {
    for (const v of doc.getMap<unknown>('relations').values()) {
      const owner = asMap(v)?.get('ownerId');
      if (typeof owner === 'string' && owner) owners.add(owner);
    }
  }
  return { owners, emails };
}
