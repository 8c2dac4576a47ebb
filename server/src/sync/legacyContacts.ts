/**
 * Walls written before issue 13 hold emails on their notes (and co-authors). When such a wall
 * loads and a contact store is configured, the emails are copied into the store first and only
 * then removed from the document, and the stored log is compacted so that no stored row keeps
 * them (docs/data-model.md, "personal fields").
 */
import * as Y from 'yjs';
import type { TakenContact } from '../auth/judge.ts';

/** The emails written in a document's notes, keyed by the author id they belong to. */
export function collectLegacyContacts(doc: Y.Doc): TakenContact[] {
  const out: TakenContact[] = [];
  doc.getMap<unknown>('notes').forEach((m) => {
    if (!(m instanceof Y.Map)) return;
    const owner = m.get('ownerId');
    const email = m.get('email');
    if (typeof email === 'string' && email.trim() && typeof owner === 'string' && owner) out.push({ ownerId: owner, email: email.trim() });
    const coauthors = m.get('coauthors');
    if (Array.isArray(coauthors)) {
      for (const p of coauthors as Record<string, unknown>[]) {
        if (p && typeof p.email === 'string' && p.email.trim() && typeof p.ownerId === 'string' && p.ownerId) out.push({ ownerId: p.ownerId, email: p.email.trim() });
      }
    }
  });
  return out;
}

/** Removes every email from the notes (one transaction); returns how many notes changed. */
export function stripLegacyContacts(doc: Y.Doc, origin: unknown): number {
  let changed = 0;
  doc.transact(() => {
    doc.getMap<unknown>('notes').forEach((m) => {
      if (!(m instanceof Y.Map)) return;
      let touched = false;
      if (m.has('email')) {
        m.delete('email');
        touched = true;
      }
      const coauthors = m.get('coauthors');
      if (Array.isArray(coauthors) && coauthors.some((p) => p && typeof p === 'object' && 'email' in p)) {
        m.set(
          'coauthors',
          (coauthors as Record<string, unknown>[]).map(({ email: _drop, ...rest }) => rest),
        );
        touched = true;
      }
      if (touched) changed++;
    });
  }, origin);
  return changed;
}
