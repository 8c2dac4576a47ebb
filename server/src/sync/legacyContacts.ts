/**
 * Walls written before issue 13 hold emails on their notes (and co-authors). When such a wall
 * loads and a contact store is configured, the emails are taken out of the document in one
 * server transaction — each under the author id it belongs to, given one when the note or
 * co-author had none — saved to the store, and the stored log is then compacted so that no
 * stored row keeps them (docs/data-model.md, "personal fields"). Saving happens before the
 * stripped document is stored (Room.flush waits for contact writes), so a crash loses nothing.
 */
import * as Y from 'yjs';
import { takeNoteContacts, type TakenContact } from '../auth/judge.ts';

/** Takes every email out of the notes (one transaction); returns them by author id. */
export function takeLegacyContacts(doc: Y.Doc, origin: unknown): TakenContact[] {
  const out: TakenContact[] = [];
  doc.transact(() => {
    doc.getMap<unknown>('notes').forEach((m) => {
      if (m instanceof Y.Map) takeNoteContacts(m, out);
    });
  }, origin);
  return out;
}

/**
 * The emails a document holds under an author id, read only (snapshots of walls written before
 * issue 13: an email with no author id there is the live wall's, which `takeLegacyContacts` keeps).
 */
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
