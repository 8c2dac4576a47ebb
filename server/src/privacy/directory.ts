/**
 * Where the privacy module looks up a person's contact details. Since issue 13 they live in the
 * server's contact store keyed by author id (`directoryFromContacts`, fed by the ContactService);
 * `directoryFromNotes` reads the emails still written on notes, for a server run without a contact
 * store. Every path asks a `ContactDirectory`, never a note's `email` field.
 */
import { DEFAULT_CONTACT_SHARE, type BoardId, type Contact, type Note } from '@maillage/shared';

/**
 * Whose contact details: the author of a note (`coauthor` null) or its n-th co-author. A note is
 * named and not only an author id because today's walls hold notes whose `ownerId` is '' (made by
 * the server, imported, or written by a stock client without a device secret) and one device may
 * have typed different emails on different notes; a store keyed by author id reads `ownerId`.
 */
export interface ContactRef {
  noteId: string;
  /** The note's author id ('' when no device owns it). */
  ownerId: string;
  /** Index into the note's `coauthors`, or null for the note's author. */
  coauthor: number | null;
}

export interface ContactDirectory {
  /** The person's email and choice; undefined when nothing is known (nothing is shown then). */
  get(ref: ContactRef): Contact | undefined;
}

/**
 * How a service obtains the directory of a wall at the moment it answers. The notes are the ones
 * the answer is about (the live wall, or a snapshot for time travel).
 */
export type DirectorySource = (board: BoardId, notes: readonly Note[]) => ContactDirectory | Promise<ContactDirectory>;

/**
 * A directory of the emails still written on notes (walls before issue 13's contact store). Every
 * such email, author's and co-authors', gets the default choice `review`: it was given under the
 * join dialog's promise "hosts, and reviewers if the host allows".
 */
export function directoryFromNotes(notes: readonly Note[]): ContactDirectory {
  const byNote = new Map<string, { author: Contact; coauthors: Contact[] }>();
  for (const n of notes) {
    byNote.set(n.id, {
      author: { email: n.email ?? '', share: DEFAULT_CONTACT_SHARE },
      coauthors: (n.coauthors ?? []).map((p) => ({ email: p.email ?? '', share: DEFAULT_CONTACT_SHARE })),
    });
  }
  return {
    get(ref) {
      const entry = byNote.get(ref.noteId);
      if (!entry) return undefined;
      return ref.coauthor === null ? entry.author : entry.coauthors[ref.coauthor];
    },
  };
}

/** The `DirectorySource` of walls whose emails are still on the notes. */
export const notesDirectory: DirectorySource = (_board, notes) => directoryFromNotes(notes);

/** One stored contact row, as the directory needs it. */
export interface StoredContact {
  ownerId: string;
  email: string;
  share: Contact['share'];
}

/**
 * A directory over the contact store's rows of a wall: a note's author by the note's `ownerId`,
 * a co-author by the `ownerId` its entry on the note carries (`notes` says which). Notes and
 * co-authors without an author id have no contact.
 */
export function directoryFromContacts(rows: readonly StoredContact[], notes: readonly Note[]): ContactDirectory {
  const byOwner = new Map<string, Contact>(rows.map((r) => [r.ownerId, { email: r.email, share: r.share }]));
  const coauthorOwners = new Map<string, (string | undefined)[]>();
  for (const n of notes) if (n.coauthors?.length) coauthorOwners.set(n.id, n.coauthors.map((p) => p.ownerId));
  return {
    get(ref) {
      const owner = ref.coauthor === null ? ref.ownerId : coauthorOwners.get(ref.noteId)?.[ref.coauthor];
      return owner ? byOwner.get(owner) : undefined;
    },
  };
}
