/**
 * Applies the visibility rule to content: a note, or a whole wall as the REST API hands it out
 * (exports, snapshots, time travel). The email written in the content is never trusted as what
 * to show: every email shown comes from the directory, after `mayReadEmail` said yes, so content
 * that arrives with emails in it (today's notes, an old snapshot) cannot leak them past the rule.
 */
import type { Note, WallExport } from '@maillage/shared';
import type { ContactDirectory, ContactRef } from './directory.ts';
import { mayReadEmail, type Viewer, type WallPolicy } from './visibility.ts';

/**
 * The email `viewer` may see for the person `ref` names, or '' (unknown person, no email given,
 * or not allowed). A participant's own email (same non-empty author id) is always theirs to see.
 */
export function emailFor(viewer: Viewer, policy: WallPolicy, directory: ContactDirectory, ref: ContactRef): string {
  const contact = directory.get(ref);
  if (!contact?.email) return '';
  const self = ref.coauthor === null && ref.ownerId !== '' && viewer.ownerId === ref.ownerId;
  return mayReadEmail(viewer, policy, contact.share, self) ? contact.email : '';
}

/** `note` with the author's and every co-author's email set to what `viewer` may see. */
export function redactNote<N extends Note>(note: N, viewer: Viewer, policy: WallPolicy, directory: ContactDirectory): N {
  const ref = (coauthor: number | null): ContactRef => ({ noteId: note.id, ownerId: note.ownerId, coauthor });
  const out: N = { ...note, email: emailFor(viewer, policy, directory, ref(null)) };
  if (note.coauthors) out.coauthors = note.coauthors.map((p, i) => ({ ...p, email: emailFor(viewer, policy, directory, ref(i)) }));
  return out;
}

/** `wall` as `viewer` may receive it: every note's and co-author's email decided by the rule. */
export function redactWall(wall: WallExport, viewer: Viewer, policy: WallPolicy, directory: ContactDirectory): WallExport {
  return { ...wall, notes: wall.notes.map((n) => redactNote(n, viewer, policy, directory)) };
}
