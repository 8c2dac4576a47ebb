/**
 * The contact store's only writer (issue 13): each person's email and their choice of who may see
 * it, kept per wall under their author id (a note's `ownerId`), never in the shared document.
 *
 * Emails arrive two ways: a person sets theirs over socket.io (`contact:set`, with a choice), or a
 * stock client writes `email` on a note and the sync layer hands it here (`saveFromDocument`).
 * The second never widens a choice the person made: it only fills an email, with the default
 * choice (`review`) for someone the store did not know.
 *
 * Readers get a `DirectorySource` for the privacy module, so exports, snapshots, time travel and
 * review all show an email through the same rule (server/src/privacy) from the same rows.
 */
import { z } from 'zod';
import {
  ContactShareSchema,
  DEFAULT_CONTACT_SHARE,
  EmailSchema,
  ErrorCode,
  MaillageError,
  type BoardId,
  type Contact,
} from '@maillage/shared';
import type { BoardStore, ContactRecord } from '../store/index.ts';
import type { Logger } from '../logger.ts';
import { directoryFromContacts, emailFor, type DirectorySource, type Viewer, type WallPolicy } from '../privacy/index.ts';

/** What `contact:set` accepts: an email ('' = none given) and a choice. */
export const ContactInputSchema = z.object({ email: EmailSchema, share: ContactShareSchema }).strict();

const OwnerIdSchema = z.string().min(1).max(64);

/** An email taken out of a document (or an import), for its author id. */
export interface DocumentContact {
  ownerId: string;
  email: string;
}

/**
 * Contact rows one wall may hold. Author ids come from device secrets a client invents, so a
 * person rejoining under new ids could otherwise grow the table without bound (R53's reasoning).
 */
export const CONTACTS_PER_WALL = 5000;

export class ContactService {
  /**
   * Told after the contacts of a wall changed (set, saved from the document, erased), so that the
   * session layer pushes each socket its `contacts:list` again. Errors are the hook's own.
   */
  onChanged: ((id: BoardId) => void) | null = null;

  constructor(
    private readonly store: BoardStore,
    private readonly log: Logger | null = null,
  ) {}

  /**
   * A person sets their own email and choice. `ownerId` is the caller's (the socket's), never
   * taken from the request.
   * @throws MaillageError bad_request for an invalid email or choice (the message never quotes it).
   */
  async set(id: BoardId, ownerId: string, input: unknown): Promise<Contact> {
    const owner = OwnerIdSchema.safeParse(ownerId);
    if (!owner.success) throw new MaillageError(ErrorCode.BadRequest, 'a device secret is needed to keep contact details');
    const parsed = ContactInputSchema.safeParse(input);
    if (!parsed.success) throw new MaillageError(ErrorCode.BadRequest, `invalid contact details: ${parsed.error.issues.map((i) => i.path.join('.') || 'body').join(', ')}`);
    if (!(await this.store.getContact(id, owner.data)) && (await this.store.listContacts(id)).length >= CONTACTS_PER_WALL) {
      throw new MaillageError(ErrorCode.LimitReached, `a wall keeps at most ${CONTACTS_PER_WALL} people's contact details`);
    }
    await this.store.upsertContact(id, { ownerId: owner.data, email: parsed.data.email, share: parsed.data.share });
    this.changed(id);
    return parsed.data;
  }

  /**
   * Emails the server took out of the document (a stock client's note, a wall written before
   * issue 13, an import). An existing choice is kept (never widened); a new person gets the
   * default choice. Invalid emails and empty author ids are dropped (counted in the log, never
   * quoted). Resolves once stored: the sync layer stores the document update only after this.
   */
  async saveFromDocument(id: BoardId, contacts: readonly DocumentContact[]): Promise<void> {
    let dropped = 0;
    let changed = false;
    const latest = new Map<string, string>();
    for (const c of contacts) {
      const owner = OwnerIdSchema.safeParse(c.ownerId);
      const email = EmailSchema.safeParse(c.email);
      if (!owner.success || !email.success || !email.data) {
        dropped++;
        continue;
      }
      latest.set(owner.data, email.data);
    }
    let count = latest.size ? (await this.store.listContacts(id)).length : 0;
    for (const [ownerId, email] of latest) {
      const known = await this.store.getContact(id, ownerId);
      if (known && known.email === email) continue;
      if (!known && count >= CONTACTS_PER_WALL) {
        dropped++;
        continue;
      }
      if (!known) count++;
      await this.store.upsertContact(id, { ownerId, email, share: known?.share ?? DEFAULT_CONTACT_SHARE });
      changed = true;
    }
    if (dropped) this.log?.warn({ board: id, dropped }, 'contact details from the document not kept (invalid, or the wall is full)');
    if (changed) this.changed(id);
  }

  list(id: BoardId): Promise<ContactRecord[]> {
    return this.store.listContacts(id);
  }

  get(id: BoardId, ownerId: string): Promise<ContactRecord | null> {
    return ownerId ? this.store.getContact(id, ownerId) : Promise.resolve(null);
  }

  /** Erases one person's contact row. @returns whether there was one. */
  async erase(id: BoardId, ownerId: string): Promise<boolean> {
    const gone = await this.store.deleteContact(id, ownerId);
    if (gone) this.changed(id);
    return gone;
  }

  /** Erases every contact row of a wall (retention). @returns how many. */
  async eraseAll(id: BoardId): Promise<number> {
    const n = await this.store.deleteContacts(id);
    if (n) this.changed(id);
    return n;
  }

  /**
   * The emails `viewer` may see on this wall, `{ ownerId: email }`, decided by the privacy
   * module (the same rule as exports and snapshots).
   */
  async visibleTo(id: BoardId, viewer: Viewer, policy: WallPolicy): Promise<Record<string, string>> {
    return this.visibleFrom(await this.list(id), viewer, policy);
  }

  /** `visibleTo` over rows already read (one read for every socket of a wall). */
  visibleFrom(rows: readonly ContactRecord[], viewer: Viewer, policy: WallPolicy): Record<string, string> {
    const dir = directoryFromContacts(rows, []);
    const out: Record<string, string> = {};
    for (const r of rows) {
      const email = emailFor(viewer, policy, dir, { noteId: '', ownerId: r.ownerId, coauthor: null });
      if (email) out[r.ownerId] = email;
    }
    return out;
  }

  /** The privacy module's directory for a wall, read from the store at the moment of asking. */
  readonly directory: DirectorySource = async (id, notes) => directoryFromContacts(await this.list(id), notes);

  private changed(id: BoardId): void {
    try {
      this.onChanged?.(id);
    } catch (err) {
      this.log?.error({ board: id, errName: (err as Error)?.name }, 'contacts change hook failed');
    }
  }
}
